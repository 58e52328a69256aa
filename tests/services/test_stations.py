"""Service stations on pages: the public map and list, a station's page, management role by role."""

import importlib
import io
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from devtools.demo.stations import STATIONS, load_catalogue
from services.actions.stations import station_close, station_create, station_reopen, station_update
from services.models import ServiceCategory, ServiceStation
from tests.factories import (
    ActivityFactory,
    MemberUnitFactory,
    SecretaryFactory,
    ServiceStationFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("services:station-list")
CREATE = reverse("services:station-create")
CATALOGUE = reverse("services:service-category-list")


@pytest.fixture(autouse=True)
def catalogue(db):
    """The seeded catalogue, even after a transactional test flushed the migration's rows."""
    load_catalogue()


def make_world(region) -> dict:
    """Stations in Xinhong (the secretary's street) and in Qibao next door, public and not, open and closed."""
    load_catalogue()  # a transactional test before this one may have flushed the migration's rows
    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    operator = MemberUnitFactory(name="上海浦骑网约配送服务有限公司", region=region)
    legal = ServiceCategory.objects.get(code="legal-aid")
    rest = ServiceCategory.objects.get(code="rest-stop")
    public = ServiceStationFactory(
        name="欣虹空间", kind="party_center", region=region, latitude="31.193480"
    )
    public.services.set([legal, rest])
    private = ServiceStationFactory(
        name="骑手之家", kind="warm_station", region=region, is_public=False, operator=operator
    )
    closed = ServiceStationFactory(
        name="三林暖新驿站",
        kind="warm_station",
        region=region,
        is_open=False,
        closed_on=date(2026, 6, 30),
    )
    elsewhere = ServiceStationFactory(
        name="七宝镇企业服务站", kind="enterprise_station", region=qibao, latitude="31.160210"
    )
    elsewhere.services.set([legal])
    no_point = ServiceStationFactory(
        name="无坐标服务点", region=region, latitude=None, longitude=None
    )
    return {
        "qibao": qibao,
        "operator": operator,
        "legal": legal,
        "rest": rest,
        "public": public,
        "private": private,
        "closed": closed,
        "elsewhere": elsewhere,
        "no_point": no_point,
        "contact": UserFactory(username="rider-contact", unit=operator),
        "other_secretary": SecretaryFactory(username="qibao-secretary", region=qibao),
    }


@pytest.fixture
def world(region):
    return make_world(region)


def names(response) -> set[str]:
    return {s.name for s in response.context["stations"]}


def point_names(response) -> set[str]:
    return {p["name"] for p in response.context["points"]}


def station_form(region, **overrides) -> dict:
    data = {
        "name": "欣虹V空间·华美",
        "kind": "party_station",
        "operator": "",
        "region": region.pk,
        "address": "上海市闵行区华美路518号",
        "latitude": "31.186420",
        "longitude": "121.330710",
        "opening_hours": "周一至周五 9:00–17:00",
        "services": [ServiceCategory.objects.get(code="reading").pk],
        "phone": "021-64030004",
        "description": "",
        "is_public": "on",
    }
    return {**data, **overrides}


class TestMapPage:
    def test_the_public_sees_public_open_stations_on_the_map_and_in_the_list(self, client, world):
        response = client.get(LIST)
        assert response.status_code == 200
        assert names(response) == {"欣虹空间", "七宝镇企业服务站", "无坐标服务点"}
        # Only stations with coordinates become markers; the data is in the page, not fetched.
        assert point_names(response) == {"欣虹空间", "七宝镇企业服务站"}
        html = response.content.decode()
        assert 'id="station-points"' in html and 'data-testid="station-map"' in html
        assert "骑手之家" not in html and "三林暖新驿站" not in html
        assert "Export XLSX" not in html and "导出" not in html
        assert "station-create" not in html

    def test_a_unit_contact_also_sees_the_station_their_unit_operates(self, client, world):
        client.force_login(world["contact"])
        # Public stations, closed ones marked, and the non-public one their unit runs.
        assert names(client.get(LIST)) == {
            "欣虹空间",
            "七宝镇企业服务站",
            "无坐标服务点",
            "骑手之家",
            "三林暖新驿站",
        }

    def test_a_secretary_sees_every_station_closed_ones_marked_and_edits_only_their_own(
        self, client, secretary_user, world
    ):
        client.force_login(secretary_user)
        response = client.get(LIST)
        assert len(names(response)) == 5
        html = response.content.decode()
        assert 'data-testid="closed-badge"' in html and 'data-testid="private-badge"' in html
        assert response.context["changeable"] == {
            world[k].pk for k in ("public", "private", "closed", "no_point")
        }
        assert reverse("services:station-update", args=[world["elsewhere"].pk]) not in html
        assert 'data-testid="station-create"' in html

    def test_staff_see_and_may_edit_every_station(self, client, staff_user, world):
        client.force_login(staff_user)
        response = client.get(LIST)
        assert len(names(response)) == 5
        assert len(response.context["changeable"]) == 5

    def test_filters_by_kind_service_and_region_subtree(self, client, staff_user, world, region):
        client.force_login(staff_user)
        assert names(client.get(LIST, {"kind": "warm_station"})) == {"骑手之家", "三林暖新驿站"}
        assert names(client.get(LIST, {"service": "legal-aid"})) == {"欣虹空间", "七宝镇企业服务站"}
        assert names(client.get(LIST, {"service": world["rest"].pk})) == {"欣虹空间"}
        assert names(client.get(LIST, {"region": "310112102"})) == {"七宝镇企业服务站"}
        assert len(names(client.get(LIST, {"region": "310112"}))) == 5
        assert names(client.get(LIST, {"is_open": "false"})) == {"三林暖新驿站"}
        # The map follows the filter too.
        assert point_names(client.get(LIST, {"region": "310112102"})) == {"七宝镇企业服务站"}

    def test_an_unknown_filter_value_lists_nothing_and_says_why(self, client, world):
        response = client.get(LIST, {"service": "no-such-service"})
        assert response.status_code == 200
        assert names(response) == set() and response.context["points"] == []
        assert "service" in response.context["filter"].errors
        assert names(client.get(LIST, {"kind": "castle"})) == set()

    @pytest.mark.parametrize("who", ["anonymous", "staff"])
    def test_query_count_does_not_grow_with_the_stations(
        self, client, staff_user, region, who, django_assert_num_queries
    ):
        if who == "staff":
            client.force_login(staff_user)
        services = list(ServiceCategory.objects.all()[:3])
        ServiceStationFactory(region=region).services.set(services)
        # count, map points, the service, region and operator filters' choices, the page, its
        # services; signed in: session, user, and which rows may be edited.
        expected = 7 if who == "anonymous" else 10
        with django_assert_num_queries(expected):
            client.get(LIST)
        for station in ServiceStationFactory.create_batch(30, region=region):
            station.services.set(services)
        with django_assert_num_queries(expected):
            client.get(LIST)

    def test_the_map_settings_name_the_tile_server_that_tests_cannot_reach(self, client, world):
        response = client.get(LIST)
        assert response.context["map_settings"]["tile_url"].startswith("http://127.0.0.1:9/")
        assert "leaflet/leaflet.js" in response.content.decode()
        assert "<script>" not in response.content.decode()  # no inline script for the CSP

    def test_export_for_those_who_manage_stations_follows_the_filter(
        self, client, secretary_user, world
    ):
        assert client.get(LIST, {"format": "xlsx"}).status_code == 403
        client.force_login(world["contact"])
        assert client.get(LIST, {"format": "xlsx"}).status_code == 403
        client.force_login(secretary_user)
        response = client.get(LIST, {"format": "xlsx", "kind": "party_center"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = list(
            load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
                values_only=True
            )
        )
        assert len(rows) == 2
        assert rows[1][0] == "欣虹空间" and rows[1][9] == "法律援助、歇脚休息"

    def test_the_navigation_shows_stations_to_everyone(self, client, world):
        assert LIST in [item["url"] for item in client.get("/").context["nav_items"]]


class TestStationPage:
    def test_shows_its_services_hours_region_path_and_a_small_map(self, client, world):
        response = client.get(world["public"].get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert "法律援助" in html and "歇脚休息" in html
        assert "周一至周五 9:00–17:00" in html
        assert [r.name for r in response.context["region_path"]] == ["上海市", "闵行区", "新虹街道"]
        assert [p["name"] for p in response.context["points"]] == ["欣虹空间"]
        assert response.context.get("history") is None

    def test_recent_activities_are_the_latest_ten_with_title_type_and_date_for_anyone(
        self, client, world, region
    ):
        station = world["public"]
        for day in range(12):
            ActivityFactory(
                station=station,
                region=region,
                title=f"午间欣党课第{day + 1}讲",
                held_on=date(2026, 10, 1) + timedelta(days=day),
                participant_count=40,
            )
        ActivityFactory(title="别处的活动", region=region)
        response = client.get(station.get_absolute_url())
        rows = response.context["activities"]
        assert [r["activity"].title for r in rows][:2] == ["午间欣党课第12讲", "午间欣党课第11讲"]
        assert len(rows) == 10 and not any(r["readable"] for r in rows)
        html = response.content.decode()
        assert 'data-testid="station-activities"' in html and "党课" in html
        assert "40" not in html.split('data-testid="station-activities"')[1].split("</ul>")[0]

    def test_staff_may_follow_the_activities_and_read_the_history(self, client, staff_user, world):
        ActivityFactory(station=world["public"], region=world["public"].region)
        client.force_login(staff_user)
        response = client.get(world["public"].get_absolute_url())
        assert all(r["readable"] for r in response.context["activities"])
        assert response.context["history"] is not None and response.context["can_change"]

    @pytest.mark.parametrize("key", ["private", "closed"])
    def test_the_public_cannot_open_a_non_public_or_closed_station(self, client, world, key):
        assert client.get(world[key].get_absolute_url()).status_code == 404

    def test_the_operator_contact_opens_their_non_public_station_but_cannot_change_it(
        self, client, world
    ):
        client.force_login(world["contact"])
        response = client.get(world["private"].get_absolute_url())
        assert response.status_code == 200 and not response.context["can_change"]


class TestManagementPages:
    def test_anonymous_is_sent_to_sign_in_and_a_unit_contact_is_refused(
        self, client, world, region
    ):
        assert client.get(CREATE).status_code == 302
        assert client.post(CREATE, station_form(region)).status_code == 302
        client.force_login(world["contact"])
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, station_form(region)).status_code == 403
        edit = reverse("services:station-update", args=[world["private"].pk])
        assert client.get(edit).status_code == 403
        assert not ServiceStation.objects.filter(name="欣虹V空间·华美").exists()

    def test_a_secretary_creates_a_station_in_their_region_with_its_services(
        self, client, secretary_user, region
    ):
        client.force_login(secretary_user)
        form = client.get(CREATE).context["form"]
        assert form.initial["region"] == region.pk
        assert set(form.fields["region"].queryset) == {region}
        response = client.post(CREATE, station_form(region))
        station = ServiceStation.objects.get(name="欣虹V空间·华美")
        assert response.status_code == 302 and response["Location"] == station.get_absolute_url()
        assert [s.code for s in station.services.all()] == ["reading"]
        # One history record, services included, by the secretary.
        records = list(station.history.all())
        assert len(records) == 1 and records[0].history_user == secretary_user
        assert [s.servicecategory_id for s in records[0].services.all()] == [
            station.services.get().pk
        ]

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"latitude": "48.8566", "longitude": "2.3522"}, "longitude"),  # Paris
            ({"latitude": "60.1"}, "latitude"),
            ({"longitude": ""}, "longitude"),
            ({"latitude": ""}, "latitude"),
            ({"kind": "castle"}, "kind"),
            ({"services": ["999999"]}, "services"),
            ({"services": ["legal-aid"]}, "services"),
        ],
    )
    def test_refused_fields_are_named(self, client, staff_user, region, overrides, field):
        client.force_login(staff_user)
        response = client.post(CREATE, station_form(region, **overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not ServiceStation.objects.exists()

    def test_coordinates_outside_china_are_named_as_such(self, client, staff_user, region):
        client.force_login(staff_user)
        response = client.post(CREATE, station_form(region, latitude="1.29", longitude="103.85"))
        errors = response.context["form"].errors
        assert "outside China" in str(errors["latitude"]) or "中国" in str(errors["latitude"])
        assert "longitude" not in errors

    def test_more_than_six_decimals_are_rounded(self, client, staff_user, region):
        client.force_login(staff_user)
        client.post(CREATE, station_form(region, latitude="31.18642049", longitude="121.3307099"))
        station = ServiceStation.objects.get()
        assert str(station.latitude) == "31.186420" and str(station.longitude) == "121.330710"

    def test_no_coordinates_at_all_is_fine(self, client, staff_user, region):
        client.force_login(staff_user)
        client.post(CREATE, station_form(region, latitude="", longitude=""))
        assert ServiceStation.objects.get().latitude is None

    def test_a_secretary_cannot_place_a_station_outside_their_region(
        self, client, secretary_user, world
    ):
        client.force_login(secretary_user)
        response = client.post(CREATE, station_form(world["qibao"]))
        assert "region" in response.context["form"].errors
        edit = reverse("services:station-update", args=[world["public"].pk])
        response = client.post(edit, station_form(world["qibao"], name="欣虹空间"))
        assert "region" in response.context["form"].errors
        world["public"].refresh_from_db()
        assert world["public"].region.code == "310112008"

    def test_a_secretary_cannot_open_the_edit_page_of_a_station_outside_their_region(
        self, client, secretary_user, world
    ):
        client.force_login(secretary_user)
        for name in ("station-update", "station-close"):
            url = reverse(f"services:{name}", args=[world["elsewhere"].pk])
            assert client.get(url).status_code == 404
        reopen = reverse("services:station-reopen", args=[world["elsewhere"].pk])
        assert client.post(reopen).status_code == 404

    def test_editing_changes_fields_and_services_in_one_history_record(
        self, client, secretary_user, world, region
    ):
        station = world["public"]
        client.force_login(secretary_user)
        before = station.history.count()
        reading = ServiceCategory.objects.get(code="reading")
        response = client.post(
            reverse("services:station-update", args=[station.pk]),
            station_form(
                region, name="欣虹空间", opening_hours="每天 8:30–20:30", services=[reading.pk]
            ),
        )
        assert response.status_code == 302
        station.refresh_from_db()
        assert station.opening_hours == "每天 8:30–20:30"
        assert [s.code for s in station.services.all()] == ["reading"]
        assert station.history.count() == before + 1

    def test_staff_edit_a_station_anywhere(self, client, staff_user, world):
        client.force_login(staff_user)
        response = client.post(
            reverse("services:station-update", args=[world["elsewhere"].pk]),
            station_form(world["qibao"], name="七宝镇企业服务站·万科广场"),
        )
        assert response.status_code == 302
        world["elsewhere"].refresh_from_db()
        assert world["elsewhere"].name == "七宝镇企业服务站·万科广场"
        history = client.get(world["elsewhere"].get_absolute_url()).context["history"]
        changed = {change["field"] for change in history[0]["changes"]}
        assert {"name", "services"} <= changed

    def test_close_and_reopen_from_the_pages(self, client, secretary_user, world):
        station = world["public"]
        client.force_login(secretary_user)
        close = reverse("services:station-close", args=[station.pk])
        assert client.get(close).status_code == 200
        response = client.post(close, {"closed_on": "2026-11-01"})
        assert response.status_code == 302
        station.refresh_from_db()
        assert not station.is_open and station.closed_on == date(2026, 11, 1)
        # Still listed for the secretary, marked; gone from the public map and list.
        assert "欣虹空间" in names(client.get(LIST))
        client.logout()
        assert "欣虹空间" not in names(client.get(LIST))
        client.force_login(secretary_user)
        client.post(reverse("services:station-reopen", args=[station.pk]))
        station.refresh_from_db()
        assert station.is_open and station.closed_on is None

    def test_closing_in_the_future_is_refused_on_the_page(self, client, staff_user, world):
        client.force_login(staff_user)
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = client.post(
            reverse("services:station-close", args=[world["public"].pk]),
            {"closed_on": tomorrow.isoformat()},
        )
        assert "closed_on" in response.context["form"].errors


class TestActions:
    def test_close_twice_and_reopen_an_open_station_are_refused(self, staff_user, world):
        station = station_close(station=world["public"], by=staff_user)
        assert station.closed_on == timezone.localdate()
        with pytest.raises(ValidationError):
            station_close(station=station, by=staff_user)
        station_reopen(station=station, by=staff_user)
        with pytest.raises(ValidationError):
            station_reopen(station=station, by=staff_user)

    def test_a_station_is_never_deleted_by_closing(self, staff_user, world):
        ActivityFactory(station=world["public"], region=world["public"].region)
        station_close(station=world["public"], by=staff_user)
        assert ServiceStation.objects.filter(pk=world["public"].pk).exists()

    def test_only_those_in_scope_may_change(self, world):
        with pytest.raises(PermissionDenied):
            station_update(
                station=world["elsewhere"],
                by=SecretaryFactory(region=world["public"].region),
                name="x",
            )
        with pytest.raises(PermissionDenied):
            station_close(station=world["private"], by=world["contact"])
        with pytest.raises(PermissionDenied):
            station_create(
                by=world["contact"],
                name="x",
                kind="party_station",
                region=world["qibao"],
                address="x",
            )

    def test_a_deactivated_service_stays_where_it_is_but_cannot_be_added(self, staff_user, world):
        legal = world["legal"]
        legal.is_active = False
        legal.save()
        station_update(station=world["public"], by=staff_user, services=[legal, world["rest"]])
        with pytest.raises(ValidationError) as exc:
            station_update(station=world["no_point"], by=staff_user, services=[legal])
        assert "services" in exc.value.message_dict

    def test_the_database_refuses_a_point_outside_china_too(self, world):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceStation.objects.filter(pk=world["public"].pk).update(latitude=60)


class TestCatalogue:
    def test_the_migration_seeds_the_services_of_the_issue_once(self):
        from django.apps import apps

        seed = importlib.import_module("services.migrations.0002_service_catalogue").seed
        ServiceCategory.objects.all().delete()
        seed(apps, None)
        seed(apps, None)
        assert ServiceCategory.objects.count() == 10
        assert ServiceCategory.history.filter(history_type="+").count() >= 10
        assert set(ServiceCategory.objects.values_list("code", flat=True)) == {
            "policy-consulting",
            "tax-classroom",
            "legal-aid",
            "canteen",
            "childcare",
            "rest-stop",
            "charging",
            "drinking-water",
            "reading",
            "meeting-room",
        }

    def test_only_staff_manage_it(self, client, secretary_user):
        assert client.get(CATALOGUE).status_code == 302
        client.force_login(secretary_user)
        assert client.get(CATALOGUE).status_code == 403
        assert client.post(CATALOGUE, {"name": "x", "code": "x", "position": 1}).status_code == 403

    def test_staff_add_edit_and_deactivate_a_service(self, client, staff_user, region):
        client.force_login(staff_user)
        response = client.post(
            CATALOGUE,
            {"name": "心理咨询", "code": "counselling", "position": 110, "is_active": "on"},
        )
        assert response.status_code == 302
        category = ServiceCategory.objects.get(code="counselling")
        client.post(
            reverse("services:service-category-update", args=[category.pk]),
            {"name": "心理疏导", "code": "counselling", "position": 5, "is_active": "on"},
        )
        category.refresh_from_db()
        assert category.name == "心理疏导"
        client.post(
            reverse("services:service-category-active", args=[category.pk]), {"active": "0"}
        )
        category.refresh_from_db()
        assert not category.is_active
        form = client.get(CREATE).context["form"]
        assert category not in form.fields["services"].queryset

    def test_a_code_of_digits_only_or_taken_is_refused(self, client, staff_user):
        client.force_login(staff_user)
        response = client.post(CATALOGUE, {"name": "新服务", "code": "123", "position": 1})
        assert response.status_code == 400 and "code" in response.context["form"].errors
        response = client.post(CATALOGUE, {"name": "新服务", "code": "legal-aid", "position": 1})
        assert "code" in response.context["form"].errors


class TestDemo:
    def test_loading_twice_changes_nothing_not_even_the_history(self):
        call_command("load_demo", stdout=StringIO())
        counts = (ServiceStation.objects.count(), ServiceStation.history.count())
        call_command("load_demo", stdout=StringIO())
        assert (ServiceStation.objects.count(), ServiceStation.history.count()) == counts
        assert counts[0] == len(STATIONS)
        xinhong = ServiceStation.objects.filter(region__path__startswith="310000/310112/310112008/")
        assert xinhong.filter(name__startswith="欣虹V空间").count() == 5
        assert ServiceStation.objects.filter(kind="warm_station", is_open=True).count() >= 4
        assert ServiceStation.objects.filter(is_open=False).count() == 1
        assert not ServiceStation.objects.filter(operator__isnull=True).exists()
        for station in ServiceStation.objects.all():
            assert 30.5 < station.latitude < 31.6 and 121.0 < station.longitude < 122.0
            assert station.services.exists()

    def test_the_demo_secretary_manages_xinhongs_stations(self, client):
        call_command("load_demo", stdout=StringIO())
        from portal.accounts.models import User

        client.force_login(User.objects.get(username="xinhong"))
        changeable = client.get(LIST, {"region": "310112008"}).context["changeable"]
        assert len(changeable) == 6
