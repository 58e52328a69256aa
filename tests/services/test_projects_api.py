"""/api/v1/projects/ and /api/v1/claims/, role by role."""

from __future__ import annotations

import io

import pytest
from django.utils.translation import gettext
from openpyxl import load_workbook

from services.actions.claims import claim_create
from services.models import Activity, Claim, JointProject
from tests.factories import (
    ActivityFactory,
    DemandFactory,
    JointProjectFactory,
    MemberUnitFactory,
    ProjectParticipantFactory,
)
from tests.helpers import assert_keeps_to_schema, client_as, error_details
from tests.services.test_projects import make_world

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
CLAIMS = "/api/v1/claims/"


@pytest.fixture
def world(region):
    return make_world(region)


def detail(world, suffix="") -> str:
    return f"{PROJECTS}{world['project'].pk}/{suffix}"


# --- reads -------------------------------------------------------------------------------------


class TestReads:
    @pytest.mark.parametrize(
        ("role", "status", "titles"),
        [
            ("anonymous", 401, None),
            ("staff", 200, {"楼宇人才共建", "草案"}),
            ("secretary", 200, {"楼宇人才共建", "草案"}),
            ("alliance_lead", 200, {"楼宇人才共建", "草案"}),
            ("member_contact", 200, {"楼宇人才共建"}),
        ],
    )
    def test_list_is_scoped(self, world, role, status, titles):
        JointProjectFactory(title="草案", alliance=world["alliance"], status="proposed")
        response = client_as(world, role).get(PROJECTS)
        assert response.status_code == status
        if titles is not None:
            assert {row["title"] for row in response.json()["results"]} == titles

    def test_detail_has_participants_milestones_and_the_demand(self, world):
        demand = DemandFactory(
            unit=world["member"], region=world["region"], project=world["project"]
        )
        data = client_as(world, "member_contact").get(detail(world)).json()
        assert data["status"] == "open" and data["budget"] == "50000.00"
        assert data["participant_count"] == 1 and data["pending_claim_count"] == 0
        assert [(p["unit_name"], p["role"]) for p in data["participants"]] == [
            ("项目牵头单位", "lead")
        ]
        assert [m["title"] for m in data["milestones"]] == ["启动会"]
        assert data["from_demand"] == demand.pk
        assert data["url"].endswith(world["project"].get_absolute_url())

    def test_filters_are_the_boards(self, world):
        other = JointProjectFactory(
            title="七宝项目", alliance=world["other_alliance"], region=world["qibao"]
        )
        client = client_as(world, "staff")
        titles = lambda params: {r["title"] for r in client.get(PROJECTS, params).json()["results"]}  # noqa: E731
        assert titles({"region": "310112102"}) == {"七宝项目"}
        assert titles({"status": "open", "alliance": world["alliance"].pk}) == {"楼宇人才共建"}
        assert titles({"lead_unit": other.lead_unit_id}) == {"七宝项目"}
        assert titles({"search": "楼宇人才"}) == {"楼宇人才共建"}
        assert error_details(client.get(PROJECTS, {"participant": 10**30})).keys() == {
            "participant"
        }
        assert error_details(client.get(PROJECTS, {"has_open_claims": "maybe"})).keys() == {
            "has_open_claims"
        }

    def test_events_participants_milestones_and_suggestions(self, world):
        client = client_as(world, "member_contact")
        events = client.get(detail(world, "events/")).json()
        assert [(e["kind"], e["to_status"]) for e in events] == [
            ("created", "proposed"),
            ("status", "open"),
        ]
        assert client.get(detail(world, "participants/")).json()[0]["role"] == "lead"
        assert client.get(detail(world, "milestones/")).json()[0]["title"] == "启动会"
        # Suggestions are the owners' (as on the page): a member's contact is refused.
        assert client.get(detail(world, "suggestions/")).status_code == 403
        response = client_as(world, "lead_contact").get(detail(world, "suggestions/"))
        assert response.status_code == 200 and isinstance(response.json(), list)

    def test_a_nul_in_a_related_filter_is_a_documented_400(self, world):
        """Django refuses a NUL character in a related row's id (issue 23.5): the schema says so."""
        response = client_as(world, "staff").get(PROJECTS, {"alliance": "\x00"})
        assert error_details(response).keys() == {"alliance"}
        assert_keeps_to_schema(response, "get", PROJECTS)

    def test_events_without_a_state_say_null(self, world):
        """ "" is outside the status enum (issue 23.5): no state before, or after, is null."""
        client = client_as(world, "staff")
        client.post(detail(world, "progress/"), {"progress": 40}, format="json")
        response = client.get(detail(world, "events/"))
        assert_keeps_to_schema(response, "get", f"{PROJECTS}{{id}}/events/")
        assert [(e["kind"], e["from_status"], e["to_status"]) for e in response.json()] == [
            ("created", None, "proposed"),
            ("status", "proposed", "open"),
            ("progress", None, None),
        ]

    def test_counts_and_export(self, world):
        JointProjectFactory(title="已完成", alliance=world["alliance"], status="completed")
        client = client_as(world, "staff")
        counts = client.get(PROJECTS + "counts/", {"alliance": world["alliance"].pk}).json()
        assert counts["total"] == 2 and counts["by_status"]["open"] == 1
        assert counts["by_status"]["completed"] == 1 and counts["by_status"]["cancelled"] == 0
        response = client.get(PROJECTS + "export/", {"status": "open"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == gettext("title") and [r[0] for r in rows[1:]] == ["楼宇人才共建"]

    @pytest.mark.parametrize("role", ["staff", "member_contact"])
    def test_list_query_count_does_not_grow_with_rows(self, world, role, django_assert_num_queries):
        client = client_as(world, role)
        # Token with its user, count, rows.
        with django_assert_num_queries(3):
            client.get(PROJECTS)
        for _n in range(25):
            project = JointProjectFactory(alliance=world["alliance"])
            ProjectParticipantFactory(project=project, unit=world["member"])
            Claim.objects.create(
                kind="unit_claims_project", project=project, unit=world["stranger"]
            )
        with django_assert_num_queries(3):
            rows = client.get(PROJECTS).json()["results"]
        assert len(rows) == 26 and {r["pending_claim_count"] for r in rows} == {0, 1}


# --- writes ------------------------------------------------------------------------------------


class TestWrites:
    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("anonymous", 401),
            ("staff", 201),
            ("secretary", 201),
            ("alliance_lead", 201),
            ("lead_contact", 403),
            ("member_contact", 403),
        ],
    )
    def test_who_publishes(self, world, role, status):
        body = {
            "title": "共建书屋",
            "alliance": world["alliance"].pk,
            "category": "daily_life",
            "region": world["region"].pk,
            "milestones": [{"title": "选址", "due_on": "2026-10-01"}],
            "open_now": True,
        }
        response = client_as(world, role).post(PROJECTS, body, format="json")
        assert response.status_code == status
        if status == 201:
            data = response.json()
            assert data["status"] == "open" and data["lead_unit_name"] == "联盟牵头单位"
            assert [m["title"] for m in data["milestones"]] == ["选址"]

    def test_refusals_name_their_fields(self, world):
        client = client_as(world, "alliance_lead")
        response = client.post(
            PROJECTS,
            {
                "title": "x",
                "alliance": world["other_alliance"].pk,
                "category": "legal",
                "starts_on": "2026-10-02",
                "ends_on": "2026-10-01",
            },
            format="json",
        )
        assert set(error_details(response)) == {"ends_on"}
        response = client.post(
            PROJECTS,
            {"title": "x", "alliance": world["other_alliance"].pk, "category": "legal"},
            format="json",
        )
        assert error_details(response) == {
            "alliance": [gettext("You can publish projects only for alliances your unit leads.")]
        }
        response = client.post(
            PROJECTS,
            {"title": "x", "alliance": world["alliance"].pk, "category": "legal", "budget": "1e20"},
            format="json",
        )
        assert set(error_details(response)) == {"budget"}
        response = client.post(
            PROJECTS,
            {"title": "", "alliance": world["alliance"].pk, "category": "x", "budget": "-5"},
            format="json",
        )
        assert set(error_details(response)) == {"title", "category", "budget"}

    def test_owner_edits_co_organizer_only_the_amounts(self, world):
        ProjectParticipantFactory(
            project=world["project"], unit=world["member"], role="co_organizer"
        )
        response = client_as(world, "lead_contact").patch(
            detail(world), {"title": "新名字"}, format="json"
        )
        assert response.status_code == 200 and response.json()["title"] == "新名字"
        member = client_as(world, "member_contact")
        assert member.patch(detail(world), {"title": "x"}, format="json").status_code == 403
        response = member.patch(detail(world), {"contract_amount": "30000.00"}, format="json")
        assert response.status_code == 200 and response.json()["contract_amount"] == "30000.00"
        assert (
            client_as(world, "stranger_contact")
            .patch(detail(world), {"budget": "1"}, format="json")
            .status_code
            == 403
        )
        history = client_as(world, "staff").get(detail(world, "history/")).json()
        assert any(c["field"] == "contract_amount" for e in history for c in e["changes"])

    def test_transition_follows_the_table(self, world):
        client = client_as(world, "lead_contact")
        response = client.post(detail(world, "transition/"), {"status": "completed"}, format="json")
        assert error_details(response) == {
            "status": [
                gettext("A project that is %(from)s cannot become %(to)s.")
                % {"from": gettext("Open for claiming"), "to": gettext("Completed")}
            ]
        }
        assert set(
            error_details(
                client.post(detail(world, "transition/"), {"status": "nope"}, format="json")
            )
        ) == {"status"}
        assert set(
            error_details(
                client.post(detail(world, "transition/"), {"status": "cancelled"}, format="json")
            )
        ) == {"comment"}
        response = client.post(
            detail(world, "transition/"), {"status": "in_progress"}, format="json"
        )
        assert response.status_code == 200 and response.json()["status"] == "in_progress"
        response = client.post(detail(world, "transition/"), {"status": "completed"}, format="json")
        assert response.json()["progress"] == 100 and response.json()["completed_at"]
        other = client_as(world, "member_contact")
        assert (
            other.post(
                detail(world, "transition/"), {"status": "cancelled", "comment": "x"}
            ).status_code
            == 403
        )

    def test_progress_and_milestones(self, world):
        client = client_as(world, "lead_contact")
        response = client.post(
            detail(world, "progress/"), {"progress": 55, "comment": "过半"}, format="json"
        )
        assert response.status_code == 200 and response.json()["progress"] == 55
        assert set(
            error_details(client.post(detail(world, "progress/"), {"progress": 101}, format="json"))
        ) == {"progress"}
        response = client.post(
            detail(world, "milestones/"), {"title": "中期", "due_on": "2026-11-01"}, format="json"
        )
        assert response.status_code == 201
        milestone = response.json()["id"]
        response = client.post(detail(world, f"milestones/{milestone}/done/"), {}, format="json")
        assert response.status_code == 200 and response.json()["done_on"]
        assert set(
            error_details(
                client.post(detail(world, f"milestones/{milestone}/done/"), {}, format="json")
            )
        ) == {"done_on"}
        assert client.post(detail(world, "milestones/999999/done/"), {}).status_code == 404
        stranger = client_as(world, "stranger_contact")
        assert (
            stranger.post(detail(world, "progress/"), {"progress": 1}, format="json").status_code
            == 403
        )

    def test_from_demand(self, world):
        demand = DemandFactory(unit=world["member"], region=world["region"], category="tax")
        body = {"demand": demand.pk, "alliance": world["alliance"].pk}
        assert (
            client_as(world, "other_secretary")
            .post(PROJECTS + "from-demand/", body, format="json")
            .status_code
            == 403
        )
        assert (
            client_as(world, "member_contact")
            .post(PROJECTS + "from-demand/", body, format="json")
            .status_code
            == 403
        )
        response = client_as(world, "secretary").post(
            PROJECTS + "from-demand/", body, format="json"
        )
        assert response.status_code == 201
        data = response.json()
        assert data["from_demand"] == demand.pk and data["title"] == demand.title
        assert data["category"] == "tax" and data["participant_count"] == 2
        again = client_as(world, "staff").post(PROJECTS + "from-demand/", body, format="json")
        assert set(error_details(again)) == {"demand"}

    def test_activities_link_to_projects_through_the_api(self, world, region):
        project = world["project"]
        client = client_as(world, "secretary")
        body = {
            "title": "项目活动",
            "activity_type": "forum",
            "held_on": "2026-01-10",
            "place": "虹桥",
            "region": region.pk,
            "participant_count": 20,
            "party_member_count": 3,
            "project": project.pk,
        }
        assert set(error_details(client.post("/api/v1/activities/", body, format="json"))) == {
            "project"
        }
        project.status = "in_progress"
        project.save()
        response = client.post("/api/v1/activities/", body, format="json")
        assert response.status_code == 201 and response.json()["project"] == project.pk
        assert Activity.objects.get(title="项目活动").project == project
        ActivityFactory(title="别的活动", region=region)
        rows = client.get("/api/v1/activities/", {"project": project.pk}).json()["results"]
        assert [r["title"] for r in rows] == ["项目活动"]


# --- claims ------------------------------------------------------------------------------------


class TestClaimsApi:
    def test_claim_accept_and_the_project_is_claimed(self, world):
        body = {
            "kind": "unit_claims_project",
            "project": world["project"].pk,
            "role": "co_organizer",
        }
        response = client_as(world, "member_contact").post(CLAIMS, body, format="json")
        assert response.status_code == 201
        claim = response.json()
        assert (
            claim["unit_name"] == "成员单位" and claim["can_withdraw"] and not claim["can_decide"]
        )
        again = client_as(world, "member_contact").post(CLAIMS, body, format="json")
        assert set(error_details(again)) == {"project"}
        lead = client_as(world, "lead_contact")
        assert lead.get(CLAIMS, {"todo": "true"}).json()["count"] == 1
        response = lead.post(f"{CLAIMS}{claim['id']}/accept/")
        assert response.status_code == 200 and response.json()["status"] == "accepted"
        assert JointProject.objects.get(pk=world["project"].pk).status == "claimed"
        assert set(error_details(lead.post(f"{CLAIMS}{claim['id']}/accept/"))) == {"status"}

    @pytest.mark.parametrize(
        ("role", "status"),
        [
            ("stranger_contact", 404),
            ("other_secretary", 404),
            ("provider_contact", 404),
            ("alliance_lead", 200),
        ],
    )
    def test_who_answers(self, world, role, status):
        claim = claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        response = client_as(world, role).post(
            f"{CLAIMS}{claim.pk}/decline/", {"reason": "名额已满"}, format="json"
        )
        assert response.status_code == status

    def test_a_fellow_who_sees_the_claim_may_still_not_answer_it(self, world):
        claim = claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        # The claimer's side sees its claim but answers nothing: 403.
        response = client_as(world, "member_contact").post(f"{CLAIMS}{claim.pk}/accept/")
        assert response.status_code == 403

    def test_decline_needs_a_reason_and_withdraw_is_the_claimers(self, world):
        claim = claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        lead = client_as(world, "lead_contact")
        assert set(error_details(lead.post(f"{CLAIMS}{claim.pk}/decline/", {}, format="json"))) == {
            "reason"
        }
        assert set(
            error_details(lead.post(f"{CLAIMS}{claim.pk}/decline/", {"reason": " "}, format="json"))
        ) == {"reason"}
        assert lead.post(f"{CLAIMS}{claim.pk}/withdraw/").status_code == 403
        response = client_as(world, "member_contact").post(f"{CLAIMS}{claim.pk}/withdraw/")
        assert response.json()["status"] == "withdrawn"

    def test_invitations_and_resource_requests(self, world):
        owner = client_as(world, "alliance_lead")
        response = owner.post(
            CLAIMS,
            {
                "kind": "project_invites_unit",
                "project": world["project"].pk,
                "unit": world["stranger"].pk,
            },
            format="json",
        )
        assert response.status_code == 201
        invitation = response.json()["id"]
        response = owner.post(
            CLAIMS,
            {
                "kind": "project_requests_resource",
                "project": world["project"].pk,
                "resource_offer": world["offer"].pk,
            },
            format="json",
        )
        assert response.status_code == 201 and response.json()["unit"] == world["provider"].pk
        assert (
            client_as(world, "stranger_contact").post(f"{CLAIMS}{invitation}/accept/").status_code
            == 200
        )
        response = client_as(world, "member_contact").post(
            CLAIMS,
            {
                "kind": "project_invites_unit",
                "project": world["project"].pk,
                "unit": world["provider"].pk,
            },
            format="json",
        )
        assert response.status_code == 403
        response = owner.post(
            CLAIMS, {"kind": "project_invites_unit", "project": world["project"].pk}, format="json"
        )
        assert set(error_details(response)) == {"unit"}

    def test_demand_claims(self, world):
        demand = DemandFactory(unit=world["stranger"], region=world["region"], status="accepted")
        response = client_as(world, "member_contact").post(
            CLAIMS, {"kind": "unit_claims_demand", "demand": demand.pk}, format="json"
        )
        assert response.status_code == 201 and response.json()["demand_title"] == demand.title
        claim = response.json()["id"]
        secretary = client_as(world, "secretary")
        assert secretary.get(CLAIMS, {"todo": "true"}).json()["count"] == 1
        assert (
            client_as(world, "other_secretary").post(f"{CLAIMS}{claim}/accept/").status_code == 404
        )
        assert secretary.post(f"{CLAIMS}{claim}/accept/").status_code == 200
        demand.refresh_from_db()
        assert demand.assignee_unit == world["member"]

    @pytest.mark.parametrize(
        ("role", "visible"),
        [
            ("staff", 2),
            ("secretary", 2),
            ("lead_contact", 1),
            ("member_contact", 1),
            ("stranger_contact", 1),
            ("other_secretary", 0),
            ("provider_contact", 0),
        ],
    )
    def test_claim_lists_are_scoped(self, world, role, visible):
        claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        demand = DemandFactory(unit=world["stranger"], region=world["region"], status="accepted")
        claim_create(kind="unit_claims_demand", by=world["users"]["alliance_lead"], demand=demand)
        assert client_as(world, role).get(CLAIMS).json()["count"] == visible

    def test_list_query_count_does_not_grow_with_rows(self, world, django_assert_num_queries):
        client = client_as(world, "lead_contact")
        claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        # Token with its user, count, rows.
        with django_assert_num_queries(3):
            client.get(CLAIMS)
        for _n in range(14):
            claim_create(
                kind="unit_claims_project",
                by=world["users"]["staff"],
                project=world["project"],
                unit=MemberUnitFactory(),
            )
        with django_assert_num_queries(3):
            rows = client.get(CLAIMS).json()["results"]
        assert len(rows) == 15 and all(r["can_decide"] for r in rows)
