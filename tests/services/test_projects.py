"""Joint projects (项目清单): publishing, the status table, progress, milestones, amounts, demands that
become projects and activities linked to them, on the board and a project's page, role by role."""

from __future__ import annotations

import datetime
import io
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from portal.notifications.models import Notification
from services.actions.projects import (
    TRANSITIONS,
    milestone_add,
    milestone_done,
    project_create,
    project_from_demand,
    project_progress,
    project_transition,
    project_update,
)
from services.choices import ProjectEventKind, ProjectStatus
from services.models import DemandEvent, JointProject, ProjectEvent
from services.selectors.projects import EXPORT_HEADERS, is_project_owner
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    DemandFactory,
    JointProjectFactory,
    MemberUnitFactory,
    ProjectParticipantFactory,
    ResourceOfferFactory,
    SecretaryFactory,
    StaffFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("services:project-list")
CREATE = reverse("services:project-create")
ROLES = [
    "staff",
    "secretary",
    "other_secretary",
    "alliance_lead",
    "lead_contact",
    "member_contact",
    "stranger_contact",
]
OWNERS = {"staff", "secretary", "alliance_lead", "lead_contact"}


def make_world(region) -> dict:
    """A street (新虹) and a neighbour (七宝); an alliance led by one unit; an open project in 新虹 led by
    another; a member unit, a stranger in 七宝, an offering unit, and a contact or secretary for each."""
    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    alead = MemberUnitFactory(name="联盟牵头单位", region=region)
    lead = MemberUnitFactory(name="项目牵头单位", region=region, industry="finance")
    member = MemberUnitFactory(name="成员单位", region=region)
    stranger = MemberUnitFactory(name="七宝单位", region=qibao)
    provider = MemberUnitFactory(name="资源单位", region=region)
    alliance = AllianceFactory(name="虹桥商务区党建联盟", lead_unit=alead)
    other_alliance = AllianceFactory(name="七宝党建联盟", lead_unit=stranger)
    staff = StaffFactory(username="p-staff")
    users = {
        "staff": staff,
        "secretary": SecretaryFactory(username="p-secretary", region=region),
        "other_secretary": SecretaryFactory(username="p-other-secretary", region=qibao),
        "alliance_lead": UserFactory(username="p-alead", unit=alead),
        "lead_contact": UserFactory(username="p-lead", unit=lead),
        "member_contact": UserFactory(username="p-member", unit=member),
        "stranger_contact": UserFactory(username="p-stranger", unit=stranger),
        "provider_contact": UserFactory(username="p-provider", unit=provider),
    }
    project = project_create(
        by=staff,
        data={
            "title": "楼宇人才共建",
            "description": "联合招聘与政策宣讲",
            "alliance": alliance,
            "lead_unit": lead,
            "category": "talent",
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2026, 12, 31),
            "budget": Decimal("50000"),
        },
        milestones=[{"title": "启动会", "due_on": datetime.date(2026, 9, 15)}],
        open_now=True,
    )
    offer = ResourceOfferFactory(unit=provider, title="共享会议室", category="venue")
    return {
        "region": region,
        "qibao": qibao,
        "alliance": alliance,
        "other_alliance": other_alliance,
        "alead": alead,
        "lead": lead,
        "member": member,
        "stranger": stranger,
        "provider": provider,
        "project": project,
        "offer": offer,
        "users": users,
    }


@pytest.fixture
def world(region):
    return make_world(region)


def as_user(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def fresh(project) -> JointProject:
    return JointProject.objects.get(pk=project.pk)


# --- publishing --------------------------------------------------------------------------------


class TestPublish:
    def test_created_project_is_proposed_with_its_lead_taking_part_and_a_timeline(self, world):
        project = project_create(
            by=world["users"]["alliance_lead"],
            data={"title": "  共建书屋 ", "alliance": world["alliance"], "category": "daily_life"},
        )
        assert project.status == ProjectStatus.PROPOSED and project.title == "共建书屋"
        # The alliance's lead unit leads when none is named; the region is the lead unit's.
        assert project.lead_unit == world["alead"] and project.region == world["region"]
        assert [(p.unit, p.role) for p in project.participants.all()] == [(world["alead"], "lead")]
        assert [e.kind for e in project.events.all()] == [ProjectEventKind.CREATED]
        assert project.history.first().history_user == world["users"]["alliance_lead"]

    def test_open_now_opens_it_and_tells_the_lead_units_contacts(self, world):
        project = world["project"]
        assert project.status == ProjectStatus.OPEN
        assert [e.to_status for e in project.events.all()] == ["proposed", "open"]
        assert Notification.objects.filter(user=world["users"]["lead_contact"]).exists()
        assert list(project.milestones.values_list("title", flat=True)) == ["启动会"]

    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("staff", True),
            ("secretary", True),
            ("alliance_lead", True),
            ("lead_contact", False),
            ("member_contact", False),
        ],
    )
    def test_who_publishes(self, world, role, allowed):
        data = {"title": "新项目", "alliance": world["alliance"], "category": "legal"}
        if role == "secretary":
            data["region"] = world["region"]
        if allowed:
            assert project_create(by=world["users"][role], data=data).pk
        else:
            with pytest.raises(PermissionDenied):
                project_create(by=world["users"][role], data=data)

    def test_alliance_lead_publishes_only_for_their_alliance(self, world):
        with pytest.raises(ValidationError) as exc:
            project_create(
                by=world["users"]["alliance_lead"],
                data={"title": "x", "alliance": world["other_alliance"], "category": "legal"},
            )
        assert set(exc.value.message_dict) == {"alliance"}

    def test_secretary_publishes_only_in_their_region(self, world):
        with pytest.raises(ValidationError) as exc:
            project_create(
                by=world["users"]["secretary"],
                data={
                    "title": "x",
                    "alliance": world["alliance"],
                    "category": "legal",
                    "region": world["qibao"],
                },
            )
        assert set(exc.value.message_dict) == {"region"}

    def test_every_wrong_field_is_named_and_nothing_is_saved(self, world):
        before = JointProject.objects.count()
        world["alliance"].status = "dissolved"
        world["alliance"].save()
        with pytest.raises(ValidationError) as exc:
            project_create(
                by=world["users"]["staff"],
                data={
                    "title": "",
                    "alliance": world["alliance"],
                    "lead_unit": world["member"],
                    "category": "spaceship",
                    "starts_on": datetime.date(2026, 10, 2),
                    "ends_on": datetime.date(2026, 10, 1),
                    "budget": Decimal("-1"),
                },
                milestones=[{"title": "", "due_on": None}],
            )
        assert set(exc.value.message_dict) == {
            "title",
            "alliance",
            "category",
            "ends_on",
            "budget",
            "milestones",
        }
        assert JointProject.objects.count() == before

    def test_scope_and_its_python_twin_agree_role_by_role(self, world):
        ProjectParticipantFactory(project=world["project"], unit=world["member"])
        hidden = project_create(
            by=world["users"]["staff"],
            data={"title": "草案", "alliance": world["other_alliance"], "category": "tax"},
        )
        projects = [world["project"], hidden]
        for role in ROLES:
            user = world["users"][role]
            changeable = set(
                JointProject.objects.restrict(user, "change").values_list("pk", flat=True)
            )
            for project in projects:
                project = fresh(project)
                assert (project.pk in changeable) == is_project_owner(user, project), (
                    role,
                    project,
                )
        assert is_project_owner(world["users"]["secretary"], fresh(world["project"]))
        assert not is_project_owner(world["users"]["other_secretary"], fresh(world["project"]))
        # A proposed project is the owners' draft: other contacts do not see it.
        visible = JointProject.objects.restrict(world["users"]["member_contact"])
        assert set(visible) == {world["project"]}


# --- the status table --------------------------------------------------------------------------


ALL_PAIRS = list(itertools.product(ProjectStatus.values, ProjectStatus.values))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_every_status_change_follows_the_table(current, target):
    project = JointProjectFactory(status=current)
    ProjectParticipantFactory(project=project, unit=project.lead_unit, role="lead")
    ProjectParticipantFactory(project=project)
    staff = StaffFactory(username="table-staff")
    if target in TRANSITIONS[current]:
        moved = project_transition(project=project, to=target, by=staff, comment="理由")
        assert fresh(moved).status == target
        event = project.events.get()
        assert (event.from_status, event.to_status) == (current, target)
    else:
        with pytest.raises(ValidationError) as exc:
            project_transition(project=project, to=target, by=staff, comment="理由")
        assert set(exc.value.message_dict) == {"status"}
        assert fresh(project).status == current and not project.events.exists()


class TestTransitions:
    def test_the_message_of_a_refused_change_names_both_statuses(self, world):
        project = JointProjectFactory(alliance=world["alliance"], status="completed")
        with pytest.raises(ValidationError) as exc:
            project_transition(project=project, to="open", by=world["users"]["staff"])
        assert exc.value.message_dict["status"] == [
            gettext("A project that is %(from)s cannot become %(to)s.")
            % {"from": gettext("Completed"), "to": gettext("Open for claiming")}
        ]

    def test_completing_sets_the_time_and_full_progress(self, world):
        project = world["project"]
        project_transition(project=project, to="in_progress", by=world["users"]["lead_contact"])
        project_transition(project=project, to="completed", by=world["users"]["lead_contact"])
        project = fresh(project)
        assert project.completed_at is not None and project.progress == 100

    def test_cancelling_needs_a_reason_and_declines_pending_claims(self, world):
        from services.actions.claims import claim_create

        claim = claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        with pytest.raises(ValidationError) as exc:
            project_transition(project=world["project"], to="cancelled", by=world["users"]["staff"])
        assert exc.value.message_dict == {
            "comment": [gettext("Give the reason for cancelling the project.")]
        }
        project_transition(
            project=world["project"],
            to="cancelled",
            by=world["users"]["staff"],
            comment="经费未落实",
        )
        claim.refresh_from_db()
        assert claim.status == "declined"
        assert claim.decision_reason == gettext("The project was cancelled.")

    def test_claimed_needs_a_unit_besides_the_lead(self, world):
        with pytest.raises(ValidationError) as exc:
            project_transition(project=world["project"], to="claimed", by=world["users"]["staff"])
        assert set(exc.value.message_dict) == {"status"}

    @pytest.mark.parametrize("role", ROLES)
    def test_only_owners_change_the_status(self, world, role):
        project = world["project"]
        if role in OWNERS:
            project_transition(project=project, to="in_progress", by=world["users"][role])
            assert fresh(project).status == "in_progress"
        else:
            with pytest.raises(PermissionDenied):
                project_transition(project=project, to="in_progress", by=world["users"][role])

    def test_participants_are_told_by_notification_and_mail_except_the_actor(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        ProjectParticipantFactory(project=world["project"], unit=world["member"])
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            project_transition(
                project=world["project"], to="in_progress", by=world["users"]["lead_contact"]
            )
        told = set(Notification.objects.values_list("user__username", flat=True))
        assert told == {"p-member", "p-alead", "p-staff"}
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            ["p-member@example.org", "p-alead@example.org", "p-staff@example.org"]
        )
        assert "楼宇人才共建" in mailoutbox[0].subject


# --- progress, milestones, amounts -------------------------------------------------------------


class TestProgress:
    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("staff", True),
            ("lead_contact", True),
            ("co_organizer", True),
            ("participant", False),
            ("stranger_contact", False),
        ],
    )
    def test_who_reports_progress(self, world, role, allowed):
        project = world["project"]
        ProjectParticipantFactory(project=project, unit=world["member"], role="co_organizer")
        ProjectParticipantFactory(project=project, unit=world["provider"], role="participant")
        user = {
            "co_organizer": world["users"]["member_contact"],
            "participant": world["users"]["provider_contact"],
        }.get(role) or world["users"][role]
        if allowed:
            project_progress(project=project, by=user, progress=40, comment="完成招聘会")
            event = project.events.filter(kind="progress").get()
            assert (event.progress, event.comment, event.actor) == (40, "完成招聘会", user)
            assert fresh(project).progress == 40
        else:
            with pytest.raises(PermissionDenied):
                project_progress(project=project, by=user, progress=40)

    @pytest.mark.parametrize("value", [-1, 101, "50", None, True])
    def test_progress_is_a_whole_percentage(self, world, value):
        with pytest.raises(ValidationError) as exc:
            project_progress(project=world["project"], by=world["users"]["staff"], progress=value)
        assert set(exc.value.message_dict) == {"progress"}

    def test_no_progress_on_a_finished_project(self, world):
        project_transition(
            project=world["project"], to="cancelled", by=world["users"]["staff"], comment="x"
        )
        with pytest.raises(ValidationError):
            project_progress(project=world["project"], by=world["users"]["staff"], progress=10)

    def test_milestones_are_added_and_done(self, world):
        user = world["users"]["lead_contact"]
        milestone = milestone_add(
            project=world["project"], by=user, title="结项评估", due_on=datetime.date(2026, 12, 1)
        )
        milestone = milestone_done(milestone=milestone, by=user, done_on=datetime.date(2026, 1, 5))
        assert milestone.done_on == datetime.date(2026, 1, 5)
        with pytest.raises(ValidationError) as exc:
            milestone_done(milestone=milestone, by=user)
        assert set(exc.value.message_dict) == {"done_on"}
        comments = list(
            world["project"].events.filter(kind="milestone").values_list("comment", flat=True)
        )
        assert len(comments) == 2 and "结项评估" in comments[1]
        with pytest.raises(PermissionDenied):
            milestone_add(
                project=world["project"],
                by=world["users"]["stranger_contact"],
                title="x",
                due_on=datetime.date(2026, 12, 1),
            )

    def test_a_milestone_is_not_done_in_the_future(self, world):
        milestone = world["project"].milestones.get()
        with pytest.raises(ValidationError):
            milestone_done(
                milestone=milestone, by=world["users"]["staff"], done_on=datetime.date(2999, 1, 1)
            )

    def test_co_organizer_edits_the_amounts_with_history_but_not_the_title(self, world):
        ProjectParticipantFactory(
            project=world["project"], unit=world["member"], role="co_organizer"
        )
        contact = world["users"]["member_contact"]
        project_update(
            project=world["project"],
            by=contact,
            data={"budget": Decimal("60000"), "contract_amount": Decimal("45000.50")},
        )
        project = fresh(world["project"])
        assert project.contract_amount == Decimal("45000.50")
        assert project.history.first().history_user == contact
        event = project.events.filter(kind="comment").get()
        assert "50,000.00 → 60,000.00" in event.comment
        with pytest.raises(PermissionDenied):
            project_update(project=project, by=contact, data={"title": "改名"})

    def test_changing_the_lead_moves_the_lead_role(self, world):
        project_update(
            project=world["project"],
            by=world["users"]["staff"],
            data={"lead_unit": world["member"]},
        )
        roles = dict(world["project"].participants.values_list("unit__name", "role"))
        assert roles == {"成员单位": "lead", "项目牵头单位": "co_organizer"}


# --- demands and activities --------------------------------------------------------------------


class TestFromDemand:
    @pytest.fixture
    def demand(self, world):
        return DemandFactory(unit=world["member"], region=world["region"], category="legal")

    def test_secretary_turns_a_demand_into_a_project_and_both_sides_link(self, world, demand):
        secretary = world["users"]["secretary"]
        project = project_from_demand(
            demand=demand, by=secretary, data={"alliance": world["alliance"]}
        )
        demand.refresh_from_db()
        assert demand.project == project and project.from_demand == demand
        assert (project.title, project.category, project.region) == (
            demand.title,
            "legal",
            world["region"],
        )
        event = DemandEvent.objects.get(demand=demand, kind="project")
        assert event.actor == secretary and project.title in event.comment
        created = project.events.get(kind=ProjectEventKind.CREATED)
        assert demand.title in created.comment
        # The raising unit takes part; the alliance's lead unit leads.
        assert dict(project.participants.values_list("unit__name", "role")) == {
            "联盟牵头单位": "lead",
            "成员单位": "participant",
        }
        assert Notification.objects.filter(user=world["users"]["member_contact"]).exists()

    def test_a_demand_becomes_one_project_only(self, world, demand):
        project_from_demand(
            demand=demand, by=world["users"]["staff"], data={"alliance": world["alliance"]}
        )
        with pytest.raises(ValidationError) as exc:
            project_from_demand(
                demand=demand, by=world["users"]["staff"], data={"alliance": world["alliance"]}
            )
        assert set(exc.value.message_dict) == {"demand"}

    @pytest.mark.parametrize("role", ["other_secretary", "member_contact", "alliance_lead"])
    def test_only_staff_and_the_streets_secretary_may(self, world, demand, role):
        with pytest.raises(PermissionDenied):
            project_from_demand(
                demand=demand, by=world["users"][role], data={"alliance": world["alliance"]}
            )

    def test_the_page_prefills_from_the_demand_and_creates(self, client, world, demand):
        url = reverse("services:project-from-demand", args=[demand.pk])
        as_user(client, world, "secretary")
        form = client.get(url).context["form"]
        assert form.initial["title"] == demand.title and form.initial["category"] == "legal"
        response = client.post(
            url,
            {
                "title": "法律服务进楼宇",
                "alliance": world["alliance"].pk,
                "category": "legal",
                "add_demand_unit": "on",
            },
        )
        demand.refresh_from_db()
        assert response.status_code == 302 and response.url == demand.project.get_absolute_url()
        assert demand.project.title == "法律服务进楼宇"
        again = client.post(
            url, {"title": "x", "alliance": world["alliance"].pk, "category": "legal"}
        )
        assert again.status_code == 400 and "demand" not in again.context["form"].fields
        assert again.context["form"].non_field_errors()

    @pytest.mark.parametrize(
        ("role", "status"), [("other_secretary", 404), ("member_contact", 403)]
    )
    def test_the_page_refuses_others(self, client, world, demand, role, status):
        url = reverse("services:project-from-demand", args=[demand.pk])
        assert as_user(client, world, role).get(url).status_code == status


class TestActivityLink:
    def test_activity_links_to_a_project_under_way_through_the_form(self, client, world, region):
        from services.models import Activity

        project = world["project"]
        project_transition(project=project, to="in_progress", by=world["users"]["staff"])
        as_user(client, world, "secretary")
        form = client.get(reverse("services:activity-create")).context["form"]
        assert list(form.fields["project"].queryset) == [project]
        response = client.post(
            reverse("services:activity-create"),
            {
                "activity_type": "forum",
                "held_on": "2026-01-10",
                "title": "人才政策宣讲",
                "place": "虹桥天地",
                "region": region.pk,
                "participant_count": 30,
                "party_member_count": 10,
                "project": project.pk,
            },
        )
        activity = Activity.objects.get(title="人才政策宣讲")
        assert response.status_code == 302 and activity.project == project
        detail = client.get(activity.get_absolute_url()).content.decode()
        assert project.get_absolute_url() in detail
        page = client.get(project.get_absolute_url())
        assert [a.title for a in page.context["activities"]] == ["人才政策宣讲"]
        assert "activity" in {entry.kind for entry in page.context["timeline"]}

    def test_open_projects_cannot_be_linked(self, client, world, region):
        as_user(client, world, "secretary")
        response = client.post(
            reverse("services:activity-create"),
            {
                "activity_type": "forum",
                "held_on": "2026-01-10",
                "title": "x",
                "place": "y",
                "region": region.pk,
                "participant_count": 3,
                "party_member_count": 0,
                "project": world["project"].pk,
            },
        )
        assert response.status_code == 400 and "project" in response.context["form"].errors

    def test_the_activity_list_filters_by_project(self, client, world, region):
        project = world["project"]
        ActivityFactory(title="项目活动", region=region, project=project)
        ActivityFactory(title="其他活动", region=region)
        as_user(client, world, "staff")
        response = client.get(reverse("services:activity-list"), {"project": project.pk})
        assert [a.title for a in response.context["object_list"]] == ["项目活动"]


# --- the board ---------------------------------------------------------------------------------


@pytest.fixture
def board(world):
    """Projects in several statuses, alliances, regions and categories."""
    staff = world["users"]["staff"]
    proposed = project_create(
        by=staff,
        data={
            "title": "七宝草案",
            "alliance": world["other_alliance"],
            "lead_unit": world["stranger"],
            "category": "tax",
        },
    )
    done = JointProjectFactory(
        title="已完成的项目",
        alliance=world["alliance"],
        lead_unit=world["lead"],
        status="completed",
        region=world["region"],
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        contract_amount=Decimal("1234.5"),
        progress=100,
    )
    ProjectParticipantFactory(project=done, unit=world["lead"], role="lead")
    ProjectParticipantFactory(project=done, unit=world["member"])
    return {"proposed": proposed, "done": done}


def board_titles(response) -> set[str]:
    assert response.status_code == 200
    return {p.title for p in response.context["projects"]}


class TestBoard:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("staff", {"楼宇人才共建", "七宝草案", "已完成的项目"}),
            ("secretary", {"楼宇人才共建", "七宝草案", "已完成的项目"}),
            ("member_contact", {"楼宇人才共建", "已完成的项目"}),
            ("stranger_contact", {"楼宇人才共建", "七宝草案", "已完成的项目"}),
        ],
    )
    def test_scope(self, client, world, board, role, expected):
        assert board_titles(as_user(client, world, role).get(BOARD)) == expected

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(BOARD).status_code == 302

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"status": "open"}, {"楼宇人才共建"}),
            ({"status": ["open", "completed"]}, {"楼宇人才共建", "已完成的项目"}),
            ({"category": "tax"}, {"七宝草案"}),
            ({"region": "310112102"}, {"七宝草案"}),
            ({"region": "310112"}, {"楼宇人才共建", "七宝草案", "已完成的项目"}),
            ({"region": "nowhere"}, set()),
            ({"q": "共建"}, {"楼宇人才共建"}),
            ({"q": "联合招聘"}, {"楼宇人才共建"}),
            ({"active_from": "2026-01-01"}, {"楼宇人才共建", "七宝草案"}),
            ({"active_until": "2025-12-31"}, {"七宝草案", "已完成的项目"}),
            ({"has_open_claims": "true"}, set()),
            ({"has_open_claims": "false"}, {"楼宇人才共建", "七宝草案", "已完成的项目"}),
        ],
    )
    def test_filters(self, client, world, board, params, expected):
        assert board_titles(as_user(client, world, "staff").get(BOARD, params)) == expected

    def test_filters_by_alliance_unit_claims_and_mine(self, client, world, board):
        from services.actions.claims import claim_create

        claim_create(
            kind="unit_claims_project",
            by=world["users"]["member_contact"],
            project=world["project"],
        )
        as_user(client, world, "member_contact")
        assert board_titles(client.get(BOARD, {"alliance": world["alliance"].pk})) == {
            "楼宇人才共建",
            "已完成的项目",
        }
        assert board_titles(client.get(BOARD, {"lead_unit": world["stranger"].pk})) == set()
        assert board_titles(client.get(BOARD, {"participant": world["member"].pk})) == {
            "已完成的项目"
        }
        assert board_titles(client.get(BOARD, {"has_open_claims": "true"})) == {"楼宇人才共建"}
        assert board_titles(client.get(BOARD, {"mine": "true"})) == {"已完成的项目"}
        response = client.get(BOARD, {"participant": 10**30})
        assert response.status_code == 200 and not response.context["projects"]
        assert response.context["filter"].errors

    def test_status_tabs_count_under_the_other_filters(self, client, world, board):
        response = as_user(client, world, "staff").get(BOARD, {"alliance": world["alliance"].pk})
        tabs = {t["value"]: t["count"] for t in response.context["status_tabs"]}
        assert tabs[""] == 2 and tabs["open"] == 1 and tabs["completed"] == 1
        assert tabs["proposed"] == 0
        picked = client.get(BOARD, {"status": "open"})
        assert [t["value"] for t in picked.context["status_tabs"] if t["active"]] == ["open"]

    def test_owner_changes_the_status_from_the_board_with_htmx(self, client, world, board):
        as_user(client, world, "lead_contact")
        page = client.get(BOARD).content.decode()
        assert 'data-testid="transition-in_progress"' in page
        url = reverse("services:project-transition", args=[world["project"].pk])
        response = client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "services/project_row.html" in [t.name for t in response.templates]
        assert 'data-status="in_progress"' in response.content.decode()
        # An illegal move comes back in the row, the status unchanged.
        response = client.post(url, {"status": "proposed"}, HTTP_HX_REQUEST="true")
        assert 'data-testid="row-error"' in response.content.decode()
        assert fresh(world["project"]).status == "in_progress"

    def test_without_htmx_the_board_posts_and_comes_back(self, client, world, board):
        as_user(client, world, "lead_contact")
        url = reverse("services:project-transition", args=[world["project"].pk])
        response = client.post(url, {"status": "in_progress", "next": BOARD + "?status=open"})
        assert response.status_code == 302 and response.url == BOARD + "?status=open"
        assert fresh(world["project"]).status == "in_progress"

    def test_others_see_no_status_buttons_and_cannot_post(self, client, world, board):
        as_user(client, world, "member_contact")
        assert 'data-testid="transition-' not in client.get(BOARD).content.decode()
        url = reverse("services:project-transition", args=[world["project"].pk])
        assert client.post(url, {"status": "in_progress"}).status_code == 403

    def test_export_is_the_filtered_list_with_numbers_as_numbers(self, client, world, board):
        as_user(client, world, "staff")
        response = client.get(BOARD, {"format": "xlsx", "alliance": world["alliance"].pk})
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [str(h) for h in EXPORT_HEADERS]
        assert rows[0][0] == gettext("title")
        by_title = {row[0]: row for row in rows[1:]}
        assert set(by_title) == {"楼宇人才共建", "已完成的项目"}
        done = by_title["已完成的项目"]
        assert done[1] == gettext("Completed") and done[9] == 1234.5 and done[10] == 100
        assert done[11] == 2  # the lead and the member
        assert by_title["楼宇人才共建"][8] == 50000

    def test_export_writes_formulas_as_text(self, client, world):
        JointProjectFactory(title="=HYPERLINK(1)", alliance=world["alliance"])
        response = as_user(client, world, "staff").get(BOARD, {"format": "xlsx"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert "'=HYPERLINK(1)" in [row[0] for row in sheet.iter_rows(values_only=True)]

    @pytest.mark.parametrize(
        ("role", "queries", "rows"), [("staff", 8, 33), ("member_contact", 9, 32)]
    )
    def test_query_count_does_not_grow_with_rows(
        self, client, world, board, role, queries, rows, django_assert_num_queries
    ):
        as_user(client, world, role)
        # Session, user, count, rows, status counts, owned rows, the region and alliance choices of the
        # filter;
        # for a unit contact also whether their unit leads an alliance (the publish button).
        with django_assert_num_queries(queries):
            client.get(BOARD)
        for _n in range(30):
            project = JointProjectFactory(alliance=world["alliance"], lead_unit=world["member"])
            ProjectParticipantFactory(project=project, unit=world["stranger"])
        with django_assert_num_queries(queries):
            response = client.get(BOARD)
        assert len(response.context["projects"]) == rows


# --- a project's page --------------------------------------------------------------------------


class TestProjectPage:
    @pytest.mark.parametrize(
        ("role", "status", "forms"),
        [
            ("staff", 200, {"transition_form", "progress_form", "amounts_form", "invite_form"}),
            ("lead_contact", 200, {"transition_form", "progress_form", "invite_form"}),
            ("member_contact", 200, {"claim_form"}),
            ("other_secretary", 200, set()),
        ],
    )
    def test_who_sees_which_forms(self, client, world, role, status, forms):
        response = as_user(client, world, role).get(world["project"].get_absolute_url())
        assert response.status_code == status
        present = {
            name
            for name in (
                "transition_form",
                "progress_form",
                "amounts_form",
                "invite_form",
                "resource_form",
                "claim_form",
                "milestone_form",
            )
            if name in response.context
        }
        assert forms <= present
        if role in {"member_contact", "other_secretary"}:
            assert not present & {"transition_form", "progress_form", "invite_form"}

    def test_a_proposed_project_is_hidden_from_other_contacts(self, client, world, board):
        url = board["proposed"].get_absolute_url()
        assert as_user(client, world, "member_contact").get(url).status_code == 404

    def test_the_page_shows_participants_milestones_timeline_and_suggestions(self, client, world):
        ResourceOfferFactory(unit=world["member"], category="training", title="党务培训")
        response = as_user(client, world, "staff").get(world["project"].get_absolute_url())
        html = response.content.decode()
        assert 'data-testid="participant"' in html and "启动会" in html
        kinds = [entry.kind for entry in response.context["timeline"]]
        assert kinds.count("event") == 2 and "milestone_due" in kinds
        assert response.context["history"] is not None
        assert 'data-testid="suggestions"' in html

    def test_a_refused_transition_shows_the_form_error(self, client, world):
        as_user(client, world, "staff")
        url = reverse("services:project-transition", args=[world["project"].pk])
        response = client.post(url, {"status": "cancelled"})
        assert response.status_code == 400
        assert response.context["transition_form"].errors["comment"] == [
            gettext("Give the reason for cancelling the project.")
        ]
        response = client.post(url, {"status": "completed"})
        assert response.context["transition_form"].errors["status"]

    def test_progress_milestone_and_amounts_from_the_page(self, client, world):
        as_user(client, world, "lead_contact")
        project = world["project"]
        response = client.post(
            reverse("services:project-progress", args=[project.pk]),
            {"progress": 30, "comment": "过半"},
        )
        assert response.status_code == 302 and fresh(project).progress == 30
        bad = client.post(
            reverse("services:project-progress", args=[project.pk]), {"progress": 300}
        )
        assert bad.status_code == 400 and "progress" in bad.context["progress_form"].errors
        client.post(
            reverse("services:project-milestone-add", args=[project.pk]),
            {"title": "中期检查", "due_on": "2026-11-01"},
        )
        milestone = project.milestones.get(title="中期检查")
        client.post(reverse("services:project-milestone-done", args=[project.pk, milestone.pk]))
        milestone.refresh_from_db()
        assert milestone.done_on is not None
        client.post(
            reverse("services:project-amounts", args=[project.pk]),
            {"budget": "80000", "contract_amount": "70000"},
        )
        assert fresh(project).contract_amount == Decimal("70000")

    def test_owner_edits_and_others_may_not(self, client, world):
        url = reverse("services:project-update", args=[world["project"].pk])
        assert as_user(client, world, "member_contact").get(url).status_code == 403
        client.logout()
        as_user(client, world, "alliance_lead")
        response = client.post(
            url,
            {
                "title": "楼宇人才共建（二期）",
                "alliance": world["alliance"].pk,
                "lead_unit": world["lead"].name,
                "category": "talent",
                "region": world["region"].pk,
                "starts_on": "2026-09-01",
                "ends_on": "2026-08-01",
            },
        )
        assert response.status_code == 400 and "ends_on" in response.context["form"].errors
        response = client.post(
            url,
            {
                "title": "楼宇人才共建（二期）",
                "alliance": world["alliance"].pk,
                "lead_unit": world["lead"].credit_code,
                "category": "talent",
                "region": world["region"].pk,
            },
        )
        assert response.status_code == 302
        assert fresh(world["project"]).title == "楼宇人才共建（二期）"

    def test_create_page_with_milestones(self, client, world):
        as_user(client, world, "alliance_lead")
        assert client.get(CREATE).status_code == 200
        response = client.post(
            CREATE,
            {
                "title": "社区微更新",
                "alliance": world["alliance"].pk,
                "category": "daily_life",
                "open_now": "on",
                "milestones-TOTAL_FORMS": "2",
                "milestones-INITIAL_FORMS": "0",
                "milestones-0-title": "方案征集",
                "milestones-0-due_on": "2026-10-01",
                "milestones-1-title": "",
                "milestones-1-due_on": "",
            },
        )
        project = JointProject.objects.get(title="社区微更新")
        assert response.status_code == 302 and project.status == "open"
        assert list(project.milestones.values_list("title", flat=True)) == ["方案征集"]
        bad = client.post(
            CREATE,
            {
                "title": "x",
                "alliance": world["other_alliance"].pk,
                "category": "daily_life",
                "milestones-TOTAL_FORMS": "1",
                "milestones-INITIAL_FORMS": "0",
                "milestones-0-title": "缺日期",
            },
        )
        assert bad.status_code == 400 and "alliance" in bad.context["form"].errors
        assert bad.context["milestones"].forms[0].errors

    @pytest.mark.parametrize(
        ("role", "status"), [("member_contact", 403), ("lead_contact", 403), ("staff", 200)]
    )
    def test_who_opens_the_create_page(self, client, world, role, status):
        assert as_user(client, world, role).get(CREATE).status_code == status


def test_project_event_kinds_cover_the_timeline(world):
    """Every event the portal writes has a kind the timeline can name."""
    kinds = set(ProjectEvent.objects.values_list("kind", flat=True))
    assert kinds <= set(ProjectEventKind.values)
