"""Reads for meetings: lists, pages, recipients, the staff dashboard's "meetings due"."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.accounts.selectors import unit_contacts_by_unit
from portal.core.exports import export_table
from portal.core.scoping import VIEW

from ..choices import AllianceStatus, MeetingCadence, MeetingStatus, Rsvp
from ..models import Alliance, Invitation, Meeting

if TYPE_CHECKING:
    from portal.accounts.models import User


def meeting_stations(user=None) -> QuerySet:
    """The service stations a meeting may be held at (those `user` may read, when given).

    Reached through `Meeting.station`, not imported: the services app builds on this one.
    """
    stations = Meeting._meta.get_field("station").related_model.objects
    return (stations.restrict(user) if user is not None else stations.all()).order_by("name")


def meeting_reminder_recipients(meeting: Meeting) -> list[User]:
    """The people a reminder about `meeting` goes to: invited units' contacts who did not decline, and the organizer.

    Unit contacts are active users with the unit-contact role and an e-mail address; guests
    (invitations without a unit) have no user and are not included. No duplicates; ordered by id
    with the organizer first.
    """
    return meeting_reminder_recipients_by_meeting([meeting])[meeting.pk]


def meeting_reminder_recipients_by_meeting(meetings: list[Meeting]) -> dict[int, list[User]]:
    """`meeting_reminder_recipients` of each meeting (with its organizer loaded), by meeting id,
    in two queries whatever the number of meetings: the reminder sweep asks for hundreds."""
    units_by_meeting: dict[int, set[int]] = {}
    invited = (
        Invitation.objects.filter(meeting__in=meetings, unit__isnull=False)
        .exclude(rsvp=Rsvp.DECLINED)
        .values_list("meeting_id", "unit_id")
    )
    for meeting_id, unit_id in invited:
        units_by_meeting.setdefault(meeting_id, set()).add(unit_id)
    all_units = set().union(*units_by_meeting.values()) if units_by_meeting else set()
    contacts_by_unit = {
        unit_id: [user for user in users if user.email]
        for unit_id, users in unit_contacts_by_unit(all_units).items()
    }
    recipients: dict[int, list[User]] = {}
    for meeting in meetings:
        contacts = sorted(
            (
                user
                for unit_id in units_by_meeting.get(meeting.pk, ())
                for user in contacts_by_unit.get(unit_id, ())
            ),
            key=lambda user: user.pk,
        )
        recipients[meeting.pk] = [meeting.organizer] + [
            user for user in contacts if user.pk != meeting.organizer_id
        ]
    return recipients


def unit_contact_emails(unit_ids) -> dict[int, list[str]]:
    """The e-mail addresses of the active contacts of each unit, by unit id."""
    return {
        unit_id: emails
        for unit_id, users in unit_contacts_by_unit(unit_ids).items()
        if (emails := [user.email for user in users if user.email])
    }


def _invitation_count(**conditions) -> Coalesce:
    """How many invitations of the row's meeting meet `conditions`, as a correlated subquery.

    A subquery, not a JOIN with GROUP BY: PostgreSQL then counts for the page's rows only, after
    sorting and LIMIT, and the page's COUNT(*) never touches the invitations (at Pudong's size the
    grouped join cost 100 ms of a 50-row page of upcoming meetings).
    """
    counted = (
        Invitation.objects.filter(meeting=OuterRef("pk"), **conditions)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def meeting_list(user, *, queryset: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """The meetings `user` may see, with what a list row shows; upcoming first, then the past."""
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return (
        queryset.restrict(user, VIEW)
        .select_related("alliance", "organizer", "station")
        .annotate(
            invited_count=_invitation_count(),
            accepted_count=_invitation_count(rsvp=Rsvp.ACCEPTED),
            attended_count=_invitation_count(attended=True),
        )
    )


EXPORT_HEADERS = [
    gettext_lazy("starts"),
    gettext_lazy("ends"),
    gettext_lazy("title"),
    gettext_lazy("kind"),
    gettext_lazy("alliance"),
    gettext_lazy("status"),
    gettext_lazy("station"),
    gettext_lazy("address"),
    gettext_lazy("online link"),
    gettext_lazy("organizer"),
    gettext_lazy("invitations sent"),
    gettext_lazy("invitations accepted"),
    gettext_lazy("invitees attended"),
]


@export_table(
    filename="meetings",
    sheet_title=gettext_lazy("meetings"),
    headers=EXPORT_HEADERS,
)
def meeting_export(queryset: QuerySet[Meeting], user) -> Iterator[list[Any]]:
    """The XLSX of a (filtered) list from `meeting_list`; rows are streamed."""
    for meeting in queryset.iterator(chunk_size=2000):
        yield [
            meeting.start_at,
            meeting.end_at,
            meeting.title,
            meeting.get_kind_display(),
            meeting.alliance.name,
            meeting.get_status_display(),
            meeting.station.name if meeting.station_id else "",
            meeting.address,
            meeting.online_url,
            str(meeting.organizer),
            meeting.invited_count,
            meeting.accepted_count,
            meeting.attended_count,
        ]


def meeting_detail_queryset(user) -> QuerySet[Meeting]:
    """Meetings for the meeting page: with their invitations and the invited units."""
    return (
        Meeting.objects.restrict(user, VIEW)
        .select_related("alliance", "alliance__lead_unit", "organizer", "station", "previous")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("unit").order_by("id"),
            )
        )
    )


def user_invitation(meeting: Meeting, user) -> Invitation | None:
    """The invitation of the user's unit to `meeting`, if any."""
    if not user.is_authenticated or not getattr(user, "unit_id", None):
        return None
    for invitation in meeting.invitations.all():
        if invitation.unit_id == user.unit_id:
            return invitation
    return None


def attendance_rate(invitations) -> float | None:
    """Attended / invited, or None when nobody is invited."""
    invitations = list(invitations)
    if not invitations:
        return None
    return sum(1 for invitation in invitations if invitation.attended) / len(invitations)


def can_schedule(user, alliance: Alliance) -> bool:
    """District staff schedule for any alliance; the lead unit's contacts for their alliance."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_district_staff:
        return True
    return bool(
        user.is_unit_contact
        and user.unit_id
        and alliance.lead_unit_id
        and alliance.lead_unit_id == user.unit_id
    )


def can_manage(user, meeting: Meeting) -> bool:
    """Whether `user` may edit, cancel and record `meeting`."""
    return can_schedule(user, meeting.alliance)


def user_meetings(user) -> QuerySet[Meeting]:
    """The meetings of the user's own calendar: those their unit is invited to or that they organize."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    condition = Q(organizer=user)
    if getattr(user, "unit_id", None):
        invited = Invitation.objects.filter(unit_id=user.unit_id).values("meeting_id")
        condition |= Q(pk__in=invited)
    return Meeting.objects.filter(condition)


def quarter_bounds(
    moment: datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of the current quarter and of the next one, in the local time zone."""
    local = timezone.localtime(moment or timezone.now())
    first_month = 3 * ((local.month - 1) // 3) + 1
    start = local.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    if first_month == 10:
        end = start.replace(year=start.year + 1, month=1)
    else:
        end = start.replace(month=first_month + 3)
    return start, end


def meetings_due(now: datetime.datetime | None = None) -> QuerySet[Alliance]:
    """Active quarterly alliances with no meeting (scheduled or held) in the current quarter."""
    start, end = quarter_bounds(now)
    this_quarter = Meeting.objects.filter(start_at__gte=start, start_at__lt=end).exclude(
        status=MeetingStatus.CANCELLED
    )
    return (
        Alliance.objects.filter(
            status=AllianceStatus.ACTIVE, meeting_cadence=MeetingCadence.QUARTERLY
        )
        .exclude(pk__in=this_quarter.values("alliance_id"))
        .select_related("lead_unit")
        .order_by("name")
    )


def alliance_meetings(alliance: Alliance, user, *, limit: int = 5) -> dict[str, list[Meeting]]:
    """Upcoming and past meetings of `alliance` that `user` may see, for the alliance page (two queries)."""
    now = timezone.now()
    visible = meeting_list(user, queryset=Meeting.objects.filter(alliance=alliance))
    upcoming = list(
        visible.filter(end_at__gte=now, status=MeetingStatus.SCHEDULED).order_by("start_at")[:limit]
    )
    past = list(
        visible.filter(Q(end_at__lt=now) | ~Q(status=MeetingStatus.SCHEDULED)).order_by(
            "-start_at"
        )[:limit]
    )
    return {"upcoming": upcoming, "past": past}
