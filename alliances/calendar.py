"""iCalendar (RFC 5545) for meetings: the .ics attached to invitations and the calendar feeds."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from portal.core.mail import absolute_url

from .choices import MeetingStatus
from .models import Meeting

PRODID = "-//Alliance Portal//Meetings//ZH"
ICS_MIMETYPE = "text/calendar"


def meeting_location(meeting: Meeting) -> str:
    """Where the meeting is: the station (with its address), else the address, else the online link."""
    if meeting.station_id:
        station = meeting.station
        place = " ".join(part for part in (station.name, station.address) if part)
        return place or meeting.address
    if meeting.address:
        return meeting.address
    return meeting.online_url


def meeting_event(meeting: Meeting, *, base_url: str | None = None) -> Event:
    """One VEVENT: the UID stays with the meeting, SEQUENCE grows with each change."""
    link = absolute_url(meeting.get_absolute_url(), base_url)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", (meeting.updated_at or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", meeting.start_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.end_at.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    description = "\n\n".join(
        part
        for part in (
            meeting.agenda,
            meeting.online_url if meeting.station_id or meeting.address else "",
            link,
        )
        if part
    )
    event.add("description", description)
    event.add("url", link)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def meeting_ics(
    meeting: Meeting, *, base_url: str | None = None, invitation: bool = False
) -> bytes:
    """One meeting as .ics.

    Mailed to invitees (`invitation`) it is a scheduling message (RFC 5546): METHOD:REQUEST, or
    METHOD:CANCEL once cancelled. Downloaded from the page or the API it is published information,
    METHOD:PUBLISH like the feeds, which a calendar adds without asking its owner to answer.
    """
    if invitation:
        method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    else:
        method = "PUBLISH"
    calendar = _calendar(method)
    calendar.add_component(meeting_event(meeting, base_url=base_url))
    return calendar.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str, base_url: str | None = None) -> bytes:
    """A subscribable feed (METHOD:PUBLISH) with one event per meeting, cancelled ones included."""
    calendar = _calendar("PUBLISH", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, base_url=base_url))
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}.ics"
