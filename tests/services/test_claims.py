"""双向认领: units claim projects and demands, projects invite units and ask for offers, and the other side
answers; role by role, in the actions, on the claims page (htmx and plain) and by e-mail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from portal.notifications.models import Notification
from services.actions import claims as claim_actions
from services.actions.claims import claim_accept, claim_create, claim_decline, claim_withdraw
from services.actions.projects import project_transition
from services.models import Claim, DemandEvent, JointProject, ProjectParticipant
from services.selectors.claims import claim_can_decide, claims_to_decide
from tests.factories import DemandFactory, ProjectParticipantFactory, ResourceOfferFactory
from tests.services.test_projects import make_world

pytestmark = pytest.mark.django_db

CLAIMS = reverse("services:claim-list")
DECIDERS = ["staff", "secretary", "alliance_lead", "lead_contact"]
NOT_DECIDERS = ["other_secretary", "member_contact", "stranger_contact", "provider_contact"]


@pytest.fixture
def world(region):
    return make_world(region)


def claim_by_member(world, **kwargs) -> Claim:
    return claim_create(
        kind="unit_claims_project",
        by=world["users"]["member_contact"],
        project=world["project"],
        **kwargs,
    )


def as_user(client, world, role):
    client.force_login(world["users"][role])
    return client


# --- a unit claims a project -------------------------------------------------------------------


class TestUnitClaimsProject:
    def test_a_contact_claims_for_their_unit_and_the_owners_are_told(self, world):
        Notification.objects.all().delete()
        claim = claim_by_member(world, role="co_organizer", message="我们提供场地")
        assert (claim.unit, claim.role, claim.status, claim.created_by) == (
            world["member"],
            "co_organizer",
            "pending",
            world["users"]["member_contact"],
        )
        event = world["project"].events.filter(kind="claim").get()
        assert "成员单位" in event.comment
        told = set(Notification.objects.values_list("user__username", flat=True))
        assert told == {"p-lead", "p-alead", "p-staff"}

    @pytest.mark.parametrize("role", DECIDERS)
    def test_owners_accept_the_unit_joins_and_the_project_is_claimed(self, world, role):
        claim = claim_by_member(world, role="co_organizer")
        claim = claim_accept(claim=claim, by=world["users"][role])
        assert claim.status == "accepted" and claim.decided_by == world["users"][role]
        participant = ProjectParticipant.objects.get(project=world["project"], unit=world["member"])
        assert participant.role == "co_organizer"
        project = JointProject.objects.get(pk=world["project"].pk)
        assert project.status == "claimed"
        status_event = project.events.filter(kind="status").last()
        assert (status_event.from_status, status_event.to_status) == ("open", "claimed")

    @pytest.mark.parametrize("role", NOT_DECIDERS)
    def test_others_cannot_answer(self, world, role):
        claim = claim_by_member(world)
        assert not claim_can_decide(world["users"][role], claim)
        with pytest.raises(PermissionDenied):
            claim_accept(claim=claim, by=world["users"][role])
        with pytest.raises(PermissionDenied):
            claim_decline(claim=claim, by=world["users"][role], reason="不合适")

    def test_a_second_participant_leaves_a_running_project_as_it_is(self, world):
        project_transition(project=world["project"], to="in_progress", by=world["users"]["staff"])
        claim_accept(claim=claim_by_member(world), by=world["users"]["staff"])
        assert JointProject.objects.get(pk=world["project"].pk).status == "in_progress"

    def test_one_pending_claim_per_unit_and_project(self, world):
        claim = claim_by_member(world)
        with pytest.raises(ValidationError) as exc:
            claim_by_member(world)
        assert exc.value.message_dict == {
            "project": [
                gettext(
                    "There is already a pending claim or invitation between this unit and the project."
                )
            ]
        }
        # An invitation to the same unit is the same pair.
        with pytest.raises(ValidationError):
            claim_create(
                kind="project_invites_unit",
                by=world["users"]["staff"],
                project=world["project"],
                unit=world["member"],
            )
        claim_decline(claim=claim, by=world["users"]["staff"], reason="名额已满")
        assert claim_by_member(world).status == "pending"

    def test_the_database_has_the_last_word_on_duplicates(self, world, monkeypatch):
        claim_by_member(world)
        monkeypatch.setattr(claim_actions, "has_pending", lambda **kwargs: False)
        with pytest.raises(ValidationError) as exc:
            claim_by_member(world)
        assert set(exc.value.message_dict) == {"project"}
        assert Claim.objects.count() == 1

    def test_a_participant_cannot_claim(self, world):
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="unit_claims_project",
                by=world["users"]["lead_contact"],
                project=world["project"],
            )
        assert exc.value.message_dict == {
            "unit": [gettext("This unit already takes part in the project.")]
        }

    @pytest.mark.parametrize("status", ["proposed", "completed", "cancelled"])
    def test_only_projects_taking_units_can_be_claimed(self, world, status):
        JointProject.objects.filter(pk=world["project"].pk).update(status=status)
        world["project"].refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            claim_by_member(world)
        assert set(exc.value.message_dict) == {"project"}

    def test_the_lead_role_is_not_claimed(self, world):
        with pytest.raises(ValidationError) as exc:
            claim_by_member(world, role="lead")
        assert set(exc.value.message_dict) == {"role"}

    @pytest.mark.parametrize("role", ["secretary", "other_secretary"])
    def test_secretaries_do_not_claim(self, world, role):
        with pytest.raises(PermissionDenied):
            claim_create(
                kind="unit_claims_project", by=world["users"][role], project=world["project"]
            )

    def test_staff_claim_for_a_named_unit_and_contacts_only_for_their_own(self, world):
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="unit_claims_project", by=world["users"]["staff"], project=world["project"]
            )
        assert set(exc.value.message_dict) == {"unit"}
        claim = claim_create(
            kind="unit_claims_project",
            by=world["users"]["staff"],
            project=world["project"],
            unit=world["stranger"],
        )
        assert claim.unit == world["stranger"]
        with pytest.raises(ValidationError):
            claim_by_member(world, unit=world["provider"])

    def test_decline_needs_a_reason_and_tells_the_claimer(self, world):
        claim = claim_by_member(world)
        with pytest.raises(ValidationError) as exc:
            claim_decline(claim=claim, by=world["users"]["lead_contact"], reason="  ")
        assert exc.value.message_dict == {"reason": [gettext("Give the reason for declining.")]}
        Notification.objects.all().delete()
        claim = claim_decline(claim=claim, by=world["users"]["lead_contact"], reason="名额已满")
        assert (claim.status, claim.decision_reason) == ("declined", "名额已满")
        [notice] = Notification.objects.all()
        assert notice.user == world["users"]["member_contact"] and notice.body == "名额已满"
        with pytest.raises(ValidationError) as exc:
            claim_accept(claim=claim, by=world["users"]["staff"])
        assert set(exc.value.message_dict) == {"status"}

    def test_the_claimer_withdraws_and_nobody_else_on_their_side(self, world):
        claim = claim_by_member(world)
        with pytest.raises(PermissionDenied):
            claim_withdraw(claim=claim, by=world["users"]["lead_contact"])
        claim = claim_withdraw(claim=claim, by=world["users"]["member_contact"])
        assert claim.status == "withdrawn"
        assert world["project"].events.filter(kind="claim").count() == 2


# --- a project invites a unit, asks for an offer -----------------------------------------------


class TestProjectSide:
    def test_owner_invites_and_the_invited_contact_accepts(self, world):
        claim = claim_create(
            kind="project_invites_unit",
            by=world["users"]["alliance_lead"],
            project=world["project"],
            unit=world["stranger"],
            role="participant",
        )
        assert claims_to_decide(world["users"]["stranger_contact"])
        assert not claim_can_decide(world["users"]["lead_contact"], claim)
        with pytest.raises(PermissionDenied):
            claim_accept(claim=claim, by=world["users"]["member_contact"])
        claim_accept(claim=claim, by=world["users"]["stranger_contact"])
        assert ProjectParticipant.objects.filter(
            project=world["project"], unit=world["stranger"], role="participant"
        ).exists()
        # The inviting side withdraws its invitations, the invited side does not.
        second = claim_create(
            kind="project_invites_unit",
            by=world["users"]["staff"],
            project=world["project"],
            unit=world["provider"],
        )
        with pytest.raises(PermissionDenied):
            claim_withdraw(claim=second, by=world["users"]["provider_contact"])
        assert claim_withdraw(claim=second, by=world["users"]["lead_contact"]).status == "withdrawn"

    @pytest.mark.parametrize("role", ["member_contact", "other_secretary", "stranger_contact"])
    def test_only_owners_invite(self, world, role):
        with pytest.raises(PermissionDenied):
            claim_create(
                kind="project_invites_unit",
                by=world["users"][role],
                project=world["project"],
                unit=world["provider"],
            )

    def test_a_participant_is_not_invited(self, world):
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="project_invites_unit",
                by=world["users"]["staff"],
                project=world["project"],
                unit=world["lead"],
            )
        assert set(exc.value.message_dict) == {"unit"}

    def test_owner_requests_an_offer_and_the_offering_unit_joins_as_provider(self, world):
        claim = claim_create(
            kind="project_requests_resource",
            by=world["users"]["lead_contact"],
            project=world["project"],
            resource_offer=world["offer"],
            role="co_organizer",
        )
        assert (claim.unit, claim.role) == (world["provider"], "resource_provider")
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="project_requests_resource",
                by=world["users"]["staff"],
                project=world["project"],
                resource_offer=world["offer"],
            )
        assert exc.value.message_dict == {
            "resource_offer": [gettext("This offer has already been requested for the project.")]
        }
        with pytest.raises(PermissionDenied):
            claim_accept(claim=claim, by=world["users"]["lead_contact"])
        claim_accept(claim=claim, by=world["users"]["provider_contact"])
        assert ProjectParticipant.objects.get(
            project=world["project"], unit=world["provider"]
        ).role == ("resource_provider")
        assert JointProject.objects.get(pk=world["project"].pk).status == "claimed"

    def test_a_participating_units_offer_may_still_be_requested(self, world):
        ProjectParticipantFactory(
            project=world["project"], unit=world["provider"], role="participant"
        )
        claim = claim_create(
            kind="project_requests_resource",
            by=world["users"]["staff"],
            project=world["project"],
            resource_offer=world["offer"],
        )
        claim_accept(claim=claim, by=world["users"]["provider_contact"])
        participant = ProjectParticipant.objects.get(
            project=world["project"], unit=world["provider"]
        )
        assert participant.role == "participant"
        assert "共享会议室" in world["project"].events.filter(kind="participant").last().comment

    def test_a_withdrawn_offer_is_not_requested(self, world):
        offer = ResourceOfferFactory(unit=world["provider"], is_active=False)
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="project_requests_resource",
                by=world["users"]["staff"],
                project=world["project"],
                resource_offer=offer,
            )
        assert set(exc.value.message_dict) == {"resource_offer"}

    def test_kinds_and_targets_must_match(self, world):
        demand = DemandFactory(unit=world["member"], region=world["region"])
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="unit_claims_project",
                by=world["users"]["member_contact"],
                project=world["project"],
                demand=demand,
            )
        assert set(exc.value.message_dict) == {"demand"}
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="project_invites_unit",
                by=world["users"]["staff"],
                project=world["project"],
                unit=world["member"],
                resource_offer=world["offer"],
            )
        assert set(exc.value.message_dict) == {"resource_offer"}


# --- demands ----------------------------------------------------------------------------------


class TestDemands:
    @pytest.fixture
    def demand(self, world):
        return DemandFactory(unit=world["stranger"], region=world["region"], status="accepted")

    def test_a_unit_offers_to_handle_and_the_streets_secretary_assigns_it(self, world, demand):
        offer = claim_create(
            kind="unit_claims_demand", by=world["users"]["member_contact"], demand=demand
        )
        rival = claim_create(
            kind="unit_claims_demand", by=world["users"]["provider_contact"], demand=demand
        )
        assert DemandEvent.objects.filter(demand=demand, kind="comment").count() == 2
        for role in ["other_secretary", "alliance_lead", "stranger_contact"]:
            with pytest.raises(PermissionDenied):
                claim_accept(claim=offer, by=world["users"][role])
        claim_accept(claim=offer, by=world["users"]["secretary"])
        demand.refresh_from_db()
        assert demand.assignee_unit == world["member"] and demand.status == "assigned"
        rival.refresh_from_db()
        assert rival.status == "declined"
        assert rival.decision_reason == gettext("Another unit was chosen to handle the demand.")
        # Assigned: no more offers.
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="unit_claims_demand", by=world["users"]["alliance_lead"], demand=demand
            )
        assert set(exc.value.message_dict) == {"demand"}

    def test_a_submitted_demand_is_accepted_before_it_is_assigned(self, world, demand):
        demand.status = "submitted"
        demand.save()
        offer = claim_create(
            kind="unit_claims_demand", by=world["users"]["member_contact"], demand=demand
        )
        with pytest.raises(ValidationError) as exc:
            claim_accept(claim=offer, by=world["users"]["staff"])
        assert set(exc.value.message_dict) == {"status"}
        offer.refresh_from_db()
        assert offer.status == "pending"

    def test_a_unit_does_not_offer_to_handle_its_own_demand(self, world, demand):
        with pytest.raises(ValidationError) as exc:
            claim_create(
                kind="unit_claims_demand", by=world["users"]["stranger_contact"], demand=demand
            )
        assert set(exc.value.message_dict) == {"unit"}

    def test_the_streets_secretary_requests_an_offer_for_the_demand(self, world, demand):
        with pytest.raises(PermissionDenied):
            claim_create(
                kind="demand_requests_resource",
                by=world["users"]["member_contact"],
                demand=demand,
                resource_offer=world["offer"],
            )
        claim = claim_create(
            kind="demand_requests_resource",
            by=world["users"]["secretary"],
            demand=demand,
            resource_offer=world["offer"],
        )
        assert claim.unit == world["provider"]
        assert claim_can_decide(world["users"]["provider_contact"], claim)
        assert not claim_can_decide(world["users"]["secretary"], claim)
        claim_accept(claim=claim, by=world["users"]["provider_contact"])
        assert (
            DemandEvent.objects.filter(demand=demand, comment__contains="共享会议室").count() == 2
        )


# --- e-mail over SMTP ---------------------------------------------------------------------------


def test_a_decision_arrives_by_mail_at_the_smtp_server(
    world, smtp_server, django_capture_on_commit_callbacks
):
    claim = claim_by_member(world)
    with django_capture_on_commit_callbacks(execute=True):
        claim_decline(claim=claim, by=world["users"]["lead_contact"], reason="名额已满")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "p-member@example.org"
    assert "楼宇人才共建" in message["Subject"]
    body = message.get_content()
    assert "名额已满" in body and "/services/claims/" in body


# --- the claims page ---------------------------------------------------------------------------


class TestClaimsPage:
    def test_tabs_list_what_to_answer_and_what_my_side_made(self, client, world):
        claim = claim_by_member(world)
        invitation = claim_create(
            kind="project_invites_unit",
            by=world["users"]["staff"],
            project=world["project"],
            unit=world["stranger"],
        )
        as_user(client, world, "lead_contact")
        response = client.get(CLAIMS, {"todo": "true"})
        assert [c.pk for c in response.context["claims"]] == [claim.pk]
        assert response.context["todo_count"] == 1 and response.context["claims"][0].can_decide
        assert [c.pk for c in client.get(CLAIMS, {"mine": "true"}).context["claims"]] == [
            invitation.pk
        ]
        client.force_login(world["users"]["member_contact"])
        response = client.get(CLAIMS, {"mine": "true"})
        assert [c.pk for c in response.context["claims"]] == [claim.pk]
        assert response.context["claims"][0].can_withdraw
        assert response.context["todo_count"] == 0

    def test_accept_with_htmx_swaps_the_row(self, client, world):
        claim = claim_by_member(world)
        as_user(client, world, "lead_contact")
        response = client.post(
            reverse("services:claim-accept", args=[claim.pk]), HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert response.status_code == 200 and f'id="claim-{claim.pk}"' in html
        assert 'data-status="accepted"' in html and 'data-testid="claim-accept"' not in html
        again = client.post(
            reverse("services:claim-accept", args=[claim.pk]), HTTP_HX_REQUEST="true"
        )
        assert 'data-testid="row-error"' in again.content.decode()

    def test_accept_without_htmx_comes_back_with_a_message(self, client, world):
        claim = claim_by_member(world)
        as_user(client, world, "staff")
        response = client.post(
            reverse("services:claim-accept", args=[claim.pk]),
            {"next": CLAIMS + "?todo=true"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == CLAIMS + "?todo=true"
        assert any("成员单位" in str(m) for m in response.context["messages"])

    def test_decline_needs_a_reason_with_and_without_htmx(self, client, world):
        claim = claim_by_member(world)
        as_user(client, world, "lead_contact")
        url = reverse("services:claim-decline", args=[claim.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"reason": ""}).status_code == 400
        response = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
        assert 'data-testid="row-error"' in response.content.decode()
        response = client.post(url, {"reason": "名额已满"}, HTTP_HX_REQUEST="true")
        assert 'data-status="declined"' in response.content.decode()

    def test_withdraw_and_others_are_refused(self, client, world):
        claim = claim_by_member(world)
        as_user(client, world, "stranger_contact")
        assert client.post(reverse("services:claim-withdraw", args=[claim.pk])).status_code == 404
        client.force_login(world["users"]["alliance_lead"])
        assert client.post(reverse("services:claim-withdraw", args=[claim.pk])).status_code == 403
        assert client.get(reverse("services:claim-decline", args=[claim.pk])).status_code == 200
        client.force_login(world["users"]["member_contact"])
        client.post(reverse("services:claim-withdraw", args=[claim.pk]))
        claim.refresh_from_db()
        assert claim.status == "withdrawn"

    def test_claim_invite_and_request_from_the_project_page(self, client, world):
        project = world["project"]
        as_user(client, world, "member_contact")
        response = client.post(
            reverse("services:project-claim", args=[project.pk]),
            {"role": "participant", "message": "愿意参与"},
        )
        assert response.status_code == 302
        page = client.get(project.get_absolute_url())
        assert page.context["my_pending"] is not None and "claim_form" not in page.context
        again = client.post(
            reverse("services:project-claim", args=[project.pk]), {"role": "participant"}
        )
        assert again.status_code == 400 and again.context["claim_form"].non_field_errors()
        client.force_login(world["users"]["lead_contact"])
        response = client.post(
            reverse("services:project-invite", args=[project.pk]),
            {"unit": world["stranger"].name, "role": "co_organizer"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("services:project-request-resource", args=[project.pk]),
            {"resource_offer": str(world["offer"].pk)},
        )
        assert response.status_code == 302
        bad = client.post(
            reverse("services:project-invite", args=[project.pk]),
            {"unit": "没有这个单位", "role": "participant"},
        )
        assert bad.status_code == 400 and "unit" in bad.context["invite_form"].errors
        assert set(project.claims.values_list("kind", flat=True)) == {
            "unit_claims_project",
            "project_invites_unit",
            "project_requests_resource",
        }

    def test_a_contact_offers_to_handle_a_demand_from_its_page(self, client, world):
        demand = DemandFactory(unit=world["stranger"], region=world["region"], status="accepted")
        url = reverse("services:demand-claim", args=[demand.pk])
        as_user(client, world, "member_contact")
        assert client.get(url).status_code == 200
        response = client.post(url, {"message": "我们有法务团队"})
        assert response.status_code == 302 and response.url == CLAIMS
        assert demand.claims.get().unit == world["member"]
        client.force_login(world["users"]["secretary"])
        assert client.get(url).status_code == 403
        request_url = reverse("services:demand-request-resource", args=[demand.pk])
        response = client.post(request_url, {"resource_offer": world["offer"].title})
        assert response.status_code == 302
        demand.status = "closed"
        demand.save()
        client.force_login(world["users"]["member_contact"])
        assert client.get(url).status_code == 404

    def test_query_count_does_not_grow_with_rows(self, client, world, django_assert_num_queries):
        for unit in (world["member"], world["stranger"]):
            claim_create(
                kind="unit_claims_project",
                by=world["users"]["staff"],
                project=world["project"],
                unit=unit,
            )
        as_user(client, world, "lead_contact")
        # Session, user, count, rows, the count of claims to answer.
        with django_assert_num_queries(5):
            response = client.get(CLAIMS)
        assert len(response.context["claims"]) == 2
        from tests.factories import MemberUnitFactory

        for _n in range(20):
            claim_create(
                kind="unit_claims_project",
                by=world["users"]["staff"],
                project=world["project"],
                unit=MemberUnitFactory(),
            )
        with django_assert_num_queries(5):
            response = client.get(CLAIMS)
        assert len(response.context["claims"]) == 22
