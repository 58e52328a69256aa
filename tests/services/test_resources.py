"""Resource offers (资源清单) on pages and through /api/v1/resources/, role by role."""

import datetime
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from services.actions.resources import (
    resource_offer_create,
    resource_offer_restore,
    resource_offer_update,
    resource_offer_withdraw,
)
from services.models import ResourceOffer
from tests.factories import (
    MemberUnitFactory,
    ResourceOfferFactory,
    SubdistrictFactory,
    UserFactory,
)
from tests.helpers import client_as, titles

pytestmark = pytest.mark.django_db

LIST = reverse("services:resource-list")
CREATE = reverse("services:resource-create")
API = "/api/v1/resources/"
ROLES = ["anonymous", "staff", "secretary", "contact", "other_contact"]


@pytest.fixture
def world(region, staff_user, secretary_user):
    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    mine = MemberUnitFactory(name="本单位", region=region)
    stranger = MemberUnitFactory(name="七宝单位", region=qibao)
    venue = ResourceOfferFactory(
        unit=mine,
        title="党群活动室",
        category="venue",
        available_from=date(2026, 12, 1),
        available_until=date(2026, 12, 31),
    )
    expertise = ResourceOfferFactory(
        unit=stranger, title="法律顾问", category="expertise", description="合同审查"
    )
    withdrawn = ResourceOfferFactory(
        unit=mine, title="旧投影仪", category="equipment", is_active=False
    )
    return {
        "qibao": qibao,
        "mine": mine,
        "stranger": stranger,
        "venue": venue,
        "expertise": expertise,
        "withdrawn": withdrawn,
        "users": {
            "staff": staff_user,
            "secretary": secretary_user,
            "contact": UserFactory(username="r-contact", unit=mine),
            "other_contact": UserFactory(username="r-other", unit=stranger),
        },
    }


def page_client(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def attrs(response) -> set[str]:
    assert response.status_code == 400, response.json()
    return {error["attr"].split(".")[0] for error in response.json()["errors"]}


# --- actions ------------------------------------------------------------------------------------


class TestActions:
    def test_contact_publishes_for_their_own_unit_with_its_region(self, world):
        contact = world["users"]["contact"]
        offer = resource_offer_create(by=contact, data={"category": "funding", "title": "专项资金"})
        assert offer.unit == world["mine"] and offer.region == world["mine"].region
        assert offer.created_by == contact and offer.is_active
        assert offer.history.first().history_user == contact

    def test_contact_cannot_name_another_unit(self, world):
        with pytest.raises(ValidationError) as exc:
            resource_offer_create(
                by=world["users"]["contact"],
                data={"unit": world["stranger"], "category": "venue", "title": "x"},
            )
        assert set(exc.value.message_dict) == {"unit"}

    def test_staff_must_name_the_unit(self, world):
        with pytest.raises(ValidationError) as exc:
            resource_offer_create(
                by=world["users"]["staff"], data={"category": "venue", "title": "x"}
            )
        assert set(exc.value.message_dict) == {"unit"}
        offer = resource_offer_create(
            by=world["users"]["staff"],
            data={"unit": world["stranger"], "category": "venue", "title": "x"},
        )
        assert offer.region == world["qibao"]

    def test_secretary_cannot_publish(self, world):
        with pytest.raises(PermissionDenied):
            resource_offer_create(
                by=world["users"]["secretary"],
                data={"unit": world["mine"], "category": "venue", "title": "x"},
            )

    def test_until_before_from_and_unknown_category_are_refused(self, world):
        contact = world["users"]["contact"]
        with pytest.raises(ValidationError) as exc:
            resource_offer_create(
                by=contact,
                data={
                    "category": "venue",
                    "title": "x",
                    "available_from": date(2026, 12, 2),
                    "available_until": date(2026, 12, 1),
                },
            )
        assert set(exc.value.message_dict) == {"available_until"}
        with pytest.raises(ValidationError) as exc:
            resource_offer_create(by=contact, data={"category": "spaceship", "title": "x"})
        assert set(exc.value.message_dict) == {"category"}

    def test_the_database_refuses_until_before_from(self, world):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            ResourceOffer.objects.filter(pk=world["venue"].pk).update(
                available_until=date(2026, 1, 1)
            )

    def test_other_contact_cannot_change(self, world):
        with pytest.raises(PermissionDenied):
            resource_offer_update(
                offer=world["venue"], by=world["users"]["other_contact"], data={"title": "x"}
            )
        with pytest.raises(PermissionDenied):
            resource_offer_withdraw(offer=world["venue"], by=world["users"]["other_contact"])

    def test_withdraw_and_restore(self, world):
        contact, offer = world["users"]["contact"], world["venue"]
        offer = resource_offer_withdraw(offer=offer, by=contact)
        assert not offer.is_active
        with pytest.raises(ValidationError) as exc:
            resource_offer_withdraw(offer=offer, by=contact)
        assert set(exc.value.message_dict) == {"is_active"}
        offer = resource_offer_restore(offer=offer, by=contact)
        assert offer.is_active
        with pytest.raises(ValidationError):
            resource_offer_restore(offer=offer, by=contact)


# --- pages --------------------------------------------------------------------------------------


class TestPages:
    @pytest.mark.parametrize(
        ("role", "list_status", "create_status", "edit_mine", "edit_other"),
        [
            ("anonymous", 302, 302, 302, 302),
            ("staff", 200, 200, 200, 200),
            ("secretary", 200, 403, 403, 403),
            ("contact", 200, 200, 200, 404),
            ("other_contact", 200, 200, 404, 200),
        ],
    )
    def test_who_reads_and_writes(
        self, client, world, role, list_status, create_status, edit_mine, edit_other
    ):
        page_client(client, world, role)
        assert client.get(LIST).status_code == list_status
        assert client.get(CREATE).status_code == create_status
        venue, expertise = world["venue"], world["expertise"]
        assert client.get(reverse("services:resource-update", args=[venue.pk])).status_code == (
            edit_mine
        )
        assert client.get(reverse("services:resource-update", args=[expertise.pk])).status_code == (
            edit_other
        )
        detail = client.get(venue.get_absolute_url())
        assert detail.status_code == (302 if role == "anonymous" else 200)

    @pytest.mark.parametrize("role", ROLES[1:])
    def test_list_shows_every_offer_and_the_publish_button_to_offerers(self, client, world, role):
        response = page_client(client, world, role).get(LIST)
        assert {o.title for o in response.context["offers"]} == {
            "党群活动室",
            "法律顾问",
            "旧投影仪",
        }
        assert ('data-testid="resource-create"' in response.content.decode()) == (
            role != "secretary"
        )

    def test_contact_publishes_from_the_page(self, client, world):
        page_client(client, world, "contact")
        response = client.post(
            CREATE,
            {"category": "training", "title": "党务培训", "available_from": "2026-12-01"},
        )
        offer = ResourceOffer.objects.get(title="党务培训")
        assert response.status_code == 302 and response.url == offer.get_absolute_url()
        assert offer.unit == world["mine"] and offer.region == world["mine"].region
        assert "unit" not in client.get(CREATE).context["form"].fields

    def test_page_refuses_until_before_from_and_staff_without_unit(self, client, world):
        page_client(client, world, "staff")
        response = client.post(
            CREATE,
            {
                "category": "venue",
                "title": "x",
                "available_from": "2026-12-02",
                "available_until": "2026-12-01",
            },
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"available_until", "unit"}
        response = client.post(CREATE, {"category": "spaceship", "title": "x"})
        assert "category" in response.context["form"].errors
        assert not ResourceOffer.objects.filter(title="x").exists()

    def test_staff_edits_and_names_a_unit(self, client, world):
        page_client(client, world, "staff")
        url = reverse("services:resource-update", args=[world["venue"].pk])
        response = client.post(
            url, {"unit": world["stranger"].pk, "category": "venue", "title": "大会议室"}
        )
        assert response.status_code == 302
        world["venue"].refresh_from_db()
        assert world["venue"].title == "大会议室" and world["venue"].unit == world["stranger"]

    def test_withdraw_and_restore_by_post(self, client, world):
        page_client(client, world, "contact")
        venue = world["venue"]
        withdraw = reverse("services:resource-withdraw", args=[venue.pk])
        assert client.get(withdraw).status_code == 405
        assert client.post(withdraw).status_code == 302
        venue.refresh_from_db()
        assert not venue.is_active
        assert (
            'data-testid="resource-restore"'
            in client.get(venue.get_absolute_url()).content.decode()
        )
        client.post(reverse("services:resource-restore", args=[venue.pk]))
        venue.refresh_from_db()
        assert venue.is_active

    def test_other_contact_cannot_withdraw(self, client, world):
        page_client(client, world, "other_contact")
        url = reverse("services:resource-withdraw", args=[world["venue"].pk])
        assert client.post(url).status_code == 404
        assert (
            'data-testid="resource-withdraw"'
            not in client.get(world["venue"].get_absolute_url()).content.decode()
        )

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"q": "合同"}, {"法律顾问"}),
            ({"category": ["venue", "expertise"]}, {"党群活动室", "法律顾问"}),
            ({"region": "310112"}, {"党群活动室", "法律顾问", "旧投影仪"}),
            ({"region": "310112102"}, {"法律顾问"}),
            ({"region": "nowhere"}, set()),
            ({"available_on": "2026-12-15"}, {"党群活动室", "法律顾问", "旧投影仪"}),
            ({"available_on": "2027-01-15", "active": "true"}, {"法律顾问"}),
            ({"active": "false"}, {"旧投影仪"}),
        ],
    )
    def test_filters(self, client, world, params, expected):
        response = page_client(client, world, "secretary").get(LIST, params)
        assert {o.title for o in response.context["offers"]} == expected

    def test_unit_filter_and_a_bad_value(self, client, world):
        page_client(client, world, "secretary")
        response = client.get(LIST, {"unit": world["mine"].pk})
        assert {o.title for o in response.context["offers"]} == {"党群活动室", "旧投影仪"}
        response = client.get(LIST, {"active": "maybe"})
        assert response.status_code == 200 and not response.context["offers"]

    @pytest.mark.parametrize("role", ["staff", "contact"])
    def test_query_count_does_not_grow_with_the_offers(
        self, client, region, world, role, django_assert_num_queries
    ):
        ResourceOffer.objects.all().delete()
        page_client(client, world, role)
        ResourceOfferFactory(unit=world["mine"])
        # session, user, count, the page, which rows may be edited, the region filter's choices.
        with django_assert_num_queries(6):
            client.get(LIST)
        ResourceOfferFactory.create_batch(4, unit=world["mine"])
        with django_assert_num_queries(6):
            response = client.get(LIST)
        assert len(response.context["offers"]) == 5

    def test_navigation_has_resources_for_the_signed_in(self, client, world):
        assert LIST not in client.get("/").content.decode()
        page_client(client, world, "contact")
        assert LIST in client.get("/").content.decode()


# --- API ----------------------------------------------------------------------------------------


class TestApi:
    @pytest.mark.parametrize(
        ("role", "read", "create", "patch_mine", "patch_other"),
        [
            ("anonymous", 401, 401, 401, 401),
            ("staff", 200, 201, 200, 200),
            ("secretary", 200, 403, 403, 403),
            ("contact", 200, 201, 200, 403),
            ("other_contact", 200, 201, 403, 200),
        ],
    )
    def test_who_reads_and_writes(self, world, role, read, create, patch_mine, patch_other):
        api = client_as(world, role)
        assert api.get(API).status_code == read
        assert api.get(f"{API}{world['venue'].pk}/").status_code == read
        data = {"category": "volunteers", "title": "志愿者服务队"}
        if role == "staff":
            data["unit"] = world["mine"].pk
        assert api.post(API, data).status_code == create
        assert api.patch(f"{API}{world['venue'].pk}/", {"title": "改"}).status_code == patch_mine
        assert (
            api.patch(f"{API}{world['expertise'].pk}/", {"title": "改"}).status_code == patch_other
        )
        assert api.delete(f"{API}{world['venue'].pk}/").status_code in {401, 405}

    def test_contact_creates_for_their_own_unit(self, world):
        api = client_as(world, "contact")
        response = api.post(API, {"category": "funding", "title": "扶持资金"})
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["unit"] == world["mine"].pk and body["region_code"] == "310112008"
        assert body["is_active"] is True

    def test_refused_fields(self, world):
        contact, staff = client_as(world, "contact"), client_as(world, "staff")
        base = {"category": "venue", "title": "x"}
        assert attrs(
            contact.post(
                API, {**base, "available_from": "2026-12-02", "available_until": "2026-12-01"}
            )
        ) == {"available_until"}
        assert attrs(contact.post(API, {**base, "category": "spaceship"})) == {"category"}
        assert attrs(contact.post(API, {**base, "unit": world["stranger"].pk})) == {"unit"}
        assert attrs(staff.post(API, base)) == {"unit"}
        url = f"{API}{world['venue'].pk}/"
        assert attrs(contact.patch(url, {"available_until": "2026-11-01"})) == {"available_until"}
        assert attrs(contact.patch(url, {"unit": world["stranger"].pk})) == {"unit"}

    def test_withdraw_restore_and_history(self, world):
        contact, other = client_as(world, "contact"), client_as(world, "other_contact")
        url = f"{API}{world['venue'].pk}/"
        assert other.post(f"{url}withdraw/").status_code == 403
        response = contact.post(f"{url}withdraw/")
        assert response.status_code == 200 and response.json()["is_active"] is False
        assert attrs(contact.post(f"{url}withdraw/")) == {"is_active"}
        assert contact.post(f"{url}restore/").json()["is_active"] is True
        assert contact.get(f"{url}history/").status_code == 403
        history = client_as(world, "staff").get(f"{url}history/")
        assert (
            history.status_code == 200 and len(history.json()) == 3
        )  # created, withdrawn, restored

    def test_filters(self, world):
        api = client_as(world, "secretary")
        assert titles(api.get(API, {"region": "310112102"})) == {"法律顾问"}
        assert titles(api.get(API, {"category": "equipment"})) == {"旧投影仪"}
        assert titles(api.get(API, {"available_on": "2026-11-30", "active": "true"})) == {
            "法律顾问"
        }
        assert titles(api.get(API, {"unit": world["stranger"].pk})) == {"法律顾问"}
        assert attrs(api.get(API, {"category": "spaceship"})) == {"category"}
        assert attrs(api.get(API, {"available_on": "someday"})) == {"available_on"}

    def test_query_count_does_not_grow_with_the_offers(self, world, django_assert_num_queries):
        ResourceOffer.objects.all().delete()
        api = client_as(world, "contact")
        ResourceOfferFactory(unit=world["mine"])
        # token with its user, count, the page.
        with django_assert_num_queries(3):
            api.get(API)
        ResourceOfferFactory.create_batch(4, unit=world["stranger"])
        with django_assert_num_queries(3):
            response = api.get(API)
        assert response.json()["count"] == 5


# --- export (issue 24) -------------------------------------------------------------------------


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


class TestExport:
    def test_page_exports_the_filter_with_chinese_headers(self, client, world):
        response = client.get(LIST, {"format": "xlsx"})
        assert response.status_code == 302 and "login" in response["Location"]
        page_client(client, world, "other_contact")
        assert 'data-testid="resource-export"' in client.get(LIST).content.decode()
        rows = xlsx_rows(client.get(LIST, {"unit": world["mine"].pk, "format": "xlsx"}))
        assert rows[0][:3] == ("标题", "类别", "单位")
        assert rows[0][-1] == "发布时间"
        by_title = {row[0]: row for row in rows[1:]}
        assert set(by_title) == {"党群活动室", "旧投影仪"}
        assert by_title["党群活动室"][2] == "本单位"
        assert by_title["党群活动室"][5:8] == (
            datetime.datetime(2026, 12, 1),
            datetime.datetime(2026, 12, 31),
            "是",
        )
        assert by_title["旧投影仪"][7] == "否"

    def test_api_exports_the_filter(self, world):
        api = client_as(world, "contact")
        assert api.get(API + "export/", {"category": "spaceship"}).status_code == 400
        rows = xlsx_rows(api.get(API + "export/", {"search": "合同"}))
        assert [row[0] for row in rows[1:]] == ["法律顾问"]

    def test_query_count_does_not_grow_with_the_offers(
        self, client, world, django_assert_num_queries
    ):
        page_client(client, world, "contact")
        api = client_as(world, "contact")
        # Session, user, the rows, the export record (the API: token with its user instead).
        with django_assert_num_queries(4) as page:
            xlsx_rows(client.get(LIST, {"format": "xlsx"}))
        with django_assert_num_queries(3) as via_api:
            xlsx_rows(api.get(API + "export/"))
        ResourceOfferFactory.create_batch(6, unit=world["stranger"])
        with django_assert_num_queries(len(page.captured_queries)):
            assert len(xlsx_rows(client.get(LIST, {"format": "xlsx"}))) == 1 + 9
        with django_assert_num_queries(len(via_api.captured_queries)):
            assert len(xlsx_rows(api.get(API + "export/"))) == 1 + 9
