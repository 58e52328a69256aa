"""Reads of joint projects (项目清单) and claims (双向认领): lists, pages, timelines, who may do what.

The `is_*`/`can_*` functions mirror `JointProjectQuerySet.scope_for` and the claim rules in Python,
so that a list decides each row's buttons from the rows it already loaded, without a query per row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.accounts.selectors import unit_contacts
from portal.core.exports import export_table
from portal.core.scoping import CHANGE

from ..choices import ClaimStatus, ParticipantRole, ProjectStatus
from ..models import (
    Activity,
    Claim,
    JointProject,
    ProjectEvent,
    ProjectMilestone,
    ProjectParticipant,
)

# Units whose contacts may report progress, add milestones and edit the amounts.
MANAGING_ROLES = (ParticipantRole.LEAD, ParticipantRole.CO_ORGANIZER)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_create_projects(user) -> bool:
    """District staff, street secretaries (in their region) and contacts of a unit that leads an alliance."""
    if not _signed_in(user):
        return False
    if user.is_district_staff or (user.is_street_secretary and user.region_id):
        return True
    if user.is_unit_contact and user.unit_id:
        from alliances.models import Alliance

        return Alliance.objects.filter(lead_unit_id=user.unit_id).exists()
    return False


def is_project_owner(user, project: JointProject) -> bool:
    """Whether `user` may change `project` (the Python twin of `restrict(user, CHANGE)`)."""
    if not _signed_in(user):
        return False
    if user.is_district_staff:
        return True
    if user.is_street_secretary:
        if project.created_by_id == user.pk:
            return True
        return bool(
            user.region_id
            and project.region_id
            and project.region.path.startswith(user.region.path)
        )
    if user.is_unit_contact and user.unit_id:
        return user.unit_id in (project.lead_unit_id, project.alliance.lead_unit_id)
    return False


def managing_unit_ids(project: JointProject) -> set[int]:
    """The units whose contacts manage progress, milestones and amounts (lead and co-organizers)."""
    return set(
        project.participants.filter(role__in=MANAGING_ROLES).values_list("unit_id", flat=True)
    )


def is_project_manager(user, project: JointProject, *, managers: set[int] | None = None) -> bool:
    """Owners, and contacts of units that lead or co-organize the project."""
    if is_project_owner(user, project):
        return True
    if not (_signed_in(user) and user.is_unit_contact and user.unit_id):
        return False
    if managers is None:
        managers = managing_unit_ids(project)
    return user.unit_id in managers


def project_changeable_ids(*, user, projects: Iterable) -> set[int]:
    """Which of `projects` (rows or ids) `user` owns, in one query at most."""
    if not _signed_in(user):
        return set()
    ids = [getattr(p, "pk", p) for p in projects]
    if not ids:
        return set()
    return set(
        JointProject.objects.restrict(user, CHANGE).filter(pk__in=ids).values_list("pk", flat=True)
    )


def _demand_handler(user, demand) -> bool:
    """District staff, or the secretary of the demand's region (or a region above it)."""
    if not _signed_in(user):
        return False
    if user.is_district_staff:
        return True
    return bool(
        user.is_street_secretary
        and user.region_id
        and demand.region.path.startswith(user.region.path)
    )


def can_handle_demand(user, demand) -> bool:
    """Whether `user` may turn `demand` into a project, request resources for it, or decide offers."""
    return _demand_handler(user, demand)


def _count(model, **outer) -> Subquery:
    rows = (
        model.objects.filter(**{key: OuterRef(value) for key, value in outer.items()})
        .order_by()
        .values(next(iter(outer)))
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def project_list(*, user) -> QuerySet[JointProject]:
    """Projects as the board shows them, with participant and pending-claim counts, in one query."""
    pending = (
        Claim.objects.filter(project=OuterRef("pk"), status=ClaimStatus.PENDING)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        JointProject.objects.restrict(user)
        .select_related("alliance", "lead_unit", "region", "created_by")
        .annotate(
            participant_count=_count(ProjectParticipant, project="pk"),
            pending_claim_count=Coalesce(Subquery(pending, output_field=IntegerField()), 0),
        )
        .order_by("-created_at", "-id")
    )


def project_detail(*, user) -> QuerySet[JointProject]:
    """Projects for a project's page: participants and milestones come along."""
    participants = ProjectParticipant.objects.select_related("unit").order_by("role", "id")
    return (
        project_list(user=user)
        .select_related("alliance__lead_unit", "region__parent")
        .prefetch_related(
            Prefetch("participants", queryset=participants),
            Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_on", "id")),
        )
    )


def project_status_counts(queryset: QuerySet[JointProject]) -> dict[str, int]:
    """How many of `queryset` are in each status (every status present, zeros included), one query."""
    counts = dict.fromkeys(ProjectStatus.values, 0)
    rows = queryset.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    for status, n in rows:
        counts[status] = n
    return counts


def has_pending_claims() -> Exists:
    return Exists(Claim.objects.filter(project=OuterRef("pk"), status=ClaimStatus.PENDING))


def project_events(project: JointProject) -> QuerySet[ProjectEvent]:
    return project.events.select_related("actor").order_by("created_at", "id")


def project_claims(project: JointProject) -> QuerySet[Claim]:
    return project.claims.select_related(
        "unit", "resource_offer", "created_by", "decided_by"
    ).order_by("-created_at", "-id")


def project_activities(project: JointProject) -> QuerySet[Activity]:
    return project.activities.select_related("region").order_by("-held_on", "-id")


def linkable_projects(user) -> QuerySet[JointProject]:
    """Projects an activity may be linked to: those `user` may see that are under way or done."""
    return (
        JointProject.objects.restrict(user)
        .filter(
            status__in=[ProjectStatus.CLAIMED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED]
        )
        .order_by("-created_at", "-id")
    )


@dataclass
class TimelineEntry:
    when: datetime.datetime
    kind: str  # "event", "milestone_due", "milestone_done", "activity"
    item: Any


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def project_timeline(
    project: JointProject,
    *,
    events: Iterable[ProjectEvent],
    milestones: Iterable[ProjectMilestone],
    activities: Iterable[Activity],
) -> list[TimelineEntry]:
    """Events (claims and their answers among them), milestones and linked activities, oldest first."""
    entries = [TimelineEntry(event.created_at, "event", event) for event in events]
    for milestone in milestones:
        if milestone.done_on:
            entries.append(TimelineEntry(_start_of(milestone.done_on), "milestone_done", milestone))
        else:
            entries.append(TimelineEntry(_start_of(milestone.due_on), "milestone_due", milestone))
    entries.extend(
        TimelineEntry(_start_of(activity.held_on), "activity", activity) for activity in activities
    )
    entries.sort(key=lambda e: e.when)
    return entries


def project_owner_users(project: JointProject) -> list:
    """The people who answer for a project: its lead unit's and its alliance lead's contacts, its author."""
    users = unit_contacts([project.lead_unit_id, project.alliance.lead_unit_id])
    author = project.created_by
    if author is not None and author.is_active and author.pk not in {u.pk for u in users}:
        users.append(author)
    return users


def project_participant_users(project: JointProject) -> list:
    """Everyone a status change concerns: the participants' contacts and the owners."""
    unit_ids = list(project.participants.values_list("unit_id", flat=True))
    users = unit_contacts(unit_ids)
    seen = {u.pk for u in users}
    users.extend(u for u in project_owner_users(project) if u.pk not in seen)
    return users


EXPORT_HEADERS = [
    gettext_lazy("title"),
    gettext_lazy("status"),
    gettext_lazy("alliance"),
    gettext_lazy("lead unit"),
    gettext_lazy("category"),
    gettext_lazy("region"),
    gettext_lazy("starts on"),
    gettext_lazy("ends on"),
    gettext_lazy("budget (yuan)"),
    gettext_lazy("contract amount (yuan)"),
    gettext_lazy("progress (%)"),
    gettext_lazy("participants"),
    gettext_lazy("pending claims"),
    gettext_lazy("completed"),
    gettext_lazy("created"),
]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@export_table(
    filename="projects", sheet_title=gettext_lazy("joint projects"), headers=EXPORT_HEADERS
)
def project_export(queryset: QuerySet[JointProject], user) -> Iterator[list[Any]]:
    """The rows of the XLSX of a filtered board (from `project_list`), streamed; amounts as numbers."""
    for project in queryset.iterator(chunk_size=2000):
        yield [
            project.title,
            project.get_status_display(),
            project.alliance.name,
            project.lead_unit.name if project.lead_unit_id else "",
            project.get_category_display(),
            project.region.name if project.region_id else "",
            project.starts_on,
            project.ends_on,
            _number(project.budget),
            _number(project.contract_amount),
            project.progress,
            project.participant_count,
            project.pending_claim_count,
            project.completed_at,
            project.created_at,
        ]
