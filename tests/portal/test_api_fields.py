"""PageUrlField: the page's address per row, the view reversed once per list."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from alliances.api.meetings import MeetingSerializer
from services.api.demands import DemandSerializer
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_page_on_the_requests_host(settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    meetings = MeetingFactory.create_batch(3)
    request = RequestFactory().get("/api/v1/meetings/", HTTP_HOST="portal.example.org")
    request.user = meetings[0].organizer
    rows = MeetingSerializer(meetings, many=True, context={"request": request}).data
    assert [row["url"] for row in rows] == [
        f"http://portal.example.org{m.get_absolute_url()}" for m in meetings
    ]


def test_without_a_request_the_path_or_the_portals_address(settings):
    settings.PORTAL_BASE_URL = "https://dangjian.example.org/"
    meeting = MeetingFactory()
    # Meetings link as mail does: under PORTAL_BASE_URL.
    assert MeetingSerializer(meeting).data["url"] == (
        f"https://dangjian.example.org{meeting.get_absolute_url()}"
    )
    # Demands give the path alone.
    field = DemandSerializer().fields["url"]
    assert field.to_representation(42) == reverse("services:demand-detail", args=[42])
