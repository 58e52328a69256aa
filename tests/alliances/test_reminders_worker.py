"""The sweep task through the real broker (filesystem, Redis in CI) and a real worker, mail read
from a real SMTP server: each recipient gets each reminder once, also after a worker died mid-send."""

import datetime
import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings

from alliances.choices import DeliveryKind
from alliances.models import ReminderDelivery
from alliances.tasks import send_meeting_reminders
from portal.celery_app import app

from .conftest import START

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.broker]


def run_through_worker(times: int = 1) -> None:
    """Send the sweep task `times` through the broker and wait until the worker has run them all."""
    done = threading.Semaphore(0)

    def finished(sender=None, **kwargs) -> None:
        if sender is not None and sender.name == send_meeting_reminders.name:
            done.release()

    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
        ):
            # The solo pool runs one task at a time: the second sweep starts as the first ends.
            for _ in range(times):
                send_meeting_reminders.delay()
            for _ in range(times):
                # Generous: on a loaded 2-core machine a filesystem-broker round trip can take long.
                assert done.acquire(timeout=90), "the worker did not run the sweep"
    finally:
        task_postrun.disconnect(finished)


def addresses(smtp_server) -> list[str]:
    return sorted(message["To"] for message in smtp_server.messages)


def test_the_worker_sends_each_reminder_once_over_two_sweeps(
    meeting_net, smtp_server, time_machine
):
    time_machine.move_to(START - datetime.timedelta(days=3), tick=True)
    run_through_worker(times=2)
    assert addresses(smtp_server) == meeting_net.recipients


def test_a_claim_left_by_a_killed_worker_is_sent_once_by_a_later_sweep(
    meeting_net, smtp_server, time_machine
):
    time_machine.move_to(START - datetime.timedelta(days=3), tick=True)
    # A worker that claimed everything and died before sending.
    for user in (meeting_net.organizer, meeting_net.accepted, meeting_net.pending):
        ReminderDelivery.objects.create(
            meeting=meeting_net.meeting,
            user=user,
            kind=DeliveryKind.BEFORE,
            offset_minutes=4320,
            scheduled_for=START,
            claim_token="killed-worker",
        )
    run_through_worker()
    assert smtp_server.messages == []  # the claims are still fresh: their owner may be sending
    time_machine.move_to(
        START
        - datetime.timedelta(days=3)
        + datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES + 1),
        tick=True,
    )
    run_through_worker(times=2)
    smtp_server.wait_for(3)
    assert addresses(smtp_server) == meeting_net.recipients
    assert set(ReminderDelivery.objects.values_list("status", "attempts")) == {("sent", 2)}
