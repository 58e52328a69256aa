import datetime

import pytest

from tests.factories import InvitationFactory, MeetingFactory, StaffFactory, UserFactory

START = datetime.datetime(2026, 12, 10, 14, 0, tzinfo=datetime.UTC)


class MeetingNet:
    """A meeting with an organizer and three invited units: accepted, not answered, declined."""

    def __init__(self) -> None:
        self.organizer = StaffFactory(username="organizer")
        self.meeting = MeetingFactory(organizer=self.organizer, start_at=START)
        self.accepted = UserFactory(username="accepted")
        self.pending = UserFactory(username="pending")
        self.declined = UserFactory(username="declined")
        InvitationFactory(meeting=self.meeting, unit=self.accepted.unit, rsvp="accepted")
        InvitationFactory(meeting=self.meeting, unit=self.pending.unit, rsvp="pending")
        InvitationFactory(meeting=self.meeting, unit=self.declined.unit, rsvp="declined")

    @property
    def recipients(self) -> list[str]:
        return sorted(u.email for u in (self.organizer, self.accepted, self.pending))


@pytest.fixture
def meeting_net(db):
    return MeetingNet()
