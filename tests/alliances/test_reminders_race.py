"""Two sweeps at the same moment: the unique constraint lets exactly one send each reminder.

Concurrent writers need PostgreSQL (the CI's second run); on SQLite the sweep-twice test in
test_reminders.py covers the same rule one sweep after the other.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from alliances.actions.reminders import meeting_reminders_send
from alliances.models import ReminderDelivery
from portal.notifications.models import Notification

from .conftest import START

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_send_each_reminder_exactly_once(meeting_net, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; the CI's second run uses it")
    time_machine.move_to(START - datetime.timedelta(hours=2), tick=False)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def sweep() -> None:
        try:
            barrier.wait(timeout=10)
            result = meeting_reminders_send()
        except Exception as exc:  # noqa: BLE001 — anything raised is the failure looked for
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert sum(outcome.sent for outcome in outcomes) == 3
    assert sorted(m.to[0] for m in mail.outbox) == meeting_net.recipients
    assert ReminderDelivery.objects.filter(status="sent", offset_minutes=120).count() == 3
    assert Notification.objects.count() == 3
