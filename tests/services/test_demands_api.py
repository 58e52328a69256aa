"""/api/v1/demands/, /api/v1/demand-campaigns/ and /api/v1/demand-deadlines/, role by role."""

import datetime
import io

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from services.actions import demands as actions
from services.actions.demands import TRANSITIONS
from services.choices import DemandStatus
from services.models import Demand, DemandCampaign, DemandDeadline
from tests.factories import DemandCampaignFactory, DemandFactory
from tests.helpers import assert_keeps_to_schema, client_as, error_fields, titles
from tests.services.test_demands import board, moved_to, pdf_file, png_file, raise_demand, world

pytestmark = pytest.mark.django_db

__all__ = ["board", "world"]  # fixtures shared with the page tests

S = DemandStatus
API = "/api/v1/demands/"


class TestList:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("staff", {"我的融资需求", "我的已办结", "居民诉求", "七宝诉求"}),
            ("secretary", {"我的融资需求", "我的已办结", "居民诉求"}),
            ("contact", {"我的融资需求", "我的已办结"}),
            ("handler", {"七宝诉求", "我的已办结"}),
        ],
    )
    def test_each_role_lists_its_scope(self, world, board, role, expected):
        assert titles(client_as(world, role).get(API)) == expected

    def test_anonymous_is_refused(self, world, board):
        assert client_as(world, "anonymous").get(API).status_code == 401
        assert client_as(world, "anonymous").post(API, {}).status_code == 401

    def test_the_boards_filters_search_and_ordering(self, world, board):
        client = client_as(world, "staff")
        assert titles(client.get(API, {"status": "submitted"})) == {"我的融资需求", "居民诉求"}
        assert titles(client.get(API, {"due_soon": "true"})) == {"七宝诉求"}
        assert titles(client.get(API, {"search": "居民"})) == {"居民诉求"}
        assert titles(client.get(API, {"has_project": "false", "source": "grid"})) == {"居民诉求"}
        assert error_fields(client.get(API, {"campaign": str(10**30)})) == {"campaign"}
        assert error_fields(client.get(API, {"status": "lost"})) == {"status"}
        rows = client.get(API, {"ordering": "title"}).json()["results"]
        assert [r["title"] for r in rows] == sorted(r["title"] for r in rows)
        contact_rows = client_as(world, "handler").get(API, {"mine": "assigned"}).json()["results"]
        assert {r["title"] for r in contact_rows} == {"七宝诉求", "我的已办结"}

    def test_rows_carry_the_allowed_steps(self, world, board):
        rows = client_as(world, "secretary").get(API, {"status": "submitted"}).json()["results"]
        assert {tuple(r["allowed_actions"]) for r in rows} == {
            ("accept", "reject", "merge", "comment")
        }
        row = client_as(world, "contact").get(f"{API}{board['mine'].pk}/").json()
        assert row["allowed_actions"] == ["comment"]
        assert row["unit_name"] == "申请单位" and row["region_code"] == "310112008001"
        assert row["contact_phone"] == "13900000001" and row["attachments"] == []

    @pytest.mark.parametrize("role", ["staff", "secretary", "contact"])
    def test_a_list_row_shows_what_the_demands_page_shows(self, world, board, role):
        # The list reads names through subqueries and only the columns it shows; the page joins.
        board["assigned"].campaign = DemandCampaignFactory()
        board["assigned"].assignee = world["users"]["staff"]
        board["assigned"].save()
        client = client_as(world, role)
        rows = client.get(API).json()["results"]
        if role == "staff":
            assigned = next(r for r in rows if r["id"] == board["assigned"].pk)
            assert assigned["assignee_unit_name"] and assigned["campaign_title"]
            assert assigned["assignee_name"] == str(world["users"]["staff"])
        for row in rows:
            page = client.get(f"{API}{row['id']}/").json()
            assert row == {field: page[field] for field in row}

    def test_the_list_needs_the_same_queries_for_few_and_many_rows(
        self, world, board, django_assert_num_queries
    ):
        client = client_as(world, "secretary")
        # Token with its user, the secretary's region, count, rows.
        with django_assert_num_queries(4):
            client.get(API)
        for i in range(20):
            DemandFactory(unit=world["mine"], region=world["grid"], title=f"批量{i}")
        with django_assert_num_queries(4):
            response = client.get(API)
        assert response.json()["count"] == 23


class TestCreateAndUpdate:
    def test_contact_raises_with_json(self, world):
        response = client_as(world, "contact").post(
            API,
            {
                "title": "政策咨询",
                "description": "高新企业认定",
                "category": "policy",
                "unit": world["far"].pk,
            },
            format="json",
        )
        assert error_fields(response) == {"unit"}
        response = client_as(world, "contact").post(
            API,
            {"title": "政策咨询", "description": "高新企业认定", "category": "policy"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["unit"] == world["mine"].pk and data["status"] == "submitted"
        assert data["source"] == "online" and data["url"].endswith(
            f"/services/demands/{data['id']}/"
        )

    def test_secretary_raises_for_a_resident_and_gets_each_missing_field_named(self, world):
        client = client_as(world, "secretary")
        response = client.post(API, {"title": "", "category": "tax"}, format="json")
        assert error_fields(response) == {"title", "description"}
        response = client.post(
            API,
            {
                "title": "噪音",
                "description": "夜间施工",
                "category": "daily_life",
                "source": "grid",
            },
            format="json",
        )
        assert error_fields(response) == {"contact_name", "contact_phone"}
        response = client.post(
            API,
            {
                "title": "噪音",
                "description": "夜间施工",
                "category": "daily_life",
                "source": "grid",
                "contact_name": "王阿姨",
                "contact_phone": "13800001111",
                "region": world["qibao"].pk,
            },
            format="json",
        )
        assert error_fields(response) == {"region"}

    def test_multipart_with_attachments_and_download(self, world):
        client = client_as(world, "contact")
        response = client.post(
            API,
            {
                "title": "场地",
                "description": "活动场地",
                "category": "land_space",
                "attachments": [pdf_file(), png_file()],
            },
            format="multipart",
        )
        assert response.status_code == 201, response.json()
        attachments = response.json()["attachments"]
        assert [a["name"] for a in attachments] == ["申请材料.pdf", "现场照片.png"]
        download = client.get(attachments[0]["url"])
        assert (
            download.status_code == 200 and download["Content-Type"] == "application/octet-stream"
        )
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert client_as(world, "other_contact").get(attachments[0]["url"]).status_code == 404
        pk = response.json()["id"]
        assert client.get(f"{API}{pk}/attachments/999999/").status_code == 404
        more = client.post(
            f"{API}{pk}/attachments/", {"attachments": [pdf_file("补充.pdf")]}, format="multipart"
        )
        assert more.status_code == 201 and more.json()[0]["name"] == "补充.pdf"
        # The schema says what comes back: a list of the new files, not a page (issue 23.5).
        assert_keeps_to_schema(more, "post", f"{API}{{id}}/attachments/")
        bad = client.post(
            f"{API}{pk}/attachments/",
            {"attachments": [io.BytesIO(b"not a pdf")]},
            format="multipart",
        )
        assert bad.status_code == 400
        assert_keeps_to_schema(bad, "post", f"{API}{{id}}/attachments/")

    def test_update_only_while_submitted_and_only_by_raiser_or_handler(self, world, board):
        url = f"{API}{board['mine'].pk}/"
        response = client_as(world, "contact").patch(url, {"title": "修改后"}, format="json")
        assert response.status_code == 200 and response.json()["title"] == "修改后"
        assert (
            client_as(world, "handler")
            .patch(f"{API}{board['assigned'].pk}/", {"title": "x"}, format="json")
            .status_code
            == 403
        )
        client_as(world, "staff").post(f"{url}accept/", {}, format="json")
        assert error_fields(
            client_as(world, "contact").patch(url, {"title": "x"}, format="json")
        ) == {"status"}
        assert client_as(world, "staff").delete(url).status_code == 405


class TestSteps:
    def test_the_loop_through_the_api(self, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False)
        demand = raise_demand(world)
        url = f"{API}{demand.pk}/"
        staff, handler, contact = (client_as(world, r) for r in ("staff", "handler", "contact"))
        assert (
            staff.post(f"{url}accept/", {"comment": "受理"}, format="json").json()["status"]
            == "accepted"
        )
        response = staff.post(
            f"{url}assign/",
            {"assignee_unit": world["handling"].pk, "due_on": "2026-10-30"},
            format="json",
        )
        assert response.status_code == 200 and response.json()["due_on"] == "2026-10-30"
        assert handler.post(f"{url}start/", {}, format="json").json()["status"] == "in_progress"
        assert (
            handler.post(f"{url}progress/", {"comment": "对接中"}, format="json").status_code == 200
        )
        assert error_fields(handler.post(f"{url}resolve/", {}, format="json")) == {"resolution"}
        assert (
            handler.post(f"{url}resolve/", {"resolution": "已解决"}, format="json").json()["status"]
            == "resolved"
        )
        assert error_fields(
            contact.post(f"{url}reopen/", {"satisfaction": 4, "comment": "x"}, format="json")
        ) == {"satisfaction"}
        response = contact.post(
            f"{url}reopen/", {"satisfaction": 2, "comment": "未到位"}, format="json"
        )
        assert response.json()["status"] == "in_progress"
        handler.post(f"{url}resolve/", {"resolution": "已到位"}, format="json")
        response = contact.post(
            f"{url}rate/", {"satisfaction": 5, "comment": "满意"}, format="json"
        )
        data = response.json()
        assert (
            data["status"] == "closed"
            and data["satisfaction"] == 5
            and data["allowed_actions"] == ["comment"]
        )
        events = staff.get(f"{url}events/").json()
        assert [e["kind"] for e in events] == [
            "created",
            "accepted",
            "assigned",
            "started",
            "progress",
            "resolved",
            "reopened",
            "resolved",
            "rated",
        ]
        assert events[1]["comment"] == "受理" and events[1]["actor_name"]

    def test_an_illegal_step_is_a_400_naming_status_in_the_users_language(self, world, board):
        url = f"{API}{board['mine_done'].pk}/accept/"
        response = client_as(world, "staff").post(url, {}, format="json")
        assert error_fields(response) == {"status"}
        detail = response.json()["errors"][0]["detail"]
        assert str(TRANSITIONS["accept"].refused) in detail
        assert gettext("Only a submitted demand can be accepted.") in detail
        english = client_as(world, "staff").post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert "Only a submitted demand can be accepted." in english.json()["errors"][0]["detail"]

    def test_wrong_people_get_403_and_strangers_404(self, world, board):
        url = f"{API}{board['mine'].pk}/"
        assert (
            client_as(world, "contact").post(f"{url}accept/", {}, format="json").status_code == 403
        )
        # The role is asked first: a body that would be refused changes nothing about the answer.
        refused = client_as(world, "contact").post(
            f"{url}reject/", {"reason": 5 * [1]}, format="json"
        )
        assert refused.status_code == 403
        assert (
            client_as(world, "staff")
            .post(f"{url}reject/", {"reason": 5 * [1]}, format="json")
            .status_code
            == 400
        )
        assert (
            client_as(world, "other_contact").post(f"{url}accept/", {}, format="json").status_code
            == 404
        )
        assert client_as(world, "other_contact").get(f"{url}events/").status_code == 404

    def test_reject_merge_close_and_comment(self, world, board, time_machine):
        staff = client_as(world, "staff")
        assert error_fields(staff.post(f"{API}{board['mine'].pk}/reject/", {}, format="json")) == {
            "reason"
        }
        response = staff.post(
            f"{API}{board['mine'].pk}/merge/", {"into": board["resident"].pk}, format="json"
        )
        assert (
            response.json()["status"] == "merged"
            and response.json()["merged_into"] == board["resident"].pk
        )
        assert error_fields(
            staff.post(f"{API}{board['resident'].pk}/merge/", {"into": 10**30}, format="json")
        ) == {"into"}
        resident = staff.get(f"{API}{board['resident'].pk}/").json()
        assert resident["duplicates"] == [board["mine"].pk]
        resolved = moved_to(world, S.RESOLVED)
        assert error_fields(staff.post(f"{API}{resolved.pk}/close/", {}, format="json")) == {
            "status"
        }
        time_machine.move_to(timezone.now() + datetime.timedelta(days=8), tick=False)
        assert (
            staff.post(f"{API}{resolved.pk}/close/", {}, format="json").json()["status"] == "closed"
        )
        comment = client_as(world, "colleague").post(
            f"{API}{resolved.pk}/comment/", {"comment": "谢谢"}, format="json"
        )
        assert comment.status_code == 200
        assert error_fields(
            client_as(world, "colleague").post(f"{API}{resolved.pk}/comment/", {}, format="json")
        ) == {"comment"}

    def test_suggestions_are_for_handlers(self, world, board):
        url = f"{API}{board['mine'].pk}/suggestions/"
        response = client_as(world, "secretary").get(url)
        assert response.status_code == 200 and isinstance(response.json(), list)
        assert client_as(world, "contact").get(url).status_code == 403

    def test_history_is_for_staff(self, world, board):
        url = f"{API}{board['mine'].pk}/history/"
        assert client_as(world, "staff").get(url).status_code == 200
        assert client_as(world, "contact").get(url).status_code == 403


class TestFigures:
    def test_counts_of_the_filtered_list(self, world, board):
        data = client_as(world, "staff").get(f"{API}counts/", {"region": "310112008"}).json()
        assert data["collected"] == 3 and data["resolved"] == 1
        assert data["resolution_rate"] == "33.3" and data["average_satisfaction"] == "5.0"
        assert {row["category"] for row in data["by_category"]} == {"financing"}

    def test_export_xlsx(self, world, board):
        response = client_as(world, "contact").get(f"{API}export/")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert {row[2] for row in list(sheet.values)[1:]} == {"我的融资需求", "我的已办结"}


class TestCampaigns:
    URL = "/api/v1/demand-campaigns/"

    def test_staff_open_and_change_campaigns(self, world):
        staff = client_as(world, "staff")
        body = {"title": "四季度征集", "opens_on": "2026-10-01", "closes_on": "2026-09-01"}
        assert error_fields(staff.post(self.URL, body, format="json")) == {"closes_on"}
        assert (
            client_as(world, "secretary")
            .post(self.URL, {**body, "closes_on": "2026-12-31"}, format="json")
            .status_code
            == 403
        )
        response = staff.post(
            self.URL,
            {**body, "closes_on": "2026-12-31", "region": world["region"].pk},
            format="json",
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["region_name"] == "新虹街道" and data["counts"]["collected"] == 0
        url = f"{self.URL}{data['id']}/"
        assert error_fields(staff.patch(url, {"closes_on": "2026-01-01"}, format="json")) == {
            "closes_on"
        }
        assert (
            staff.patch(url, {"title": "四季度专项"}, format="json").json()["title"] == "四季度专项"
        )
        assert (
            client_as(world, "contact").patch(url, {"title": "x"}, format="json").status_code == 403
        )
        assert DemandCampaign.objects.get().history.count() == 2

    def test_everyone_signed_in_reads_campaigns_with_counts_of_their_scope(
        self, world, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 8, 1, 10, 0), tick=False)
        campaign = DemandCampaignFactory(title="三季度征集")
        moved_to(world, S.CLOSED)
        raise_demand(world, by="staff", unit=world["far"], source="campaign")
        rows = client_as(world, "contact").get(self.URL).json()["results"]
        assert [(r["title"], r["collected"], r["resolved"], r["is_open"]) for r in rows] == [
            ("三季度征集", 1, 1, True)
        ]
        detail = client_as(world, "staff").get(f"{self.URL}{campaign.pk}/").json()
        assert detail["counts"]["collected"] == 2 and detail["counts"]["resolution_rate"] == "50.0"


class TestDeadlines:
    URL = "/api/v1/demand-deadlines/"

    def test_read_by_all_changed_by_staff(self, world):
        rows = client_as(world, "contact").get(self.URL).json()
        assert {r["category"] for r in rows} == set(
            DemandDeadline.objects.values_list("category", flat=True)
        )
        url = f"{self.URL}financing/"
        assert (
            client_as(world, "secretary").patch(url, {"due_days": 5}, format="json").status_code
            == 403
        )
        assert error_fields(
            client_as(world, "staff").patch(url, {"due_days": 0}, format="json")
        ) == {"due_days"}
        response = client_as(world, "staff").patch(url, {"due_days": 5}, format="json")
        assert response.status_code == 200 and response.json()["due_days"] == 5
        assert actions.due_days_for("financing") == 5
        assert client_as(world, "staff").get(f"{self.URL}spaceship/").status_code == 404
        assert client_as(world, "anonymous").get(self.URL).status_code == 401
        assert Demand.objects.count() == 0


def test_the_list_joins_only_what_a_row_shows(db):
    """Each joined table multiplies PostgreSQL's planning: eight took 25 ms per page at Pudong's
    size (docs/benchmarks.md). A row shows its unit, region, campaign and assignees."""
    from services.selectors.demands import demand_list
    from tests.factories import StaffFactory

    sql = str(demand_list(user=StaffFactory()).query)
    assert sql.count(" JOIN ") == 5, sql
