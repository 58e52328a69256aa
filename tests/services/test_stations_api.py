"""/api/v1/stations/ and /api/v1/service-categories/, role by role."""

import io

import pytest
from openpyxl import load_workbook

from devtools.demo.stations import load_catalogue
from services.models import ServiceCategory, ServiceStation
from tests.factories import ServiceStationFactory
from tests.services.test_stations import make_world

pytestmark = pytest.mark.django_db
STATIONS = "/api/v1/stations/"
CATEGORIES = "/api/v1/service-categories/"


@pytest.fixture(autouse=True)
def catalogue(db):
    """The seeded catalogue, even after a transactional test flushed the migration's rows."""
    load_catalogue()


@pytest.fixture
def world(region):
    return make_world(region)


@pytest.fixture
def contact_api(world):
    from tests.helpers import client_for

    return client_for(world["contact"])


def listed(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


def payload(region, **overrides) -> dict:
    data = {
        "name": "欣虹V空间·华美",
        "kind": "party_station",
        "region": region.pk,
        "address": "上海市闵行区华美路518号",
        "latitude": 31.18642,
        "longitude": 121.33071,
        "opening_hours": "周一至周五 9:00–17:00",
        "services": ["reading", "legal-aid"],
        "phone": "021-64030004",
        "is_public": True,
    }
    return {**data, **overrides}


def attrs(response) -> set[str]:
    assert response.status_code == 400, response.json()
    return {error["attr"].split(".")[0] for error in response.json()["errors"]}


class TestRead:
    def test_the_public_reads_public_open_stations_only(self, api_client, world):
        assert listed(api_client.get(STATIONS)) == {"欣虹空间", "七宝镇企业服务站", "无坐标服务点"}
        assert api_client.get(f"{STATIONS}{world['private'].pk}/").status_code == 404
        assert api_client.get(f"{STATIONS}{world['closed'].pk}/").status_code == 404
        row = api_client.get(f"{STATIONS}{world['public'].pk}/").json()
        assert row["services"] == ["legal-aid", "rest-stop"]
        assert row["service_names"] == ["法律援助", "歇脚休息"]
        assert row["latitude"] == 31.19348 and row["region_code"] == "310112008"
        assert row["url"].endswith(world["public"].get_absolute_url())

    def test_a_unit_contact_reads_public_stations_and_their_units_own(self, contact_api, world):
        assert "骑手之家" in listed(contact_api.get(STATIONS))

    @pytest.mark.parametrize("who", ["secretary_api", "staff_api"])
    def test_secretaries_and_staff_read_every_station(self, request, world, who):
        assert len(listed(request.getfixturevalue(who).get(STATIONS))) == 5

    def test_filters_are_the_pages_own(self, staff_api, world):
        assert listed(staff_api.get(STATIONS, {"service": "rest-stop"})) == {"欣虹空间"}
        legal = world["legal"].pk
        assert listed(staff_api.get(STATIONS, {"service": legal})) == {
            "欣虹空间",
            "七宝镇企业服务站",
        }
        assert listed(staff_api.get(STATIONS, {"region": "310112102"})) == {"七宝镇企业服务站"}
        assert listed(staff_api.get(STATIONS, {"kind": ["warm_station", "party_center"]})) == {
            "欣虹空间",
            "骑手之家",
            "三林暖新驿站",
        }
        assert listed(staff_api.get(STATIONS, {"is_public": "false"})) == {"骑手之家"}
        assert attrs(staff_api.get(STATIONS, {"service": "no-such-service"})) == {"service"}

    def test_list_query_count_does_not_grow(self, staff_api, region, django_assert_num_queries):
        services = list(ServiceCategory.objects.all()[:4])
        ServiceStationFactory(region=region).services.set(services)
        # token, count, page (with region and operator), services
        with django_assert_num_queries(4):
            staff_api.get(STATIONS)
        for station in ServiceStationFactory.create_batch(30, region=region):
            station.services.set(services)
        with django_assert_num_queries(4):
            staff_api.get(STATIONS)

    def test_anonymous_query_count_does_not_grow(
        self, api_client, region, django_assert_num_queries
    ):
        ServiceStationFactory(region=region)
        with django_assert_num_queries(3):
            api_client.get(STATIONS)
        ServiceStationFactory.create_batch(20, region=region)
        with django_assert_num_queries(3):
            api_client.get(STATIONS)

    def test_geojson_follows_the_filters_and_the_scope(self, api_client, staff_api, world):
        body = api_client.get(f"{STATIONS}geojson/").json()
        assert body["type"] == "FeatureCollection"
        assert {f["properties"]["name"] for f in body["features"]} == {
            "欣虹空间",
            "七宝镇企业服务站",
        }
        feature = next(f for f in body["features"] if f["id"] == world["public"].pk)
        assert feature["geometry"] == {"type": "Point", "coordinates": [121.32, 31.19348]}
        assert feature["properties"]["services"] == ["legal-aid", "rest-stop"]
        body = staff_api.get(f"{STATIONS}geojson/", {"kind": "warm_station"}).json()
        assert {f["properties"]["name"] for f in body["features"]} == {"骑手之家", "三林暖新驿站"}

    def test_export_for_those_who_manage_stations(
        self, api_client, contact_api, secretary_api, world
    ):
        assert api_client.get(f"{STATIONS}export/").status_code == 401
        assert contact_api.get(f"{STATIONS}export/").status_code == 403
        response = secretary_api.get(f"{STATIONS}export/", {"region": "310112102"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
            "七宝镇企业服务站"
        ]


class TestWrite:
    def test_the_public_and_unit_contacts_cannot_write(
        self, api_client, contact_api, world, region
    ):
        assert api_client.post(STATIONS, payload(region)).status_code == 401
        assert contact_api.post(STATIONS, payload(region)).status_code == 403
        url = f"{STATIONS}{world['private'].pk}/"
        assert contact_api.patch(url, {"name": "x"}).status_code == 403
        assert contact_api.post(f"{url}close/").status_code == 403
        assert (
            api_client.patch(f"{STATIONS}{world['public'].pk}/", {"name": "x"}).status_code == 401
        )
        assert not ServiceStation.objects.filter(name__in=["x", "欣虹V空间·华美"]).exists()

    def test_a_secretary_creates_a_station_in_their_region_with_services_by_code_or_id(
        self, secretary_api, secretary_user, region
    ):
        reading = ServiceCategory.objects.get(code="reading")
        response = secretary_api.post(
            STATIONS, payload(region, services=["legal-aid", str(reading.pk)])
        )
        assert response.status_code == 201, response.json()
        assert sorted(response.json()["services"]) == ["legal-aid", "reading"]
        station = ServiceStation.objects.get(name="欣虹V空间·华美")
        assert station.history.get().history_user == secretary_user

    def test_a_secretary_cannot_place_or_move_a_station_outside_their_region(
        self, secretary_api, world
    ):
        assert attrs(secretary_api.post(STATIONS, payload(world["qibao"]))) == {"region"}
        url = f"{STATIONS}{world['public'].pk}/"
        assert attrs(secretary_api.patch(url, {"region": world["qibao"].pk})) == {"region"}

    def test_a_secretary_cannot_change_a_station_outside_their_region(self, secretary_api, world):
        url = f"{STATIONS}{world['elsewhere'].pk}/"
        assert secretary_api.patch(url, {"name": "x"}).status_code == 403
        assert secretary_api.post(f"{url}close/").status_code == 403
        world["elsewhere"].refresh_from_db()
        assert world["elsewhere"].is_open and world["elsewhere"].name == "七宝镇企业服务站"

    @pytest.mark.parametrize(
        ("overrides", "fields"),
        [
            ({"latitude": 48.8566, "longitude": 2.3522}, {"longitude"}),
            ({"latitude": -33.86, "longitude": 151.2}, {"latitude", "longitude"}),
            ({"latitude": None}, {"latitude"}),
            ({"longitude": None}, {"longitude"}),
            ({"kind": "castle"}, {"kind"}),
            ({"services": ["no-such-service"]}, {"services"}),
            ({"services": ["99999"]}, {"services"}),
            ({"services": [True]}, {"services"}),
            ({"latitude": "NaN"}, {"latitude"}),
        ],
    )
    def test_refused_fields_are_named(self, staff_api, region, overrides, fields):
        assert attrs(staff_api.post(STATIONS, payload(region, **overrides))) == fields
        assert not ServiceStation.objects.exists()

    def test_one_coordinate_on_a_partial_update_is_checked_against_the_other(
        self, staff_api, world
    ):
        url = f"{STATIONS}{world['no_point'].pk}/"
        assert attrs(staff_api.patch(url, {"latitude": 31.2})) == {"longitude"}
        response = staff_api.patch(url, {"latitude": 31.2, "longitude": 121.4})
        assert response.status_code == 200 and response.json()["longitude"] == 121.4

    @pytest.mark.parametrize("value", [1e30, "1E+30", 2.06e244, -1e30])
    def test_huge_coordinates_are_refused_by_name_not_a_500(self, staff_api, world, region, value):
        # issue 23.3: quantize() raised decimal.InvalidOperation on these.
        url = f"{STATIONS}{world['no_point'].pk}/"
        for name in ("latitude", "longitude"):
            response = staff_api.patch(url, {name: value}, format="json")
            assert response.status_code == 400 and name in attrs(response)
            assert name in attrs(staff_api.post(STATIONS, payload(region, **{name: value})))

    def test_staff_update_services_in_one_history_record(self, staff_api, world):
        station = world["public"]
        before = station.history.count()
        response = staff_api.patch(f"{STATIONS}{station.pk}/", {"services": ["canteen"]})
        assert response.json()["services"] == ["canteen"]
        assert station.history.count() == before + 1

    def test_close_and_reopen(self, secretary_api, api_client, world):
        url = f"{STATIONS}{world['public'].pk}/"
        response = secretary_api.post(f"{url}close/", {"closed_on": "2026-11-01"})
        assert response.status_code == 200, response.json()
        assert response.json()["is_open"] is False and response.json()["closed_on"] == "2026-11-01"
        assert attrs(secretary_api.post(f"{url}close/")) == {"is_open"}
        assert "欣虹空间" not in listed(api_client.get(STATIONS))
        assert "欣虹空间" in listed(secretary_api.get(STATIONS))
        response = secretary_api.post(f"{url}reopen/")
        assert response.json()["is_open"] is True and response.json()["closed_on"] is None
        assert attrs(secretary_api.post(f"{url}reopen/")) == {"is_open"}

    def test_is_open_changes_only_by_closing(self, staff_api, world):
        url = f"{STATIONS}{world['public'].pk}/"
        assert staff_api.patch(url, {"is_open": False}).json()["is_open"] is True

    def test_stations_are_never_deleted(self, staff_api, world):
        assert staff_api.delete(f"{STATIONS}{world['public'].pk}/").status_code == 405

    def test_history_is_for_staff(self, staff_api, secretary_api, world):
        url = f"{STATIONS}{world['public'].pk}/history/"
        assert secretary_api.get(url).status_code == 403
        assert staff_api.get(url).status_code == 200


class TestCatalogue:
    def test_anyone_reads_it(self, api_client):
        response = api_client.get(CATEGORIES, {"page_size": 100})
        assert response.status_code == 200
        assert "legal-aid" in {row["code"] for row in response.json()["results"]}

    def test_only_staff_write(self, api_client, secretary_api, staff_api):
        body = {"name": "心理咨询", "code": "counselling", "position": 110}
        assert api_client.post(CATEGORIES, body).status_code == 401
        assert secretary_api.post(CATEGORIES, body).status_code == 403
        response = staff_api.post(CATEGORIES, body)
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        assert secretary_api.patch(f"{CATEGORIES}{pk}/", {"is_active": False}).status_code == 403
        assert (
            staff_api.patch(f"{CATEGORIES}{pk}/", {"is_active": False}).json()["is_active"] is False
        )
        assert staff_api.delete(f"{CATEGORIES}{pk}/").status_code == 405
        assert staff_api.get(CATEGORIES, {"is_active": "false"}).json()["count"] == 1

    def test_a_code_of_digits_only_or_taken_is_refused(self, staff_api):
        assert attrs(staff_api.post(CATEGORIES, {"name": "新服务", "code": "123"})) == {"code"}
        assert attrs(staff_api.post(CATEGORIES, {"name": "新服务", "code": "legal-aid"})) == {
            "code"
        }


@pytest.mark.django_db
def test_a_service_code_with_a_nul_character_is_an_unknown_service_not_a_500(staff_api):
    response = staff_api.get("/api/v1/stations/", {"service": "legal\x00aid"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "service"
