"""双向认领: the two-way claims between units, projects and demands, and their answers.

| kind | made by | answered by | accepting it |
| --- | --- | --- | --- |
| `unit_claims_project` | a unit's contact (staff for any unit) | the project's owners | the unit takes part with the role |
| `project_invites_unit` | the project's owners | the invited unit's contact | the unit takes part with the role |
| `project_requests_resource` | the project's owners | the offering unit's contact | the unit takes part as resource provider |
| `unit_claims_demand` | a unit's contact (staff for any unit) | staff, the demand's street secretary | the unit handles the demand |
| `demand_requests_resource` | staff, the demand's street secretary | the offering unit's contact | recorded on the demand |

District staff may answer or withdraw any claim. One claim is pending per pair at a time (the database
has the last word); each step is written to the project's (or the demand's) timeline and told to the
other side by notification and e-mail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import UnitStatus
from portal.core.decisions import lock_undecided, record_decision, required_reason
from portal.core.scoping import VIEW
from portal.notifications.actions import tell

from ..choices import (
    DEMAND_OPEN_STATUSES,
    ClaimKind,
    ClaimStatus,
    DemandEventKind,
    DemandStatus,
    ParticipantRole,
    ProjectEventKind,
)
from ..models import Claim, Demand, DemandEvent, JointProject, ProjectParticipant
from ..selectors.claims import (
    DEMAND_KINDS,
    PROJECT_KINDS,
    UNIT_INITIATED,
    claim_can_decide,
    claim_can_withdraw,
    claim_notice,
)
from ..selectors.projects import (
    can_handle_demand,
    is_project_owner,
)
from .projects import CLAIMABLE_STATUSES, project_claimed_if_open, project_event

if TYPE_CHECKING:
    from members.models import MemberUnit
    from portal.accounts.models import User
    from services.models import ResourceOffer

K = ClaimKind
RESOURCE_KINDS = (K.PROJECT_REQUESTS_RESOURCE, K.DEMAND_REQUESTS_RESOURCE)
# A demand takes offers to handle it until it is assigned.
DEMAND_CLAIMABLE = (DemandStatus.SUBMITTED, DemandStatus.ACCEPTED)
CLAIM_ROLES = (
    ParticipantRole.CO_ORGANIZER,
    ParticipantRole.PARTICIPANT,
    ParticipantRole.RESOURCE_PROVIDER,
)


# --- telling the other side --------------------------------------------------------------------


def tell_claim_initiators(claim: Claim, *, template: str, by, base_url: str | None) -> None:
    tell(
        **claim_notice(claim, to_initiators=True, template=template, base_url=base_url), exclude=by
    )


def _tell_deciders(claim: Claim, *, template: str, by, base_url: str | None) -> None:
    tell(
        **claim_notice(claim, to_initiators=False, template=template, base_url=base_url), exclude=by
    )


def _timeline(claim: Claim, *, by, comment: str) -> None:
    if claim.project_id:
        project_event(project=claim.project, kind=ProjectEventKind.CLAIM, by=by, comment=comment)
    else:
        DemandEvent.objects.create(
            demand=claim.demand,
            kind=DemandEventKind.COMMENT,
            actor=by if by is not None and by.is_authenticated else None,
            comment=comment,
        )


def _describe(claim: Claim) -> str:
    names = {"unit": claim.unit.name, "role": claim.get_role_display()}
    if claim.kind == K.UNIT_CLAIMS_PROJECT:
        return _("%(unit)s claims the project as %(role)s.") % names
    if claim.kind == K.PROJECT_INVITES_UNIT:
        return _("%(unit)s is invited to take part as %(role)s.") % names
    if claim.kind == K.UNIT_CLAIMS_DEMAND:
        return _("%(unit)s offers to handle the demand.") % names
    return _("The offer “%(offer)s” of %(unit)s is requested.") % {
        **names,
        "offer": claim.resource_offer.title,
    }


# --- making a claim ----------------------------------------------------------------------------


def _pending_message(kind: str) -> tuple[str, str]:
    """The field and message of the pending-claim rule of `kind` (the constraints' own messages)."""
    if kind == K.PROJECT_REQUESTS_RESOURCE:
        return "resource_offer", _("This offer has already been requested for the project.")
    if kind == K.DEMAND_REQUESTS_RESOURCE:
        return "resource_offer", _("This offer has already been requested for the demand.")
    if kind == K.UNIT_CLAIMS_DEMAND:
        return "demand", _("This unit has already offered to handle the demand.")
    return "project", _(
        "There is already a pending claim or invitation between this unit and the project."
    )


def _pending_exists(kind: str) -> ValidationError:
    field, message = _pending_message(kind)
    return ValidationError({field: ValidationError(message, code="unique")})


def _claiming_unit(*, by: User, unit: MemberUnit | None) -> MemberUnit:
    """A unit contact claims for their own unit; staff name the unit."""
    if by.is_district_staff:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that claims.")})
        return unit
    if not (by.is_unit_contact and by.unit_id):
        raise PermissionDenied(_("Only unit contacts claim, for their own unit."))
    if unit is not None and unit.pk != by.unit_id:
        raise ValidationError({"unit": _("You can claim only for your own unit.")})
    return by.unit


def _check_project(kind: str, *, project: JointProject | None, by: User) -> JointProject:
    if project is None:
        raise ValidationError({"project": _("Choose the project.")})
    if not JointProject.objects.restrict(by, VIEW).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("There is no such project.")})
    if kind != K.UNIT_CLAIMS_PROJECT and not is_project_owner(by, project):
        raise PermissionDenied(
            _("Only the project's owners invite units and request resources for it.")
        )
    if project.status not in CLAIMABLE_STATUSES:
        raise ValidationError(
            {
                "project": _("This project is %(status)s; it takes no claims now.")
                % {"status": project.get_status_display()}
            }
        )
    return project


def _check_demand(kind: str, *, demand: Demand | None, by: User) -> Demand:
    if demand is None:
        raise ValidationError({"demand": _("Choose the demand.")})
    if kind == K.DEMAND_REQUESTS_RESOURCE:
        if not can_handle_demand(by, demand):
            raise PermissionDenied(
                _("Only district staff and the demand's street secretary request resources for it.")
            )
        if demand.status not in DEMAND_OPEN_STATUSES:
            raise ValidationError({"demand": _("This demand is no longer open.")})
    elif demand.status not in DEMAND_CLAIMABLE or demand.assignee_unit_id is not None:
        raise ValidationError({"demand": _("This demand is no longer open to offers.")})
    return demand


def _check_offer(offer: ResourceOffer | None, unit: MemberUnit | None) -> ResourceOffer:
    if offer is None:
        raise ValidationError({"resource_offer": _("Choose the resource offer.")})
    if not offer.is_active:
        raise ValidationError({"resource_offer": _("This offer has been withdrawn.")})
    if unit is not None and unit.pk != offer.unit_id:
        raise ValidationError(
            {"unit": _("A request for a resource goes to the unit that offers it.")}
        )
    return offer


def has_pending(*, project, demand, unit, resource_offer) -> bool:
    """Whether the pair already has a pending claim (the friendly twin of the partial unique constraints)."""
    pending = Claim.objects.pending()
    target = {"project": project} if project is not None else {"demand": demand}
    if resource_offer is not None:
        return pending.filter(resource_offer=resource_offer, **target).exists()
    return pending.filter(unit=unit, resource_offer__isnull=True, **target).exists()


@transaction.atomic
def claim_create(
    *,
    kind: str,
    by: User,
    project: JointProject | None = None,
    demand: Demand | None = None,
    unit: MemberUnit | None = None,
    resource_offer: ResourceOffer | None = None,
    role: str = ParticipantRole.PARTICIPANT,
    message: str = "",
    base_url: str | None = None,
) -> Claim:
    """Make a claim, an invitation or a request for a resource (see the module's table)."""
    if not (by is not None and by.is_authenticated and by.is_active):
        raise PermissionDenied(_("Sign in to claim."))
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose what kind of claim this is.")})
    if kind in PROJECT_KINDS and demand is not None:
        raise ValidationError({"demand": _("A claim on a project names no demand.")})
    if kind in DEMAND_KINDS and project is not None:
        raise ValidationError({"project": _("A claim on a demand names no project.")})
    if kind not in RESOURCE_KINDS and resource_offer is not None:
        raise ValidationError(
            {"resource_offer": _("Only a request for a resource names a resource offer.")}
        )
    if kind in PROJECT_KINDS:
        project = _check_project(kind, project=project, by=by)
    else:
        demand = _check_demand(kind, demand=demand, by=by)
    if kind in UNIT_INITIATED:
        unit = _claiming_unit(by=by, unit=unit)
    elif kind in RESOURCE_KINDS:
        resource_offer = _check_offer(resource_offer, unit)
        unit = resource_offer.unit
        role = ParticipantRole.RESOURCE_PROVIDER
    elif unit is None:
        raise ValidationError({"unit": _("Choose the unit to invite.")})
    if kind in DEMAND_KINDS:
        role = ParticipantRole.PARTICIPANT
    elif role not in CLAIM_ROLES:
        raise ValidationError(
            {"role": _("Choose the role: co-organizer, participant or resource provider.")}
        )
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError({"unit": _("Only active units take part in projects and demands.")})
    if (
        kind in (K.UNIT_CLAIMS_PROJECT, K.PROJECT_INVITES_UNIT)
        and ProjectParticipant.objects.filter(project=project, unit=unit).exists()
    ):
        raise ValidationError({"unit": _("This unit already takes part in the project.")})
    if kind == K.UNIT_CLAIMS_DEMAND and demand.unit_id == unit.pk:
        raise ValidationError({"unit": _("A unit cannot offer to handle its own demand.")})
    if has_pending(project=project, demand=demand, unit=unit, resource_offer=resource_offer):
        raise _pending_exists(kind)
    claim = Claim(
        kind=kind,
        project=project,
        demand=demand,
        unit=unit,
        resource_offer=resource_offer,
        role=role,
        message=(message or "").strip(),
        created_by=by,
    )
    claim.full_clean(
        validate_constraints=False, exclude=["project", "demand", "unit", "resource_offer"]
    )
    claim._history_user = by
    try:
        # Two claims at once: the partial unique constraints let only one stay pending.
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:
        raise _pending_exists(kind) from exc
    _timeline(claim, by=by, comment=_describe(claim))
    _tell_deciders(claim, template="claim_new", by=by, base_url=base_url)
    return claim


# --- answering ---------------------------------------------------------------------------------


def _lock_pending(claim: Claim) -> Claim:
    """The claim read again and locked (only its row: the joins may be empty), if it still waits."""
    answering = Claim.objects.select_related(
        "project__alliance", "project__region", "demand__region", "unit", "resource_offer"
    )
    return lock_undecided(claim, queryset=answering, of=("self",))


def _require_decider(claim: Claim, by: User) -> None:
    if not claim_can_decide(by, claim):
        raise PermissionDenied(_("You cannot answer this claim."))


def _assign_demand(*, demand: Demand, unit: MemberUnit, by: User, base_url: str | None) -> None:
    """Hand the demand to the unit through the demand loop's own action (its rules and its mail):
    the demand must have been accepted first."""
    from .demands import demand_assign

    demand_assign(
        demand=demand,
        by=by,
        assignee_unit=unit,
        comment=_("The unit offered to handle the demand."),
        base_url=base_url,
    )


def _accept_for_project(claim: Claim, *, by: User) -> None:
    project = (
        JointProject.objects.select_for_update(of=("self",))
        .select_related("alliance", "region")
        .get(pk=claim.project_id)
    )
    claim.project = project
    if project.status not in CLAIMABLE_STATUSES:
        raise ValidationError(
            {
                "status": _("This project is %(status)s; it takes no more units.")
                % {"status": project.get_status_display()}
            }
        )
    taking_part = ProjectParticipant.objects.filter(project=project, unit=claim.unit).first()
    if taking_part is not None and claim.kind != K.PROJECT_REQUESTS_RESOURCE:
        raise ValidationError(
            {"unit": _("This unit has meanwhile joined the project; decline the claim instead.")}
        )
    if taking_part is None:
        ProjectParticipant.objects.create(
            project=project,
            unit=claim.unit,
            role=claim.role,
            joined_on=timezone.localdate(),
        )
        comment = _("%(unit)s joins the project as %(role)s.") % {
            "unit": claim.unit.name,
            "role": claim.get_role_display(),
        }
    else:
        comment = _("%(unit)s lends “%(offer)s” to the project.") % {
            "unit": claim.unit.name,
            "offer": claim.resource_offer.title,
        }
    project_event(project=project, kind=ProjectEventKind.PARTICIPANT, by=by, comment=comment)
    project_claimed_if_open(project, by=by)


def _accept_for_demand(claim: Claim, *, by: User, base_url: str | None) -> None:
    demand = (
        Demand.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=claim.demand_id)
    )
    claim.demand = demand
    if claim.kind == K.DEMAND_REQUESTS_RESOURCE:
        if demand.status not in DEMAND_OPEN_STATUSES:
            raise ValidationError({"status": _("This demand is no longer open.")})
        return
    if demand.status not in DEMAND_CLAIMABLE or demand.assignee_unit_id is not None:
        raise ValidationError(
            {"status": _("This demand has meanwhile been assigned or closed; decline the offer.")}
        )
    _assign_demand(demand=demand, unit=claim.unit, by=by, base_url=base_url)
    # The demand has one handling unit: the other offers to handle it are answered now.
    others = (
        Claim.objects.select_for_update(of=("self",))
        .filter(demand=demand, kind=K.UNIT_CLAIMS_DEMAND, status=ClaimStatus.PENDING)
        .exclude(pk=claim.pk)
        .select_related("unit", "demand__region")
    )
    for other in others:
        record_decision(
            other,
            by=by,
            status=ClaimStatus.DECLINED,
            decision_reason=_("Another unit was chosen to handle the demand."),
        )
        tell_claim_initiators(other, template="claim_declined", by=by, base_url=base_url)


@transaction.atomic
def claim_accept(*, claim: Claim, by: User, base_url: str | None = None) -> Claim:
    """Accept a pending claim (see the module's table for what follows)."""
    claim = _lock_pending(claim)
    _require_decider(claim, by)
    if claim.project_id:
        _accept_for_project(claim, by=by)
    else:
        _accept_for_demand(claim, by=by, base_url=base_url)
    record_decision(claim, by=by, status=ClaimStatus.ACCEPTED)
    _timeline(
        claim,
        by=by,
        comment=_("Accepted: %(what)s") % {"what": _describe(claim)},
    )
    tell_claim_initiators(claim, template="claim_accepted", by=by, base_url=base_url)
    return claim


@transaction.atomic
def claim_decline(*, claim: Claim, by: User, reason: str, base_url: str | None = None) -> Claim:
    """Decline a pending claim with a reason, which the side that made it is told."""
    reason = required_reason(reason, _("Give the reason for declining."))
    claim = _lock_pending(claim)
    _require_decider(claim, by)
    record_decision(claim, by=by, status=ClaimStatus.DECLINED, decision_reason=reason)
    _timeline(
        claim,
        by=by,
        comment=_("Declined: %(what)s Reason: %(reason)s")
        % {"what": _describe(claim), "reason": reason},
    )
    tell_claim_initiators(claim, template="claim_declined", by=by, base_url=base_url)
    return claim


@transaction.atomic
def claim_withdraw(*, claim: Claim, by: User, base_url: str | None = None) -> Claim:
    """The side that made a pending claim takes it back."""
    claim = _lock_pending(claim)
    if not claim_can_withdraw(by, claim):
        raise PermissionDenied(_("Only the side that made this claim can withdraw it."))
    record_decision(claim, by=by, status=ClaimStatus.WITHDRAWN)
    _timeline(claim, by=by, comment=_("Withdrawn: %(what)s") % {"what": _describe(claim)})
    _tell_deciders(claim, template="claim_withdrawn", by=by, base_url=base_url)
    return claim
