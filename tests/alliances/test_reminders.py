"""The reminder sweep: what is due when, to whom, and that each reminder goes exactly once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from alliances.actions.reminders import meeting_reminders_send
from alliances.choices import DeliveryKind, DeliveryStatus
from alliances.models import ReminderDelivery
from portal.notifications.models import Notification
from tests.factories import InvitationFactory, MeetingFactory, UserFactory

from .conftest import START

pytestmark = pytest.mark.django_db

DAY, HOUR, MINUTE = (
    datetime.timedelta(days=1),
    datetime.timedelta(hours=1),
    datetime.timedelta(minutes=1),
)


def sweep_at(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    return meeting_reminders_send()


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_nothing_is_sent_before_the_first_offset(meeting_net, time_machine):
    sweep_at(time_machine, START - 3 * DAY - MINUTE)
    assert mail.outbox == []
    assert not ReminderDelivery.objects.exists()


def test_three_days_and_two_hours_before_each_recipient_gets_one_reminder(
    meeting_net, time_machine
):
    result = sweep_at(time_machine, START - 3 * DAY)
    assert result.sent == 3
    assert recipients(mail.outbox) == meeting_net.recipients
    assert meeting_net.meeting.title in mail.outbox[0].subject
    sweep_at(time_machine, START - 3 * DAY + MINUTE)
    sweep_at(time_machine, START - 2 * HOUR - MINUTE)
    assert len(mail.outbox) == 3
    sweep_at(time_machine, START - 2 * HOUR)
    assert recipients(mail.outbox[3:]) == meeting_net.recipients
    sweep_at(time_machine, START - HOUR)
    assert len(mail.outbox) == 6
    offsets = sorted(
        ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).values_list(
            "offset_minutes", flat=True
        )
    )
    assert offsets == [120] * 3 + [4320] * 3


def test_each_reminder_is_also_an_in_portal_notification_once(meeting_net, time_machine):
    sweep_at(time_machine, START - 3 * DAY)
    sweep_at(time_machine, START - 3 * DAY + MINUTE)
    assert Notification.objects.filter(user=meeting_net.accepted).count() == 1
    notification = Notification.objects.get(user=meeting_net.accepted)
    assert meeting_net.meeting.title in notification.title
    assert notification.read_at is None


def test_the_declined_unit_gets_nothing_and_the_organizer_is_included(meeting_net, time_machine):
    sweep_at(time_machine, START - 2 * HOUR)
    assert meeting_net.declined.email not in recipients(mail.outbox)
    assert meeting_net.organizer.email in recipients(mail.outbox)
    assert not Notification.objects.filter(user=meeting_net.declined).exists()


def test_the_meeting_overrides_the_alliance_offsets(meeting_net, time_machine):
    meeting_net.meeting.alliance.reminder_offsets = [60 * 24]
    meeting_net.meeting.alliance.save()
    meeting_net.meeting.reminder_offsets = [30]
    meeting_net.meeting.save()
    sweep_at(time_machine, START - DAY)
    assert mail.outbox == []
    sweep_at(time_machine, START - 30 * MINUTE)
    assert len(mail.outbox) == 3


def test_the_alliance_offsets_apply_when_the_meeting_has_none(meeting_net, time_machine):
    meeting_net.meeting.alliance.reminder_offsets = [60 * 24]
    meeting_net.meeting.alliance.save()
    sweep_at(time_machine, START - 3 * DAY)
    assert mail.outbox == []
    sweep_at(time_machine, START - DAY)
    assert len(mail.outbox) == 3


def test_a_cancelled_meeting_gets_no_reminders(meeting_net, time_machine):
    meeting_net.meeting.status = "cancelled"
    meeting_net.meeting.save()
    sweep_at(time_machine, START - 2 * HOUR)
    assert mail.outbox == []


def test_a_rescheduled_meeting_is_reminded_anew_at_the_new_time(meeting_net, time_machine):
    sweep_at(time_machine, START - 3 * DAY)
    assert len(mail.outbox) == 3
    new_start = START + 7 * DAY
    meeting_net.meeting.start_at, meeting_net.meeting.end_at = new_start, new_start + 2 * HOUR
    meeting_net.meeting.save()
    # The old time's two-hour reminder never goes.
    sweep_at(time_machine, START - 2 * HOUR)
    assert len(mail.outbox) == 3
    sweep_at(time_machine, new_start - 3 * DAY)
    assert len(mail.outbox) == 6
    assert "12-17" in mail.outbox[-1].subject or "12-17" in mail.outbox[-1].body
    sweep_at(time_machine, new_start - 2 * HOUR)
    assert len(mail.outbox) == 9


def test_a_stale_claim_for_the_old_time_is_dropped_after_a_reschedule(meeting_net, time_machine):
    time_machine.move_to(START - 3 * DAY, tick=False)
    ReminderDelivery.objects.create(
        meeting=meeting_net.meeting,
        user=meeting_net.accepted,
        kind=DeliveryKind.BEFORE,
        offset_minutes=4320,
        scheduled_for=START,
        claim_token="dead-worker",
    )
    meeting_net.meeting.start_at, meeting_net.meeting.end_at = (
        START + 30 * DAY,
        START + 30 * DAY + HOUR,
    )
    meeting_net.meeting.save()
    result = sweep_at(time_machine, START - 3 * DAY + 11 * MINUTE)
    assert (result.reclaimed, result.skipped, result.sent) == (1, 1, 0)
    assert mail.outbox == []


def test_a_reminder_missed_while_down_is_sent_late_once_nearest_offset_only(
    meeting_net, time_machine
):
    # Down from before the 3-day moment until an hour before the start: only the 2-hour one goes.
    result = sweep_at(time_machine, START - HOUR)
    assert result.sent == 3
    assert len(mail.outbox) == 3
    assert "2" in mail.outbox[0].body
    assert ReminderDelivery.objects.filter(offset_minutes=4320, status="skipped").count() == 3
    sweep_at(time_machine, START - HOUR + MINUTE)
    assert len(mail.outbox) == 3


def test_no_reminder_once_the_meeting_has_started(meeting_net, time_machine):
    sweep_at(time_machine, START)
    sweep_at(time_machine, START + MINUTE)
    assert mail.outbox == []
    assert not ReminderDelivery.objects.filter(kind=DeliveryKind.BEFORE).exists()


def test_a_unit_invited_after_the_first_reminder_still_gets_it_before_the_start(
    meeting_net, time_machine
):
    sweep_at(time_machine, START - 3 * DAY)
    late = UserFactory(username="late")
    InvitationFactory(meeting=meeting_net.meeting, unit=late.unit)
    sweep_at(time_machine, START - 2 * DAY)
    assert recipients(mail.outbox[3:]) == [late.email]


def test_sweeping_twice_sends_each_reminder_once(meeting_net, time_machine):
    time_machine.move_to(START - 2 * HOUR, tick=False)
    first = meeting_reminders_send()
    second = meeting_reminders_send()
    assert (first.sent, second.sent) == (3, 0)
    assert len(mail.outbox) == 3


def test_a_stale_claim_is_resent_once(meeting_net, time_machine, settings):
    time_machine.move_to(START - 3 * DAY, tick=False)
    # What a worker killed after claiming leaves behind.
    ReminderDelivery.objects.create(
        meeting=meeting_net.meeting,
        user=meeting_net.accepted,
        kind=DeliveryKind.BEFORE,
        offset_minutes=4320,
        scheduled_for=START,
        claim_token="dead-worker",
    )
    result = meeting_reminders_send()
    assert result.sent == 2  # the others; the claimed row is not stale yet
    assert meeting_net.accepted.email not in recipients(mail.outbox)
    stale = START - 3 * DAY + (settings.REMINDER_STALE_CLAIM_MINUTES + 1) * MINUTE
    result = sweep_at(time_machine, stale)
    assert (result.reclaimed, result.sent) == (1, 1)
    sweep_at(time_machine, stale + MINUTE)
    assert recipients(mail.outbox) == meeting_net.recipients
    row = ReminderDelivery.objects.get(user=meeting_net.accepted)
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_row_claimed_after_its_notification_was_made_does_not_make_a_second_one(
    meeting_net, time_machine, settings
):
    time_machine.move_to(START - 3 * DAY, tick=False)
    row = ReminderDelivery.objects.create(
        meeting=meeting_net.meeting,
        user=meeting_net.accepted,
        kind=DeliveryKind.BEFORE,
        offset_minutes=4320,
        scheduled_for=START,
        claim_token="dead-worker",
    )
    Notification.objects.create(user=meeting_net.accepted, title="…", delivery=row)
    sweep_at(time_machine, START - 3 * DAY + (settings.REMINDER_STALE_CLAIM_MINUTES + 1) * MINUTE)
    assert Notification.objects.filter(user=meeting_net.accepted).count() == 1
    assert meeting_net.accepted.email in recipients(mail.outbox)


def test_a_failing_mail_server_leaves_the_claim_for_a_retry(meeting_net, time_machine, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    result = sweep_at(time_machine, START - 3 * DAY)
    assert result.failed == 3
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"claimed"}
    # The portal notification did not wait for the mail.
    assert Notification.objects.count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep_at(time_machine, START - 3 * DAY + (settings.REMINDER_STALE_CLAIM_MINUTES + 1) * MINUTE)
    assert recipients(mail.outbox) == meeting_net.recipients
    assert Notification.objects.count() == 3


def test_a_reminder_that_keeps_failing_is_given_up(meeting_net, time_machine, settings):
    time_machine.move_to(START - 3 * DAY, tick=False)
    ReminderDelivery.objects.create(
        meeting=meeting_net.meeting,
        user=meeting_net.accepted,
        kind=DeliveryKind.BEFORE,
        offset_minutes=4320,
        scheduled_for=START,
        attempts=settings.REMINDER_MAX_ATTEMPTS,
    )
    sweep_at(time_machine, START - 3 * DAY + (settings.REMINDER_STALE_CLAIM_MINUTES + 1) * MINUTE)
    assert ReminderDelivery.objects.get(user=meeting_net.accepted).status == "failed"
    assert meeting_net.accepted.email not in recipients(mail.outbox)


# After the meeting: the organizer's minutes-and-attendance reminders.

END = START + 2 * HOUR


def test_the_organizer_is_reminded_of_missing_minutes_at_two_and_seven_days_once_each(
    meeting_net, time_machine
):
    sweep_at(time_machine, END + 2 * DAY - MINUTE)
    assert ReminderDelivery.objects.filter(kind__startswith="minutes").count() == 0
    sweep_at(time_machine, END + 2 * DAY)
    sweep_at(time_machine, END + 3 * DAY)
    assert list(
        ReminderDelivery.objects.filter(kind__startswith="minutes").values_list("kind", "user")
    ) == [(DeliveryKind.MINUTES_DUE_2D, meeting_net.organizer.pk)]
    sweep_at(time_machine, END + 7 * DAY)
    sweep_at(time_machine, END + 7 * DAY + HOUR)
    kinds = sorted(
        ReminderDelivery.objects.filter(status="sent", kind__startswith="minutes").values_list(
            "kind", flat=True
        )
    )
    assert kinds == [DeliveryKind.MINUTES_DUE_2D, DeliveryKind.MINUTES_DUE_7D]
    after = [m for m in mail.outbox if m.to == [meeting_net.organizer.email]]
    assert len(after) == 2


def test_no_minutes_reminder_when_minutes_and_attendance_are_recorded(meeting_net, time_machine):
    meeting_net.meeting.status, meeting_net.meeting.minutes = "held", "会议纪要"
    meeting_net.meeting.save()
    meeting_net.meeting.invitations.filter(unit=meeting_net.accepted.unit).update(attended=True)
    sweep_at(time_machine, END + 2 * DAY)
    sweep_at(time_machine, END + 7 * DAY)
    assert mail.outbox == []


def test_missing_attendance_alone_is_reminded(meeting_net, time_machine):
    meeting_net.meeting.status, meeting_net.meeting.minutes = "held", "会议纪要"
    meeting_net.meeting.save()
    sweep_at(time_machine, END + 2 * DAY)
    assert [m.to for m in mail.outbox] == [[meeting_net.organizer.email]]


def test_no_minutes_reminder_for_a_cancelled_meeting(meeting_net, time_machine):
    meeting_net.meeting.status = "cancelled"
    meeting_net.meeting.save()
    sweep_at(time_machine, END + 2 * DAY)
    assert mail.outbox == []


def test_minutes_filed_after_the_first_reminder_stop_the_second(meeting_net, time_machine):
    sweep_at(time_machine, END + 2 * DAY)
    meeting_net.meeting.status, meeting_net.meeting.minutes = "held", "会议纪要"
    meeting_net.meeting.save()
    meeting_net.meeting.invitations.update(attended=True)
    sweep_at(time_machine, END + 7 * DAY)
    assert len(mail.outbox) == 1


def test_after_a_long_outage_only_the_seven_day_reminder_goes(meeting_net, time_machine):
    sweep_at(time_machine, END + 7 * DAY + HOUR)
    assert len(mail.outbox) == 1
    assert ReminderDelivery.objects.get(kind=DeliveryKind.MINUTES_DUE_2D).status == "skipped"


def test_meetings_long_past_are_not_reminded(meeting_net, time_machine):
    sweep_at(time_machine, END + 30 * DAY)
    assert mail.outbox == []


def test_the_command_runs_the_sweep_and_prints_counts(meeting_net, time_machine, capsys):
    time_machine.move_to(START - 2 * HOUR, tick=False)
    call_command("send_meeting_reminders")
    assert "sent=3" in capsys.readouterr().out
    assert len(mail.outbox) == 3


def test_two_meetings_due_at_once_are_both_reminded(time_machine):
    first = MeetingFactory(start_at=START)
    second = MeetingFactory(start_at=START + 30 * MINUTE)
    sweep_at(time_machine, START - MINUTE)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [first.organizer.email, second.organizer.email]
    )
