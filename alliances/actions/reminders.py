"""Meeting reminders, each delivered exactly once per meeting, recipient, kind, offset and meeting time.

The protocol (docs/meetings.md, "Reminders and notifications"): a sweep finds what is due, claims one
`ReminderDelivery` row per reminder (the unique constraint lets exactly one sweep win each row), then
for each row it won creates the in-portal notification (idempotent: one per row), sends the e-mail
and marks the row `sent`. A row left `claimed` by a worker that died is re-claimed by a later sweep
once older than REMINDER_STALE_CLAIM_MINUTES.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import ngettext

from alliances.choices import AFTER_MEETING_DELAYS, DeliveryKind, DeliveryStatus, MeetingStatus
from alliances.models import Invitation, Meeting, ReminderDelivery
from alliances.selectors.meetings import meeting_reminder_recipients_by_meeting
from portal.core.mail import absolute_url
from portal.core.metrics import REMINDER_DELIVERIES, job_outcome
from portal.notifications.choices import NoticeKind
from portal.notifications.models import NoticeDelivery, Notification
from portal.notifications.notices import notice_rows

logger = logging.getLogger(__name__)

# Meetings longer than this are not looked for by the after-meeting pass (which uses the start index).
LONGEST_MEETING = datetime.timedelta(days=31)


@dataclass
class SweepResult:
    claimed: int = 0
    reclaimed: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> SweepResult:
    """Claim and send every reminder due at `now`; safe to run in several workers at once."""
    with job_outcome("meeting_reminders"):
        result = _sweep(now or timezone.now())
    for outcome in ("sent", "skipped", "failed"):
        if count := getattr(result, outcome):
            REMINDER_DELIVERIES.labels(outcome).inc(count)
    return result


def _sweep(now: datetime.datetime) -> SweepResult:
    token = uuid.uuid4().hex
    result = SweepResult()
    rows = _before_rows(now, token) + _after_rows(now, token)
    if rows:
        ReminderDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    result.reclaimed = _reclaim_stale(now, token)
    if not rows and not result.reclaimed:
        return result
    claimed = list(
        ReminderDelivery.objects.filter(claim_token=token, status=DeliveryStatus.CLAIMED)
        .select_related("meeting__alliance", "meeting__station", "user")
        .order_by("id")
    )
    result.claimed = len(claimed) - result.reclaimed
    connection = get_connection()
    notices: list[NoticeDelivery] = []
    try:
        for delivery in claimed:
            outcome = _deliver(delivery, token, connection, notices)
            setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        connection.close()
        # The same reminder on the recipient's other channels (SMS, WeCom), in one INSERT; a row
        # sent again after a crash finds its notice already written.
        if notices:
            NoticeDelivery.objects.bulk_create(notices, ignore_conflicts=True)
    return result


def _offset_label(minutes: int) -> str:
    if minutes and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _before_rows(now: datetime.datetime, token: str) -> list[ReminderDelivery]:
    """Rows to claim for reminders before meetings: the nearest due offset, the others skipped."""
    window = now + datetime.timedelta(minutes=settings.REMINDER_MAX_OFFSET_MINUTES)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, start_at__gt=now, start_at__lte=window
    ).select_related("alliance", "organizer")
    due: dict[Meeting, list[int]] = {}
    for meeting in meetings.order_by():
        offsets = [
            offset
            for offset in meeting.effective_reminder_offsets()
            if offset > 0 and now >= meeting.start_at - datetime.timedelta(minutes=offset)
        ]
        if offsets:
            due[meeting] = offsets
    if not due:
        return []
    existing = set(
        ReminderDelivery.objects.filter(
            meeting__in=list(due), kind=DeliveryKind.BEFORE
        ).values_list("meeting_id", "user_id", "offset_minutes", "scheduled_for")
    )
    rows = []
    recipients = meeting_reminder_recipients_by_meeting(list(due))
    for meeting, offsets in due.items():
        nearest = min(offsets)
        for user in recipients[meeting.pk]:
            for offset in offsets:
                if (meeting.pk, user.pk, offset, meeting.start_at) in existing:
                    continue
                rows.append(
                    _row(
                        meeting,
                        user,
                        DeliveryKind.BEFORE,
                        offset,
                        meeting.start_at,
                        now,
                        token if offset == nearest else None,
                    )
                )
    return rows


def _missing_minutes_or_attendance() -> Q:
    invited = Invitation.objects.filter(meeting=OuterRef("pk"))
    return Q(minutes="") | (Exists(invited) & ~Exists(invited.filter(attended=True)))


def _after_rows(now: datetime.datetime, token: str) -> list[ReminderDelivery]:
    """Rows to claim for the organizer's minutes-and-attendance reminders after meetings."""
    first, last = min(AFTER_MEETING_DELAYS.values()), max(AFTER_MEETING_DELAYS.values())
    oldest_end = now - last - datetime.timedelta(hours=settings.REMINDER_AFTER_GRACE_HOURS)
    meetings = (
        Meeting.objects.filter(
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
            # The bound on start_at lets the (status, start_at) index do the work.
            start_at__gt=oldest_end - LONGEST_MEETING,
            start_at__lte=now - first,
            end_at__gt=oldest_end,
            end_at__lte=now - first,
        )
        .filter(_missing_minutes_or_attendance())
        .select_related("organizer")
        .order_by()
    )
    due = {}
    for meeting in meetings:
        kinds = [
            kind for kind, delay in AFTER_MEETING_DELAYS.items() if now >= meeting.end_at + delay
        ]
        if kinds:
            due[meeting] = kinds
    if not due:
        return []
    existing = set(
        ReminderDelivery.objects.filter(
            meeting__in=list(due), kind__in=list(AFTER_MEETING_DELAYS)
        ).values_list("meeting_id", "user_id", "kind", "scheduled_for")
    )
    rows = []
    for meeting, kinds in due.items():
        latest = max(kinds, key=AFTER_MEETING_DELAYS.get)
        for kind in kinds:
            if (meeting.pk, meeting.organizer_id, kind, meeting.end_at) in existing:
                continue
            rows.append(
                _row(
                    meeting,
                    meeting.organizer,
                    kind,
                    0,
                    meeting.end_at,
                    now,
                    token if kind == latest else None,
                )
            )
    return rows


def _row(meeting, user, kind, offset, scheduled_for, now, token) -> ReminderDelivery:
    """A claimed row when `token` is given, else a skipped one (an older reminder overtaken)."""
    return ReminderDelivery(
        meeting=meeting,
        user=user,
        kind=kind,
        offset_minutes=offset,
        scheduled_for=scheduled_for,
        status=DeliveryStatus.CLAIMED if token else DeliveryStatus.SKIPPED,
        claim_token=token or "",
        claimed_at=now,
    )


def _reclaim_stale(now: datetime.datetime, token: str) -> int:
    """Take over rows claimed by a sweep that died before sending them; one sweep wins each row."""
    cutoff = now - datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES)
    return ReminderDelivery.objects.filter(
        status=DeliveryStatus.CLAIMED, claimed_at__lt=cutoff
    ).update(claim_token=token, claimed_at=now, attempts=F("attempts") + 1)


def _still_due(delivery: ReminderDelivery) -> bool:
    """Whether the reminder still makes sense now (a re-claimed row may be hours old)."""
    meeting = delivery.meeting
    if delivery.kind == DeliveryKind.BEFORE:
        return (
            meeting.status == MeetingStatus.SCHEDULED
            and meeting.start_at == delivery.scheduled_for
            and meeting.start_at > timezone.now()
        )
    if meeting.status == MeetingStatus.CANCELLED or meeting.end_at != delivery.scheduled_for:
        return False
    return Meeting.objects.filter(pk=meeting.pk).filter(_missing_minutes_or_attendance()).exists()


def _finish(delivery: ReminderDelivery, token: str, **fields) -> int:
    return ReminderDelivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=DeliveryStatus.CLAIMED
    ).update(**fields)


def _deliver(delivery: ReminderDelivery, token: str, connection, notices: list) -> str:
    """Notify in the portal, e-mail, mark sent and add the rows of its other channels to `notices`;
    returns the SweepResult field to count it in."""
    if not _still_due(delivery):
        _finish(delivery, token, status=DeliveryStatus.SKIPPED)
        return "skipped"
    if delivery.attempts > settings.REMINDER_MAX_ATTEMPTS:
        _finish(delivery, token, status=DeliveryStatus.FAILED)
        return "failed"
    subject, body, url, context = _render(delivery)
    # One notification per delivery row, whoever (re)sends it.
    Notification.objects.get_or_create(
        delivery=delivery,
        defaults={
            "user": delivery.user,
            "title": subject,
            "body": body,
            "url": url,
            "created_at": timezone.now(),
        },
    )
    if delivery.user.email:
        message = EmailMessage(subject, body, None, [delivery.user.email], connection=connection)
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 — any transport error: leave the claim for a retry
            logger.warning("Reminder %s not sent: %s", delivery.pk, exc)
            _finish(delivery, token, error=str(exc)[:500])
            return "failed"
    # The window for a second e-mail is here: SMTP accepted but this update never ran.
    _finish(delivery, token, status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
    notices.extend(
        notice_rows(
            kind=(
                NoticeKind.MEETING_REMINDER
                if delivery.kind == DeliveryKind.BEFORE
                else NoticeKind.MINUTES_DUE
            ),
            key=f"reminder:{delivery.pk}",
            users=[delivery.user],
            context=context,
        )
    )
    return "sent"


def _render(delivery: ReminderDelivery) -> tuple[str, str, str, dict]:
    meeting = delivery.meeting
    try:
        path = meeting.get_absolute_url()
    except NoReverseMatch:
        path = ""
    context = {
        "meeting": meeting,
        "user": delivery.user,
        "start": timezone.localtime(meeting.start_at),
        "end": timezone.localtime(meeting.end_at),
        "place": meeting.station or meeting.address or meeting.online_url,
        "url": absolute_url(path) if path else "",
        "days_after": AFTER_MEETING_DELAYS.get(delivery.kind, datetime.timedelta()).days,
    }
    template = (
        "notifications/email/meeting_reminder"
        if delivery.kind == DeliveryKind.BEFORE
        else "notifications/email/minutes_due"
    )
    with translation.override(settings.LANGUAGE_CODE):
        context["offset"] = _offset_label(delivery.offset_minutes)
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body, path, context
