"""Two sweeps at the same moment: the unique constraint lets exactly one send each reminder.

Concurrent writers need PostgreSQL (the CI's second run); on SQLite the sweep-twice test in
test_reminders.py covers the same rule one sweep after the other.
"""

import datetime

import pytest
from django.core import mail
from django.db import connection

from alliances.actions.reminders import meeting_reminders_send
from alliances.models import ReminderDelivery
from portal.notifications.models import Notification
from tests.helpers import at_once

from .conftest import START

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_send_each_reminder_exactly_once(meeting_net, time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; the CI's second run uses it")
    time_machine.move_to(START - datetime.timedelta(hours=2), tick=False)
    outcomes = at_once(meeting_reminders_send, meeting_reminders_send)

    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert sum(outcome.sent for outcome in outcomes) == 3
    assert sorted(m.to[0] for m in mail.outbox) == meeting_net.recipients
    assert ReminderDelivery.objects.filter(status="sent", offset_minutes=120).count() == 3
    assert Notification.objects.count() == 3
