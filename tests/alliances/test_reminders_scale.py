"""One sweep over 60,000 meetings with nothing due: a handful of indexed queries, well under a second."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliances.actions.reminders import meeting_reminders_send
from alliances.models import Meeting
from tests.factories import (
    AllianceFactory,
    InvitationFactory,
    MeetingFactory,
    StaffFactory,
    UserFactory,
)

from .conftest import START

pytestmark = pytest.mark.django_db

MEETINGS = 60_000
# Meetings in the window, meetings just ended, stale claims.
QUERIES_WHEN_NOTHING_IS_DUE = 3


@pytest.fixture
def many_meetings(db):
    alliance, organizer = AllianceFactory(), StaffFactory()
    far = START + datetime.timedelta(days=365)
    Meeting.objects.bulk_create(
        (
            Meeting(
                alliance=alliance,
                organizer=organizer,
                title=f"例会{n}",
                uid=f"scale-{n}@alliance-portal",
                checkin_token=f"scale-{n}",
                start_at=far + datetime.timedelta(hours=n),
                end_at=far + datetime.timedelta(hours=n, minutes=90),
            )
            for n in range(MEETINGS)
        ),
        batch_size=5000,
    )
    # Some in the past, with minutes filed.
    Meeting.objects.bulk_create(
        Meeting(
            alliance=alliance,
            organizer=organizer,
            title=f"旧会{n}",
            status="held",
            minutes="纪要",
            start_at=START - datetime.timedelta(days=n),
            end_at=START - datetime.timedelta(days=n) + datetime.timedelta(hours=1),
        )
        for n in range(1, 400)
    )


def test_a_sweep_with_nothing_due_is_fast_and_its_queries_are_pinned(
    many_meetings, time_machine, django_assert_num_queries
):
    time_machine.move_to(START, tick=False)
    with django_assert_num_queries(QUERIES_WHEN_NOTHING_IS_DUE):
        meeting_reminders_send()
    began = time.perf_counter()
    result = meeting_reminders_send()
    elapsed = time.perf_counter() - began
    assert result.sent == result.claimed == 0
    assert elapsed < 1.0, f"{elapsed:.3f}s on {connection.vendor}"


def _sweep_queries(meetings: int) -> int:
    organizer = StaffFactory()
    for n in range(meetings):
        meeting = MeetingFactory(
            organizer=organizer, start_at=START + datetime.timedelta(hours=n, minutes=30)
        )
        InvitationFactory(meeting=meeting, unit=UserFactory().unit, rsvp="accepted")
    first = meeting_reminders_send()
    assert first.sent >= 2 * meetings  # the organizer and the invited unit's contact
    with CaptureQueriesContext(connection) as queries:
        again = meeting_reminders_send()
    assert again.sent == again.claimed == 0
    return len(queries)


def test_a_sweep_over_meetings_already_reminded_runs_the_same_queries_for_2_or_12(time_machine, db):
    """Meetings in the window whose reminders all went out: their recipients are read in bulk."""
    time_machine.move_to(START, tick=False)
    few = _sweep_queries(2)
    Meeting.objects.all().delete()
    assert _sweep_queries(12) == few
