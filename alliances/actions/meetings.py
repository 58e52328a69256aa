"""Writes on meetings and invitations: scheduling, changes, answers, check-in, minutes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.models import MemberUnit
from portal.accounts.selectors import unit_contacts
from portal.core.mail import absolute_url, send_after_commit
from portal.core.ratelimit import rate_exceeded, rate_reached
from portal.notifications.notices import notice_store

from ..calendar import ICS_MIMETYPE, ics_filename, meeting_ics
from ..choices import AllianceStatus, MeetingStatus, Rsvp
from ..models import Alliance, CalendarFeedToken, Invitation, Meeting, Membership
from ..selectors.meetings import can_manage, can_schedule, unit_contact_emails

if TYPE_CHECKING:
    from portal.accounts.models import User

# Check-in opens this long before the start and closes at the end.
CHECKIN_OPENS_BEFORE = datetime.timedelta(minutes=30)
MAX_REMINDER_OFFSET = 60 * 24 * 60
MAX_ATTENDING = 99

# Fields whose change invitees must see in their calendars (SEQUENCE grows, they are mailed).
CALENDAR_FIELDS = ("title", "start_at", "end_at", "station", "address", "online_url", "agenda")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "kind", "reminder_offsets")
# The salt of a guest's personal check-in link (a signed invitation id, see invitation_checkin_url).
CHECKIN_LINK_SALT = "alliances.invitation-check-in"


def validate_reminder_offsets(offsets: Any) -> list[int] | None:
    """None (use the alliance's), or a list of positive minutes up to 60 days."""
    if offsets is None:
        return None
    message = _("Give reminder offsets as a list of whole minutes between 1 and 86400 (60 days).")
    if not isinstance(offsets, list | tuple):
        raise ValidationError({"reminder_offsets": message})
    cleaned = []
    for value in offsets:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({"reminder_offsets": message})
        if not 1 <= value <= MAX_REMINDER_OFFSET:
            raise ValidationError({"reminder_offsets": message})
        cleaned.append(value)
    return sorted(set(cleaned), reverse=True)


MEETING_YEARS = (2000, 2099)


def _validate(meeting: Meeting) -> None:
    errors: dict[str, list[str]] = {}
    if meeting.alliance.status == AllianceStatus.DISSOLVED:
        errors.setdefault("alliance", []).append(
            _("This alliance has been dissolved; it holds no more meetings.")
        )
    # Only this century: a time in year 210 would come back with Shanghai's local mean time as its
    # offset (+08:05:43), which is no RFC 3339 date-time (issue 23.5).
    for field in ("start_at", "end_at"):
        value = getattr(meeting, field)
        if value and not MEETING_YEARS[0] <= value.year <= MEETING_YEARS[1]:
            errors.setdefault(field, []).append(
                _("Give a time between the years %(first)s and %(last)s.")
                % {"first": MEETING_YEARS[0], "last": MEETING_YEARS[1]}
            )
    if meeting.start_at and meeting.end_at and meeting.end_at <= meeting.start_at:
        errors.setdefault("end_at", []).append(_("A meeting must end after it starts."))
    if not (meeting.station_id or meeting.address.strip() or meeting.online_url.strip()):
        errors.setdefault("address", []).append(
            _("Give a place: a station, an address or an online link.")
        )
    if errors:
        raise ValidationError(errors)
    meeting.reminder_offsets = validate_reminder_offsets(meeting.reminder_offsets)
    meeting.full_clean(
        exclude=["organizer", "alliance", "uid", "checkin_token", "previous"],
        validate_constraints=False,
    )


def _invitation_recipients(invitations: Iterable[Invitation]) -> list[tuple[Invitation, list[str]]]:
    invitations = list(invitations)
    emails = unit_contact_emails([i.unit_id for i in invitations if i.unit_id])
    result = []
    for invitation in invitations:
        to = list(emails.get(invitation.unit_id, [])) if invitation.unit_id else []
        if invitation.guest_email:
            to.append(invitation.guest_email)
        if to:
            result.append((invitation, to))
    return result


def _mail_invitees(
    *,
    meeting: Meeting,
    template: str,
    invitations: Iterable[Invitation],
    base_url: str | None,
    extra: dict[str, Any] | None = None,
) -> None:
    """One mail per invitation (a unit's contacts together), with the meeting's current .ics."""
    ics = meeting_ics(meeting, base_url=base_url, invitation=True)
    context = {
        "meeting": meeting,
        "alliance": meeting.alliance,
        "meeting_url": absolute_url(meeting.get_absolute_url(), base_url),
        "start": timezone.localtime(meeting.start_at),
        "end": timezone.localtime(meeting.end_at),
        **(extra or {}),
    }
    invitations = list(invitations)
    # The same news on the unit contacts' other channels and in the alliance's group chat; a key per
    # change (the calendar sequence) lets an invitation added later reach only the new unit.
    notice_store(
        kind=template,
        key=f"meeting:{meeting.pk}:{template}:{meeting.sequence}",
        users=unit_contacts([i.unit_id for i in invitations if i.unit_id]),
        context={
            **context,
            "url": context["meeting_url"],
            "place": meeting.station or meeting.address or meeting.online_url,
        },
        alliance=meeting.alliance,
    )
    for invitation, to in _invitation_recipients(invitations):
        # A guest has no account: their mail carries their personal check-in link.
        checkin_link = "" if invitation.unit_id else invitation_checkin_url(invitation, base_url)
        send_after_commit(
            template=f"alliances/email/{template}",
            context={**context, "invitation": invitation, "checkin_link": checkin_link},
            to=to,
            attachments=[
                (
                    ics_filename(meeting),
                    ics,
                    f"{ICS_MIMETYPE}; method={'CANCEL' if meeting.status == MeetingStatus.CANCELLED else 'REQUEST'}",
                )
            ],
        )


def _require_manager(meeting: Meeting, by: User) -> None:
    if not can_manage(by, meeting):
        raise PermissionDenied(
            _("Only district staff and the lead unit's contacts can change this meeting.")
        )


def _require_scheduled(meeting: Meeting, field: str = "status") -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({field: _("This meeting is no longer scheduled.")})


@transaction.atomic
def meeting_schedule(
    *,
    alliance: Alliance,
    organizer: User,
    title: str,
    start_at: datetime.datetime,
    end_at: datetime.datetime,
    kind: str = "regular",
    station=None,
    address: str = "",
    online_url: str = "",
    agenda: str = "",
    units: Iterable[MemberUnit] | None = None,
    guests: Iterable[tuple[str, str]] = (),
    reminder_offsets: list[int] | None = None,
    previous: Meeting | None = None,
    base_url: str | None = None,
) -> Meeting:
    """Schedule a meeting and invite `units` (by default the alliance's current members) and guests."""
    if not can_schedule(organizer, alliance):
        raise PermissionDenied(
            _("Only district staff and the lead unit's contacts can schedule its meetings.")
        )
    if previous is not None and previous.alliance_id != alliance.pk:
        raise ValidationError({"previous": _("The previous meeting belongs to another alliance.")})
    meeting = Meeting(
        alliance=alliance,
        organizer=organizer,
        kind=kind,
        title=title,
        start_at=start_at,
        end_at=end_at,
        station=station,
        address=address or "",
        online_url=online_url or "",
        agenda=agenda or "",
        reminder_offsets=reminder_offsets,
        previous=previous,
    )
    _validate(meeting)
    meeting.save()
    if units is None:
        unit_ids = list(
            Membership.objects.current()
            .filter(alliance=alliance)
            .order_by("id")
            .values_list("unit_id", flat=True)
        )
    else:
        unit_ids = list(dict.fromkeys(unit.pk for unit in units))
    invitations = [Invitation(meeting=meeting, unit_id=unit_id) for unit_id in unit_ids]
    seen_guests: set[str] = set()
    for name, email in guests:
        email = (email or "").strip().lower()
        if email and email not in seen_guests:
            seen_guests.add(email)
            invitations.append(
                Invitation(meeting=meeting, guest_name=name or "", guest_email=email)
            )
    Invitation.objects.bulk_create(invitations)
    _mail_invitees(
        meeting=meeting,
        template="meeting_invitation",
        invitations=meeting.invitations.all(),
        base_url=base_url,
    )
    return meeting


def meeting_series_initial(previous: Meeting) -> dict[str, Any]:
    """What the next meeting of a series copies from the last one (the same weekday and time, one cadence later)."""
    from ..choices import MeetingCadence

    step = {
        MeetingCadence.MONTHLY: 4,
        MeetingCadence.QUARTERLY: 13,
        MeetingCadence.HALF_YEARLY: 26,
        MeetingCadence.YEARLY: 52,
    }.get(previous.alliance.meeting_cadence, 13)
    shift = datetime.timedelta(weeks=step)
    return {
        "kind": previous.kind,
        "title": previous.title,
        "start_at": previous.start_at + shift,
        "end_at": previous.end_at + shift,
        "station": previous.station,
        "address": previous.address,
        "online_url": previous.online_url,
        "agenda": previous.agenda,
        "reminder_offsets": previous.reminder_offsets,
        "units": [i.unit for i in previous.invitations.all() if i.unit_id],
        "previous": previous,
    }


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: User, base_url: str | None = None, **changes: Any
) -> Meeting:
    """Change a scheduled meeting; a change invitees see raises SEQUENCE and mails them at once."""
    meeting = Meeting.objects.select_for_update().select_related("alliance").get(pk=meeting.pk)
    _require_manager(meeting, by)
    _require_scheduled(meeting)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    before = {field: getattr(meeting, field) for field in CALENDAR_FIELDS}
    for field, value in changes.items():
        if field in {"address", "online_url", "agenda"} and value is None:
            value = ""
        setattr(meeting, field, value)
    _validate(meeting)
    changed = [field for field in CALENDAR_FIELDS if getattr(meeting, field) != before[field]]
    if changed:
        meeting.sequence += 1
    meeting.save()
    if changed:
        rescheduled = "start_at" in changed or "end_at" in changed
        _mail_invitees(
            meeting=meeting,
            template="meeting_changed",
            invitations=meeting.invitations.all(),
            base_url=base_url,
            extra={"rescheduled": rescheduled},
        )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, by: User, reason: str = "", base_url: str | None = None
) -> Meeting:
    """Cancel a scheduled meeting; invitees get a METHOD:CANCEL .ics at once."""
    meeting = Meeting.objects.select_for_update().select_related("alliance").get(pk=meeting.pk)
    _require_manager(meeting, by)
    _require_scheduled(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    _mail_invitees(
        meeting=meeting,
        template="meeting_cancelled",
        invitations=meeting.invitations.all(),
        base_url=base_url,
        extra={"reason": reason},
    )
    return meeting


@transaction.atomic
def invitation_add(
    *,
    meeting: Meeting,
    by: User,
    unit: MemberUnit | None = None,
    guest_name: str = "",
    guest_email: str = "",
    base_url: str | None = None,
) -> Invitation:
    """Invite one more unit (inside the alliance or not) or a guest by e-mail."""
    meeting = Meeting.objects.select_for_update().select_related("alliance").get(pk=meeting.pk)
    _require_manager(meeting, by)
    _require_scheduled(meeting)
    if unit is None and not guest_email:
        raise ValidationError({"unit": _("Choose a unit, or give a guest's e-mail address.")})
    if unit is not None and guest_email:
        raise ValidationError({"guest_email": _("Invite either a unit or a guest, not both.")})
    invitation = Invitation(
        meeting=meeting,
        unit=unit,
        guest_name=guest_name if unit is None else "",
        guest_email=(guest_email or "").strip().lower(),
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        field = "unit" if unit is not None else "guest_email"
        message = (
            _("This unit is already invited to this meeting.")
            if unit is not None
            else _("This guest is already invited to this meeting.")
        )
        raise ValidationError({field: message}) from exc
    _mail_invitees(
        meeting=meeting, template="meeting_invitation", invitations=[invitation], base_url=base_url
    )
    return invitation


@transaction.atomic
def invitation_remove(*, invitation: Invitation, by: User, base_url: str | None = None) -> None:
    """Take an invitation back before the meeting; the unit is told the meeting is off for it."""
    meeting = (
        Meeting.objects.select_for_update().select_related("alliance").get(pk=invitation.meeting_id)
    )
    _require_manager(meeting, by)
    _require_scheduled(meeting)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.attended:
        raise ValidationError({"invitation": _("This invitee has attended; keep the invitation.")})
    recipients = _invitation_recipients([invitation])
    invitation.delete()
    if recipients:
        send_after_commit(
            template="alliances/email/meeting_uninvited",
            context={
                "meeting": meeting,
                "alliance": meeting.alliance,
                "start": timezone.localtime(meeting.start_at),
            },
            to=recipients[0][1],
        )


@transaction.atomic
def invitation_rsvp(
    *, invitation: Invitation, by: User, rsvp: str, attending_count: int | None = None
) -> Invitation:
    """A unit's contact accepts (with how many come) or declines, while the meeting is still ahead."""
    invitation = (
        Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    if not (by.is_district_staff or (invitation.unit_id and by.unit_id == invitation.unit_id)):
        raise PermissionDenied(_("Only the invited unit's contacts can answer this invitation."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"rsvp": _("This meeting is no longer scheduled.")})
    if timezone.now() >= meeting.end_at:
        raise ValidationError({"rsvp": _("This meeting is over; it takes no more answers.")})
    if rsvp not in (Rsvp.ACCEPTED, Rsvp.DECLINED):
        raise ValidationError({"rsvp": _("Answer accepted or declined.")})
    if attending_count is None:
        attending_count = 1 if rsvp == Rsvp.ACCEPTED else 0
    if isinstance(attending_count, bool) or not isinstance(attending_count, int):
        raise ValidationError(
            {"attending_count": _("Give the number of people as a whole number.")}
        )
    if not 0 <= attending_count <= MAX_ATTENDING:
        raise ValidationError(
            {
                "attending_count": _("Between 0 and %(max)d people can attend.")
                % {"max": MAX_ATTENDING}
            }
        )
    if rsvp == Rsvp.ACCEPTED and attending_count == 0:
        raise ValidationError(
            {"attending_count": _("A unit that accepts brings at least 1 person.")}
        )
    if rsvp == Rsvp.DECLINED and attending_count != 0:
        raise ValidationError({"attending_count": _("A unit that declines brings nobody (0).")})
    invitation.rsvp = rsvp
    invitation.attending_count = attending_count
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["rsvp", "attending_count", "responded_at"])
    return invitation


def checkin_window(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime]:
    return meeting.start_at - CHECKIN_OPENS_BEFORE, meeting.end_at


def checkin_refusal(meeting: Meeting, now: datetime.datetime | None = None) -> str | None:
    """Why the meeting takes no check-in now (it says when check-in opens), or None while it does."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return _("This meeting is not taking check-ins.")
    opens, closes = checkin_window(meeting)
    now = now or timezone.now()
    if now < opens:
        return _("Check-in opens at %(time)s, 30 minutes before the meeting starts.") % {
            "time": date_format(timezone.localtime(opens), "Y-m-d H:i")
        }
    if now > closes:
        return _("This meeting is over; check-in has closed.")
    return None


@transaction.atomic
def _check_in(
    meeting: Meeting, invitations: QuerySet[Invitation], not_invited: Exception
) -> Invitation:
    """The one place a check-in is recorded (QR code signed in, guest e-mail, guest link): inside the
    window only, on the invitation row locked, once; checking in again changes nothing."""
    now = timezone.now()
    refusal = checkin_refusal(meeting, now)
    if refusal:
        raise ValidationError({"token": refusal})
    invitation = invitations.filter(meeting=meeting).select_for_update().first()
    if invitation is None:
        raise not_invited
    invitation.meeting = meeting
    if not invitation.attended:
        invitation.attended = True
        invitation.checked_in_at = now
        invitation.save(update_fields=["attended", "checked_in_at"])
    return invitation


def _meeting_for_checkin(token: str) -> Meeting:
    meeting = Meeting.objects.filter(checkin_token=token).first() if token else None
    if meeting is None:
        raise ValidationError({"token": _("This check-in code is not valid.")})
    return meeting


def meeting_check_in(*, token: str, user: User) -> Invitation:
    """Mark the user's unit attended from the meeting's QR code; checking in twice changes nothing."""
    meeting = _meeting_for_checkin(token)
    if not (user.is_authenticated and user.is_unit_contact and user.unit_id):
        raise PermissionDenied(_("Sign in as the contact of an invited unit to check in."))
    return _check_in(
        meeting,
        Invitation.objects.filter(unit_id=user.unit_id),
        PermissionDenied(_("Your unit is not invited to this meeting.")),
    )


class GuestCheckInLimited(Exception):
    """The client address has used up GUEST_CHECKIN_RATE_LIMIT refused guest check-ins."""


def meeting_guest_check_in(*, token: str, email: str, ip: str | None) -> Invitation:
    """A guest without an account checks in with the QR code and the e-mail they were invited by
    (any case). Each refusal counts against GUEST_CHECKIN_RATE_LIMIT for the client address, so the
    form cannot be used to try out addresses; once it is used up, nothing is looked up."""
    if rate_reached("guest-check-in", ip, settings.GUEST_CHECKIN_RATE_LIMIT):
        raise GuestCheckInLimited
    try:
        meeting = _meeting_for_checkin(token)
        return _check_in(
            meeting,
            Invitation.objects.filter(unit__isnull=True, guest_email__iexact=email.strip()),
            ValidationError({"email": _("This e-mail is not invited to this meeting.")}),
        )
    except ValidationError:
        rate_exceeded("guest-check-in", ip, settings.GUEST_CHECKIN_RATE_LIMIT)
        raise


def invitation_checkin_token(invitation: Invitation) -> str:
    """The secret of a guest's personal check-in link: the invitation's id, signed."""
    return signing.dumps(invitation.pk, salt=CHECKIN_LINK_SALT)


def invitation_checkin_url(invitation: Invitation, base_url: str | None = None) -> str:
    path = reverse("alliances:invitation-check-in", args=[invitation_checkin_token(invitation)])
    return absolute_url(path, base_url)


def invitation_for_checkin_link(token: str) -> Invitation:
    """The guest invitation a personal check-in link names; Invitation.DoesNotExist when the token
    is forged or the invitation is gone."""
    try:
        pk = signing.loads(token, salt=CHECKIN_LINK_SALT)
    except signing.BadSignature as exc:
        raise Invitation.DoesNotExist from exc
    if not isinstance(pk, int):
        raise Invitation.DoesNotExist
    return Invitation.objects.select_related("meeting", "meeting__alliance").get(
        pk=pk, unit__isnull=True
    )


def invitation_link_check_in(*, token: str) -> Invitation:
    """A guest opens the personal link of their invitation mail: checked in during the window, once
    (opening it again changes nothing); Invitation.DoesNotExist for a forged token."""
    invitation = invitation_for_checkin_link(token)
    return _check_in(
        invitation.meeting,
        Invitation.objects.filter(pk=invitation.pk),
        Invitation.DoesNotExist(),
    )


@transaction.atomic
def attendance_mark(*, invitation: Invitation, by: User, attended: bool) -> Invitation:
    """The organizer marks an invitee attended or not, by hand."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting", "meeting__alliance")
        .get(pk=invitation.pk)
    )
    _require_manager(invitation.meeting, by)
    if invitation.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"attended": _("This meeting was cancelled.")})
    if invitation.attended != attended:
        invitation.attended = attended
        invitation.checked_in_at = (
            (invitation.checked_in_at or timezone.now()) if attended else None
        )
        invitation.save(update_fields=["attended", "checked_in_at"])
    return invitation


@transaction.atomic
def meeting_record_minutes(
    *,
    meeting: Meeting,
    by: User,
    minutes: str,
    decisions: str = "",
    attended: Iterable[int] | None = None,
) -> Meeting:
    """Record minutes and decisions once the meeting has started and mark it held.

    `attended`, if given, is the ids of the invitations that attended; the others are marked absent.
    """
    meeting = Meeting.objects.select_for_update().select_related("alliance").get(pk=meeting.pk)
    _require_manager(meeting, by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"status": _("This meeting was cancelled.")})
    if timezone.now() < meeting.start_at:
        raise ValidationError(
            {"minutes": _("Minutes can be recorded once the meeting has started.")}
        )
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("Write the minutes.")})
    meeting.minutes = minutes
    meeting.decisions = decisions or ""
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["minutes", "decisions", "status", "updated_at"])
    if attended is not None:
        ids = set(attended)
        invitations = list(Invitation.objects.select_for_update().filter(meeting=meeting))
        unknown = ids - {i.pk for i in invitations}
        if unknown:
            raise ValidationError({"attended": _("Only this meeting's invitations can attend.")})
        now = timezone.now()
        for invitation in invitations:
            should = invitation.pk in ids
            if invitation.attended != should:
                invitation.attended = should
                invitation.checked_in_at = (invitation.checked_in_at or now) if should else None
                invitation.save(update_fields=["attended", "checked_in_at"])
    return meeting


def calendar_feed_for(
    *, user: User | None = None, alliance: Alliance | None = None
) -> CalendarFeedToken:
    """The user's or the alliance's feed token, created on first use."""
    if user is not None:
        feed, _created = CalendarFeedToken.objects.get_or_create(user=user)
    else:
        feed, _created = CalendarFeedToken.objects.get_or_create(alliance=alliance)
    return feed


@transaction.atomic
def calendar_feed_regenerate(
    *, by: User, user: User | None = None, alliance: Alliance | None = None
) -> CalendarFeedToken:
    """A new secret for the feed; the old address stops working at once."""
    from portal.core.tokens import new_token

    if alliance is not None and not can_schedule(by, alliance):
        raise PermissionDenied(_("Only district staff and the lead unit's contacts can do this."))
    if user is not None and user.pk != by.pk:
        raise PermissionDenied(_("You can only renew your own calendar address."))
    feed = calendar_feed_for(user=user, alliance=alliance)
    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed
