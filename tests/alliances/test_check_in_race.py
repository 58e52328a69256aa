"""A guest checks in twice at the same moment (the e-mail form and the personal link): the locked
invitation row lets exactly one of them record the check-in.

Concurrent writers need PostgreSQL (the CI's second run); on SQLite the check-in-twice tests in
test_meetings.py cover the same rule one request after the other.
"""

import datetime

import pytest
from django.db import connection

from alliances.actions import meetings as actions
from tests.factories import InvitationFactory, MeetingFactory
from tests.helpers import at_once

from .conftest import START

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_check_ins_of_one_guest_at_once_record_it_once(time_machine):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; the CI's second run uses it")
    meeting = MeetingFactory(start_at=START, end_at=START + datetime.timedelta(hours=2))
    guest = InvitationFactory(meeting=meeting, unit=None, guest_email="guest@example.org")
    time_machine.move_to(START, tick=False)
    ways = [
        lambda: actions.meeting_guest_check_in(
            token=meeting.checkin_token, email="GUEST@example.org", ip="192.0.2.1"
        ),
        lambda: actions.invitation_link_check_in(token=actions.invitation_checkin_token(guest)),
    ]

    outcomes = at_once(*ways)

    assert all(not isinstance(outcome, Exception) for outcome in outcomes), outcomes
    guest.refresh_from_db()
    assert guest.attended and guest.checked_in_at == START
    # One history row records the check-in: the second way found it done and saved nothing.
    assert guest.history.filter(attended=True).count() == 1
