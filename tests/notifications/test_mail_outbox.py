"""The mail outbox: a mail server that is down fails no request and loses no mail; each mail is sent
once, by whichever runner claims it first."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from portal.core.mail import send_after_commit
from portal.core.outbox import MAIL_BATCH, mail_send, retry_delay
from portal.notifications.models import OutgoingMail
from portal.notifications.tasks import send_pending_mail
from tests.factories import StaffFactory
from tests.helpers import at_once, free_port
from tests.members.test_registration import make_registration

T0 = datetime.datetime(2026, 11, 26, 2, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


class _Registration:
    name = "新虹示范科技"
    reject_reason = "信用代码与营业执照不符"


# A real template of the portal's, with what it needs.
REJECTION = {
    "template": "members/email/registration_rejected",
    "context": {"registration": _Registration(), "status_url": "http://testserver/"},
}


def due_mail(n: int = 1, **fields) -> list[OutgoingMail]:
    return OutgoingMail.objects.bulk_create(
        OutgoingMail(recipients=[f"to{i}@example.org"], subject=f"第{i}封", body="正文", **fields)
        for i in range(n)
    )


@pytest.mark.django_db
def test_a_decision_succeeds_while_the_mail_server_is_down_and_its_mail_follows_once(
    client, region, smtp_server, settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(T0, tick=False)
    registration = make_registration(region)
    client.force_login(StaffFactory(username="reviewer"))
    settings.EMAIL_PORT = free_port()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:registration-reject", args=[registration.pk]),
            {"reason": "信用代码与营业执照不符"},
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "rejected"
    outgoing = OutgoingMail.objects.get()
    assert (outgoing.status, outgoing.attempts) == ("pending", 1)
    assert outgoing.recipients == ["wang@example.org"]
    assert outgoing.next_attempt_at == T0 + MINUTE
    assert "ConnectionRefusedError" in outgoing.last_error
    assert smtp_server.messages == []

    # Not due yet: the runner leaves it alone.
    time_machine.move_to(T0 + MINUTE / 2, tick=False)
    assert send_pending_mail() == {"sent": 0, "failed": 0, "given_up": 0}
    # Due, and the server still down: the pause doubles.
    time_machine.move_to(T0 + MINUTE, tick=False)
    assert send_pending_mail() == {"sent": 0, "failed": 1, "given_up": 0}
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == ("pending", 2)
    assert outgoing.next_attempt_at == T0 + 3 * MINUTE

    settings.EMAIL_PORT = smtp_server.port
    time_machine.move_to(T0 + 3 * MINUTE, tick=False)
    assert send_pending_mail() == {"sent": 1, "failed": 0, "given_up": 0}
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "wang@example.org"
    assert "信用代码与营业执照不符" in message.get_body(("plain",)).get_content()
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.last_error) == ("sent", 3, "")
    assert outgoing.sent_at == T0 + 3 * MINUTE

    time_machine.move_to(T0 + 2 * 60 * MINUTE, tick=False)
    assert send_pending_mail() == {"sent": 0, "failed": 0, "given_up": 0}
    assert len(smtp_server.wait_for(2, timeout=0.3)) == 1


def test_the_pause_doubles_from_a_minute_up_to_an_hour():
    assert [retry_delay(n) / MINUTE for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.django_db
def test_a_mail_is_given_up_after_the_configured_attempts(settings, time_machine):
    time_machine.move_to(T0, tick=False)
    settings.MAIL_MAX_ATTEMPTS = 3
    use_smtp(settings, free_port())
    [outgoing] = due_mail(attempts=2)
    assert mail_send().as_dict() == {"sent": 0, "failed": 0, "given_up": 1}
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == ("failed", 3)
    time_machine.move_to(T0 + 2 * 60 * MINUTE, tick=False)
    assert mail_send().as_dict() == {"sent": 0, "failed": 0, "given_up": 0}


@pytest.mark.django_db
def test_a_run_stops_at_the_first_mail_when_the_server_is_away(settings):
    use_smtp(settings, free_port())
    first, second = due_mail(2)
    assert mail_send().as_dict() == {"sent": 0, "failed": 1, "given_up": 0}
    first.refresh_from_db()
    second.refresh_from_db()
    # The untried mail keeps its place and its attempts for the next run.
    assert (first.attempts, second.attempts) == (1, 0)


@pytest.mark.django_db
def test_mail_is_in_the_outbox_only_when_its_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_after_commit(**REJECTION, to="gone@example.org")
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not OutgoingMail.objects.exists() and mailoutbox == []

    attachments = [
        ("会议.ics", "BEGIN:VCALENDAR\r\n", "text/calendar"),
        ("a.bin", b"\x00\xff", "application/octet-stream"),
    ]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_after_commit(**REJECTION, to="kept@example.org", attachments=attachments)
        assert OutgoingMail.objects.get().status == "pending"
    assert OutgoingMail.objects.get().status == "sent"
    [message] = mailoutbox
    assert message.to == ["kept@example.org"] and "不符" in message.body
    assert [(a.filename, a.content) for a in message.attachments] == [
        ("会议.ics", "BEGIN:VCALENDAR\r\n"),
        ("a.bin", b"\x00\xff"),
    ]


@pytest.mark.django_db
def test_a_run_costs_the_same_queries_for_few_mails_and_many(mailoutbox, django_assert_num_queries):
    due_mail(2)
    # A savepoint, the claim, the update of the sent rows, the release.
    with django_assert_num_queries(4):
        assert mail_send().sent == 2
    due_mail(MAIL_BATCH - 1)
    with django_assert_num_queries(4):
        assert mail_send().sent == MAIL_BATCH - 1
    assert len(mailoutbox) == MAIL_BATCH + 1


@pytest.mark.django_db
def test_the_command_sends_what_is_due(mailoutbox):
    due_mail(1)
    out = io.StringIO()
    call_command("send_pending_mail", stdout=out)
    assert out.getvalue().split() == [
        "mail_sent=1",
        "mail_failed=0",
        "mail_given_up=0",
        "tasks_sent=0",
        "tasks_left=0",
    ]
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_staff_retry_a_given_up_mail_from_the_admin(client, smtp_server):
    sent, failed = due_mail(2)
    OutgoingMail.objects.filter(pk=sent.pk).update(status="sent")
    OutgoingMail.objects.filter(pk=failed.pk).update(
        status="failed", attempts=12, next_attempt_at=T0 + 60 * MINUTE
    )
    client.force_login(StaffFactory(username="mail-admin", is_superuser=True))
    changelist = reverse("admin:notifications_outgoingmail_changelist")
    response = client.post(
        changelist,
        {"action": "retry_now", "_selected_action": [sent.pk, failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "to1@example.org"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 1)
    page = client.get(reverse("admin:notifications_outgoingmail_change", args=[failed.pk]))
    assert page.status_code == 200 and "第1封" in page.content.decode()


def test_the_beat_sends_pending_mail_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-pending-mail"]
    assert entry["task"] == send_pending_mail.name and entry["schedule"] == 60
    assert settings.EMAIL_TIMEOUT


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_send_each_mail_exactly_once(smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; the CI's second run uses it")
    due_mail(5)
    outcomes = at_once(mail_send, mail_send)

    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert sum(outcome.sent for outcome in outcomes) == 5
    messages = smtp_server.wait_for(6, timeout=0.5)
    assert sorted(m["To"] for m in messages) == [f"to{i}@example.org" for i in range(5)]
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
