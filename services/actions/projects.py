"""Writes on joint projects (项目清单 / 共同行动): publish, edit, move through their statuses, report
progress, keep milestones, and turn a demand into a project.

Every status change goes through `project_transition`: the table of allowed moves (WORKFLOW) is a
`portal.core.workflow.Workflow`, whose `transition()` locks the row, checks the owner and the status,
saves and writes the timeline; then the participants are told. Projects are never deleted: they are
cancelled.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.choices import AllianceStatus
from members.choices import UnitStatus
from portal.accounts.selectors import unit_contacts
from portal.core.decisions import record_decision
from portal.core.mail import absolute_url
from portal.core.workflow import Transition, Workflow, step, transition
from portal.notifications.actions import tell

from ..choices import (
    ClaimStatus,
    DemandEventKind,
    DemandStatus,
    ParticipantRole,
    ProjectEventKind,
    ProjectStatus,
)
from ..models import (
    Claim,
    Demand,
    DemandEvent,
    JointProject,
    ProjectEvent,
    ProjectMilestone,
    ProjectParticipant,
)
from ..selectors.claims import claim_notice
from ..selectors.projects import (
    can_create_projects,
    can_handle_demand,
    is_project_manager,
    is_project_owner,
    project_participant_users,
)

if TYPE_CHECKING:
    from portal.accounts.models import User

S = ProjectStatus
# Every status change is the owners' (`_require_owner`), but the one a joining unit causes.
OWNER = "owner"


def _status_label(status: str) -> str:
    return str(ProjectStatus(status).label) if status in ProjectStatus.values else str(status)


def _refusal(rule: Transition, project: JointProject) -> str:
    """A refused change names both statuses (or says the project is there already)."""
    if project.status == rule.target:
        return _("The project is already %(status)s.") % {"status": _status_label(rule.target)}
    return str(rule.refused) % {
        "from": _status_label(project.status),
        "to": _status_label(rule.target),
    }


def _to(target: str, *sources: str) -> Transition:
    return step(
        sources,
        target,
        {OWNER},
        ProjectEventKind.STATUS,
        gettext_lazy("A project that is %(from)s cannot become %(to)s."),
    )


# The one table of status changes (portal.core.workflow), a step per status, named after it: from
# where a project can become it (nowhere: `proposed` is where it starts); `completed` and
# `cancelled` are final. The owners learn they may not act before they learn the project's status.
WORKFLOW = Workflow(
    {
        S.PROPOSED: _to(S.PROPOSED),
        S.OPEN: _to(S.OPEN, S.PROPOSED),
        S.CLAIMED: _to(S.CLAIMED, S.OPEN),
        S.IN_PROGRESS: _to(S.IN_PROGRESS, S.OPEN, S.CLAIMED),
        S.COMPLETED: _to(S.COMPLETED, S.IN_PROGRESS),
        S.CANCELLED: _to(S.CANCELLED, S.PROPOSED, S.OPEN, S.CLAIMED, S.IN_PROGRESS),
    },
    refusal=_refusal,
    unknown=gettext_lazy("Choose a status the project can move to."),
    roles_first=True,
)
# Where each status leads, read from the table.
TRANSITIONS: dict[str, tuple[str, ...]] = {status: WORKFLOW.targets(status) for status in S.values}
# Units may claim, be invited to, or lend resources to a project in these statuses.
CLAIMABLE_STATUSES = (S.OPEN, S.CLAIMED, S.IN_PROGRESS)
CLOSED_STATUSES = (S.COMPLETED, S.CANCELLED)

EDITABLE = (
    "title",
    "description",
    "alliance",
    "lead_unit",
    "category",
    "region",
    "starts_on",
    "ends_on",
    "budget",
    "contract_amount",
)
# Lead and co-organizing units may change these without owning the project.
AMOUNT_FIELDS = ("budget", "contract_amount")
MILESTONES_PER_PROJECT = 100


def allowed_transitions(status: str) -> tuple[str, ...]:
    return WORKFLOW.targets(status)


def project_event(
    *,
    project: JointProject,
    kind: str,
    by: User | None,
    comment: str = "",
    from_status: str = "",
    to_status: str = "",
    progress: int | None = None,
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        kind=kind,
        actor=by if by is not None and by.is_authenticated else None,
        comment=comment,
        from_status=from_status,
        to_status=to_status,
        progress=progress,
    )


# --- checks ------------------------------------------------------------------------------------


def _require_owner(project: JointProject, by: User | None) -> None:
    if by is not None and not is_project_owner(by, project):
        raise PermissionDenied(
            _(
                "Only district staff, the street's secretary and the contacts of the lead unit or "
                "of the alliance's lead unit manage this project."
            )
        )


def _require_manager(project: JointProject, by: User | None) -> None:
    if by is not None and not is_project_manager(by, project):
        raise PermissionDenied(
            _("Only the project's owners and its lead and co-organizing units report on it.")
        )


def _require_not_closed(project: JointProject, field: str = "status") -> None:
    if project.status in CLOSED_STATUSES:
        raise ValidationError(
            {
                field: _("This project is %(status)s; it takes no more changes.")
                % {"status": project.get_status_display()}
            }
        )


def _check_fields(data: dict[str, Any], name: str) -> None:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise TypeError(f"{name}() got unexpected fields: {sorted(unknown)}")


def _rows():
    return JointProject.objects.select_related("alliance", "region", "lead_unit")


def _lock(project: JointProject) -> JointProject:
    return _rows().select_for_update(of=("self",)).get(pk=project.pk)


def _validate(project: JointProject, *, by: User | None, changed: set[str], creating: bool) -> None:
    """The rules of a project beyond its fields' own, each refusal under the field it concerns."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    alliance = project.alliance if project.alliance_id else None
    if alliance is None:
        refuse("alliance", _("Choose the alliance the project belongs to."))
    elif creating or "alliance" in changed:
        if alliance.status == AllianceStatus.DISSOLVED:
            refuse("alliance", _("This alliance has been dissolved; it takes no new projects."))
        elif (
            by is not None
            and by.is_unit_contact
            and not by.is_district_staff
            and alliance.lead_unit_id != by.unit_id
        ):
            refuse("alliance", _("You can publish projects only for alliances your unit leads."))
    if project.lead_unit_id is None:
        refuse("lead_unit", _("Choose the lead unit."))
    elif (creating or "lead_unit" in changed) and project.lead_unit.status != UnitStatus.ACTIVE:
        refuse("lead_unit", _("Only an active unit can lead a project."))
    if by is not None and by.is_street_secretary and (creating or "region" in changed):
        if project.region_id is None:
            refuse("region", _("Choose the region of the project."))
        elif not (by.region_id and project.region.path.startswith(by.region.path)):
            refuse(
                "region",
                _("You can publish projects only in %(region)s and the regions below it.")
                % {"region": by.region.name if by.region_id else "—"},
            )
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        refuse("ends_on", _("The project cannot end before it starts."))
    for field in AMOUNT_FIELDS:
        value = getattr(project, field)
        if value is not None and value < 0:
            refuse(field, _("Amounts cannot be negative."))
    project.title = (project.title or "").strip()
    try:
        project.full_clean(
            validate_constraints=False,
            exclude=["created_by", "alliance", "lead_unit", "region", *errors],
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(field, []):
                    refuse(field, message)
    if errors:
        raise ValidationError(errors)


def _milestone_rows(project: JointProject, milestones: Sequence[dict]) -> list[ProjectMilestone]:
    rows, errors = [], []
    for item in milestones:
        title = (item.get("title") or "").strip()
        due_on = item.get("due_on")
        if not title or not isinstance(due_on, datetime.date):
            errors.append(_("Give each milestone a title and the day it is due."))
            continue
        rows.append(ProjectMilestone(project=project, title=title[:200], due_on=due_on))
    if len(rows) > MILESTONES_PER_PROJECT:
        errors.append(
            _("A project keeps at most %(max)d milestones.") % {"max": MILESTONES_PER_PROJECT}
        )
    if errors:
        raise ValidationError({"milestones": sorted(set(errors))})
    return rows


def _project_mail_context(project: JointProject, base_url: str | None, **extra) -> dict[str, Any]:
    return {
        "project": project,
        "alliance": project.alliance,
        "project_url": absolute_url(project.get_absolute_url(), base_url),
        **extra,
    }


# --- publish and edit --------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    by: User | None,
    data: dict[str, Any],
    milestones: Sequence[dict] = (),
    open_now: bool = False,
    note: str = "",
    base_url: str | None = None,
) -> JointProject:
    """Publish a project as `proposed` (or straight away `open` for claiming); its lead unit takes
    part with the role lead. `by` None is the system (the demo loader)."""
    data = dict(data)
    _check_fields(data, "project_create")
    if by is not None and not can_create_projects(by):
        raise PermissionDenied(
            _(
                "Only district staff, street secretaries and the contacts of an alliance's lead unit "
                "publish projects."
            )
        )
    project = JointProject(**data, created_by=by, status=ProjectStatus.PROPOSED)
    if project.lead_unit_id is None and project.alliance_id and project.alliance.lead_unit_id:
        project.lead_unit = project.alliance.lead_unit
    if project.region_id is None and project.lead_unit_id:
        project.region = project.lead_unit.region
    errors: dict[str, list] = {}
    try:
        _validate(project, by=by, changed=set(), creating=True)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        milestone_rows = _milestone_rows(project, milestones)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    if by is not None:
        project._history_user = by
    project.save()
    ProjectParticipant.objects.create(
        project=project,
        unit=project.lead_unit,
        role=ParticipantRole.LEAD,
        joined_on=timezone.localdate(),
    )
    ProjectMilestone.objects.bulk_create(milestone_rows)
    project_event(
        project=project,
        kind=ProjectEventKind.CREATED,
        by=by,
        to_status=ProjectStatus.PROPOSED,
        comment=note,
    )
    if open_now:
        project = project_transition(
            project=project, to=ProjectStatus.OPEN, by=by, base_url=base_url
        )
    return project


def _set_lead(project: JointProject, *, old_lead_id: int | None, by: User | None) -> None:
    """Move the lead role to the project's new lead unit; the old lead stays as a co-organizer."""
    ProjectParticipant.objects.filter(project=project, role=ParticipantRole.LEAD).exclude(
        unit_id=project.lead_unit_id
    ).update(role=ParticipantRole.CO_ORGANIZER)
    participant, created = ProjectParticipant.objects.get_or_create(
        project=project,
        unit=project.lead_unit,
        defaults={"role": ParticipantRole.LEAD, "joined_on": timezone.localdate()},
    )
    if not created and participant.role != ParticipantRole.LEAD:
        participant.role = ParticipantRole.LEAD
        participant.save(update_fields=["role"])
    project_event(
        project=project,
        kind=ProjectEventKind.PARTICIPANT,
        by=by,
        comment=_("%(unit)s now leads the project.") % {"unit": project.lead_unit.name},
    )


def _amount_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


@transaction.atomic
def project_update(*, project: JointProject, by: User | None, data: dict[str, Any]) -> JointProject:
    """Change a project's fields (the owners); the lead and co-organizing units may change the
    amounts alone. Changes of the amounts are written to the timeline; every change to the history."""
    data = dict(data)
    _check_fields(data, "project_update")
    locked = _lock(project)
    if set(data) <= set(AMOUNT_FIELDS):
        _require_manager(locked, by)
    else:
        _require_owner(locked, by)
    old_lead = locked.lead_unit_id
    changed: set[str] = set()
    old_amounts = {field: getattr(locked, field) for field in AMOUNT_FIELDS}
    for name, value in data.items():
        field = JointProject._meta.get_field(name)
        before = getattr(locked, field.attname)
        after = getattr(value, "pk", value)
        if before != after:
            changed.add(name)
        setattr(locked, name, value)
    if "lead_unit" in changed and locked.lead_unit_id is None:
        raise ValidationError({"lead_unit": _("Choose the lead unit.")})
    _validate(locked, by=by, changed=changed, creating=False)
    if not changed:
        return locked
    if by is not None:
        locked._history_user = by
    locked.save()
    if "lead_unit" in changed:
        _set_lead(locked, old_lead_id=old_lead, by=by)
    amounts = [
        f"{JointProject._meta.get_field(f).verbose_name}: "
        f"{_amount_text(old_amounts[f])} → {_amount_text(getattr(locked, f))}"
        for f in AMOUNT_FIELDS
        if f in changed
    ]
    if amounts:
        project_event(
            project=locked, kind=ProjectEventKind.COMMENT, by=by, comment="；".join(amounts)
        )
    return locked


# --- status ------------------------------------------------------------------------------------


def _close_pending_claims(project: JointProject, *, by: User | None, base_url: str | None) -> None:
    """A finished or cancelled project declines the claims still waiting on it, and tells their side."""
    reason = (
        _("The project was completed.")
        if project.status == ProjectStatus.COMPLETED
        else _("The project was cancelled.")
    )
    pending = (
        Claim.objects.select_for_update(of=("self",))
        .filter(project=project, status=ClaimStatus.PENDING)
        .select_related("unit", "resource_offer", "project__alliance")
    )
    for claim in pending:
        record_decision(claim, by=by, status=ClaimStatus.DECLINED, decision_reason=reason)
        notice = claim_notice(
            claim, to_initiators=True, template="claim_declined", base_url=base_url
        )
        tell(**notice, exclude=by)


def _transition(
    project: JointProject,
    *,
    to: str,
    by: User | None,
    comment: str = "",
    base_url: str | None = None,
    owners_only: bool = True,
    notify_participants: bool = True,
    locked: bool = False,
) -> JointProject:
    """Move `project` to `to` if the table allows it (`portal.core.workflow.transition`: the lock
    unless `locked`, the owners unless not `owners_only`, the state, the save, the timeline); then
    decline the claims a closed project still has and tell the participants."""
    comment = (comment or "").strip()

    def apply(project: JointProject, rule: Transition) -> None:
        if to == ProjectStatus.CANCELLED and not comment:
            raise ValidationError({"comment": _("Give the reason for cancelling the project.")})
        if (
            to == ProjectStatus.CLAIMED
            and not project.participants.exclude(role=ParticipantRole.LEAD).exists()
        ):
            raise ValidationError(
                {
                    "status": _(
                        "No unit has joined the project yet: accept a claim or an invitation first."
                    )
                }
            )
        if to == ProjectStatus.COMPLETED:
            project.completed_at = timezone.now()
            project.progress = 100

    def event(project: JointProject, rule: Transition, source: str, _applied) -> ProjectEvent:
        return project_event(
            project=project,
            kind=rule.event,
            by=by,
            from_status=source,
            to_status=to,
            comment=comment,
            progress=project.progress if to == ProjectStatus.COMPLETED else None,
        )

    moved = transition(
        project,
        WORKFLOW,
        to,
        by=by,
        check_role=(lambda project, by, _name: _require_owner(project, by))
        if owners_only
        else None,
        apply=apply,
        event=event,
        fields=["completed_at", "progress"] if to == ProjectStatus.COMPLETED else [],
        locked=locked,
        queryset=_rows(),
        of=("self",),
    )
    project = moved.record
    if to in CLOSED_STATUSES:
        _close_pending_claims(project, by=by, base_url=base_url)
    if notify_participants:
        tell(
            users=project_participant_users(project),
            template="services/email/project_status",
            context=_project_mail_context(
                project,
                base_url,
                from_label=_status_label(moved.source),
                to_label=_status_label(to),
                comment=comment,
            ),
            url=project.get_absolute_url(),
            body=comment,
            exclude=by,
        )
    return project


@transaction.atomic
def project_transition(
    *,
    project: JointProject,
    to: str,
    by: User | None,
    comment: str = "",
    base_url: str | None = None,
) -> JointProject:
    """Move a project to another status: only its owners, only along `WORKFLOW`.

    Completing it sets `completed_at` and the progress to 100; cancelling needs a reason; both decline
    the claims still pending. The participants are told by notification and e-mail.
    """
    return _transition(project, to=to, by=by, comment=comment, base_url=base_url)


def project_claimed_if_open(project: JointProject, *, by: User | None) -> JointProject:
    """An open project becomes `claimed` when its first unit besides the lead joins (the caller has
    locked the row, and has made sure the unit may join)."""
    if project.status != ProjectStatus.OPEN:
        return project
    if not project.participants.exclude(role=ParticipantRole.LEAD).exists():
        return project
    return _transition(
        project,
        to=ProjectStatus.CLAIMED,
        by=by,
        comment=_("A unit joined the project."),
        owners_only=False,
        notify_participants=False,
        locked=True,
    )


# --- progress, milestones ----------------------------------------------------------------------


@transaction.atomic
def project_progress(
    *, project: JointProject, by: User | None, progress: Any, comment: str = ""
) -> JointProject:
    """Report the progress (0–100 %) with a comment; owners, the lead and co-organizing units."""
    locked = _lock(project)
    _require_manager(locked, by)
    _require_not_closed(locked, "progress")
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    comment = (comment or "").strip()
    if progress == locked.progress and not comment:
        raise ValidationError(
            {"progress": _("The progress is already %(progress)d%%.") % {"progress": progress}}
        )
    locked.progress = progress
    if by is not None:
        locked._history_user = by
    locked.save(update_fields=["progress", "updated_at"])
    project_event(
        project=locked,
        kind=ProjectEventKind.PROGRESS,
        by=by,
        progress=progress,
        comment=comment,
    )
    return locked


@transaction.atomic
def milestone_add(
    *, project: JointProject, by: User | None, title: str, due_on: datetime.date
) -> ProjectMilestone:
    """Add a milestone; owners, the lead and co-organizing units."""
    locked = _lock(project)
    _require_manager(locked, by)
    _require_not_closed(locked, "title")
    [milestone] = _milestone_rows(locked, [{"title": title, "due_on": due_on}])
    if locked.milestones.count() >= MILESTONES_PER_PROJECT:
        raise ValidationError(
            {
                "title": _("A project keeps at most %(max)d milestones.")
                % {"max": MILESTONES_PER_PROJECT}
            }
        )
    milestone.save()
    project_event(
        project=locked,
        kind=ProjectEventKind.MILESTONE,
        by=by,
        comment=_("Milestone “%(title)s” added, due %(due)s.")
        % {"title": milestone.title, "due": milestone.due_on.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_done(
    *, milestone: ProjectMilestone, by: User | None, done_on: datetime.date | None = None
) -> ProjectMilestone:
    """Mark a milestone done (today unless `done_on` says otherwise, never in the future)."""
    locked = _lock(milestone.project)
    _require_manager(locked, by)
    _require_not_closed(locked, "done_on")
    milestone = ProjectMilestone.objects.select_for_update(of=("self",)).get(pk=milestone.pk)
    if milestone.done_on is not None:
        raise ValidationError({"done_on": _("This milestone is already done.")})
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": _("A milestone is done on a day that has come.")})
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    project_event(
        project=locked,
        kind=ProjectEventKind.MILESTONE,
        by=by,
        comment=_("Milestone “%(title)s” done on %(day)s.")
        % {"title": milestone.title, "day": done_on.isoformat()},
    )
    return milestone


# --- from a demand -----------------------------------------------------------------------------


@transaction.atomic
def project_from_demand(
    *,
    demand: Demand,
    by: User,
    data: dict[str, Any],
    add_demand_unit: bool = True,
    milestones: Sequence[dict] = (),
    open_now: bool = False,
    base_url: str | None = None,
) -> JointProject:
    """Turn a demand into a joint project: district staff, or the secretary of the demand's region.

    Title, description, category and region come from the demand unless `data` gives them; the unit
    that raised it takes part (unless `add_demand_unit` is false); the demand links to the project and
    both timelines say so.
    """
    demand = (
        Demand.objects.select_for_update(of=("self",))
        .select_related("region", "unit")
        .get(pk=demand.pk)
    )
    if not can_handle_demand(by, demand):
        raise PermissionDenied(
            _(
                "Only district staff and the secretary of the demand's street turn it into a project."
            )
        )
    if demand.project_id is not None:
        raise ValidationError(
            {
                "demand": _("This demand has already become the project “%(title)s”.")
                % {"title": demand.project.title}
            }
        )
    if demand.status in (DemandStatus.REJECTED, DemandStatus.MERGED):
        raise ValidationError({"demand": _("A rejected or merged demand cannot become a project.")})
    data = {key: value for key, value in data.items() if value not in (None, "")}
    data.setdefault("title", demand.title)
    data.setdefault("description", demand.description)
    data.setdefault("category", demand.category)
    data.setdefault("region", demand.region)
    project = project_create(
        by=by,
        data=data,
        milestones=milestones,
        note=_("Made from the demand “%(title)s” (No. %(id)s).")
        % {"title": demand.title, "id": demand.pk},
    )
    unit = demand.unit
    if (
        add_demand_unit
        and unit is not None
        and unit.status == UnitStatus.ACTIVE
        and unit.pk != project.lead_unit_id
    ):
        ProjectParticipant.objects.create(
            project=project,
            unit=unit,
            role=ParticipantRole.PARTICIPANT,
            joined_on=timezone.localdate(),
        )
        project_event(
            project=project,
            kind=ProjectEventKind.PARTICIPANT,
            by=by,
            comment=_("%(unit)s, which raised the demand, takes part as %(role)s.")
            % {"unit": unit.name, "role": ParticipantRole.PARTICIPANT.label},
        )
    demand.project = project
    demand._history_user = by
    demand.save(update_fields=["project", "updated_at"])
    DemandEvent.objects.create(
        demand=demand,
        kind=DemandEventKind.PROJECT,
        actor=by,
        comment=_("Became the joint project “%(title)s”.") % {"title": project.title},
    )
    if open_now:
        project = project_transition(
            project=project, to=ProjectStatus.OPEN, by=by, base_url=base_url
        )
    if unit is not None:
        tell(
            users=unit_contacts([unit.pk]),
            template="services/email/project_from_demand",
            context=_project_mail_context(project, base_url, demand=demand),
            url=project.get_absolute_url(),
            exclude=by,
        )
    return project


def project_list_url(base_url: str | None = None) -> str:
    return absolute_url(reverse("services:project-list"), base_url)
