"""Alliance meetings (issue 7): scheduling, invitations with .ics, answers, check-in, minutes, feeds."""

import datetime
import io
import re

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from icalendar import Calendar
from openpyxl import load_workbook

from alliances.actions import meetings as actions
from alliances.models import CalendarFeedToken, Invitation, Meeting
from alliances.selectors.meetings import meeting_reminder_recipients, meetings_due
from tests.factories import (
    AllianceFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    MemberUnitFactory,
    ServiceStationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 10, 6, 0, tzinfo=datetime.UTC)  # 14:00 in Shanghai
END = START + datetime.timedelta(hours=2)


@pytest.fixture
def world(db):
    lead = MemberUnitFactory(name="牵头单位")
    alliance = AllianceFactory(name="数字经济党建联盟", lead_unit=lead)
    MembershipFactory(alliance=alliance, unit=lead, role="lead")
    members = [MemberUnitFactory(name=f"成员单位{i}") for i in range(3)]
    for unit in members:
        MembershipFactory(alliance=alliance, unit=unit)
    ended = MembershipFactory(
        alliance=alliance,
        unit=MemberUnitFactory(name="已退出单位"),
        joined_on=datetime.date(2025, 1, 1),
    )
    ended.left_on = datetime.date(2026, 1, 1)
    ended.save()
    return {
        "alliance": alliance,
        "lead": lead,
        "members": members,
        "lead_user": UserFactory(username="lead-contact", unit=lead),
        "member_user": UserFactory(username="member-contact", unit=members[0]),
        "member_user2": UserFactory(username="member-contact-2", unit=members[1]),
        "outsider": UserFactory(username="outsider-contact"),
        "staff": StaffFactory(username="meeting-staff"),
    }


def schedule(world, by=None, **kwargs):
    params = {
        "alliance": world["alliance"],
        "organizer": by or world["staff"],
        "title": "四季度集思会",
        "start_at": START,
        "end_at": END,
        "address": "闵行区申长路 988 号",
        "agenda": "1. 年度总结\n2. 明年计划",
        "base_url": "http://portal.test",
    }
    params.update(kwargs)
    return actions.meeting_schedule(**params)


def ics_of(message):
    attachments = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(attachments) == 1
    content = attachments[0][1]
    return Calendar.from_ical(content.encode() if isinstance(content, str) else content)


def event_of(calendar):
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


# --- recipients --------------------------------------------------------------------------------


def test_reminder_recipients_are_contacts_of_units_not_declining_plus_the_organizer(world):
    meeting = schedule(world)
    declined = meeting.invitations.get(unit=world["members"][1])
    declined.rsvp = "declined"
    declined.save()
    UserFactory(username="no-mail", unit=world["members"][0], email="")
    UserFactory(username="gone", unit=world["members"][0], is_active=False)
    recipients = meeting_reminder_recipients(meeting)
    assert recipients[0] == world["staff"]
    assert set(recipients) == {world["staff"], world["lead_user"], world["member_user"]}
    assert len(recipients) == len(set(recipients))


def test_reminder_recipients_do_not_repeat_an_organizer_who_is_a_contact(world):
    meeting = schedule(world, by=world["lead_user"])
    recipients = meeting_reminder_recipients(meeting)
    assert recipients.count(world["lead_user"]) == 1


# --- scheduling --------------------------------------------------------------------------------


def test_scheduling_invites_current_members_and_mails_an_ics(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world, guests=[("王嘉宾", "guest@example.org")])
    invited = {i.unit_id for i in meeting.invitations.all() if i.unit_id}
    assert invited == {world["lead"].pk, *(u.pk for u in world["members"])}
    assert meeting.invitations.filter(guest_email="guest@example.org").exists()
    recipients = {address for m in mailoutbox for address in m.to}
    assert {"lead-contact@example.org", "member-contact@example.org", "guest@example.org"} <= (
        recipients
    )
    message = next(m for m in mailoutbox if "member-contact@example.org" in m.to)
    assert "member-contact-2@example.org" not in message.to
    event = event_of(ics_of(message))
    assert str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == END
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "闵行区申长路 988 号"
    assert f"http://portal.test/alliances/meetings/{meeting.pk}/" in str(event["DESCRIPTION"])
    assert "年度总结" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://portal.test/alliances/meetings/{meeting.pk}/"


def test_invitations_ask_for_an_answer_and_downloads_only_publish(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world)
    mailed = ics_of(next(m for m in mailoutbox if "member-contact@example.org" in m.to))
    assert str(mailed["METHOD"]) == "REQUEST"
    client.force_login(world["member_user"])
    response = client.get(f"/alliances/meetings/{meeting.pk}/meeting.ics")
    assert response.status_code == 200
    downloaded = Calendar.from_ical(response.content)
    assert str(downloaded["METHOD"]) == "PUBLISH"
    assert str(event_of(downloaded)["UID"]) == meeting.uid


def test_location_is_the_station_with_its_address(world):
    station = ServiceStationFactory(name="新虹党群服务站", address="申虹路 1 号")
    meeting = schedule(world, station=station, address="")
    from alliances.calendar import meeting_ics

    event = event_of(Calendar.from_ical(meeting_ics(meeting)))
    assert str(event["LOCATION"]) == "新虹党群服务站 申虹路 1 号"


def test_the_lead_units_contact_schedules_for_their_alliance_only(world):
    assert schedule(world, by=world["lead_user"]).organizer == world["lead_user"]
    with pytest.raises(PermissionDenied):
        schedule(world, by=world["member_user"])
    other = AllianceFactory()
    with pytest.raises(PermissionDenied):
        schedule(world, by=world["lead_user"], alliance=other)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_at": START}, "end_at"),
        ({"end_at": START - datetime.timedelta(hours=1)}, "end_at"),
        ({"address": "", "online_url": ""}, "address"),
        ({"reminder_offsets": [0]}, "reminder_offsets"),
        ({"reminder_offsets": [60 * 24 * 61]}, "reminder_offsets"),
        ({"reminder_offsets": ["soon"]}, "reminder_offsets"),
        ({"reminder_offsets": 120}, "reminder_offsets"),
    ],
)
def test_scheduling_refuses_with_the_field_named(world, changes, field):
    with pytest.raises(ValidationError) as exc:
        schedule(world, **changes)
    assert field in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_a_dissolved_alliance_holds_no_meetings(world):
    world["alliance"].status = "dissolved"
    world["alliance"].save()
    with pytest.raises(ValidationError) as exc:
        schedule(world)
    assert "alliance" in exc.value.message_dict


def test_an_online_link_alone_is_a_place(world):
    meeting = schedule(world, address="", online_url="https://meeting.example.org/j/1")
    from alliances.calendar import meeting_ics

    assert str(event_of(Calendar.from_ical(meeting_ics(meeting)))["LOCATION"]).startswith("https")


def test_series_copies_the_last_meeting_one_cadence_later(world):
    first = schedule(world, reminder_offsets=[60])
    initial = actions.meeting_series_initial(first)
    assert initial["start_at"] == START + datetime.timedelta(weeks=13)
    assert initial["title"] == first.title and initial["reminder_offsets"] == [60]
    second = schedule(
        world, **{k: v for k, v in initial.items() if k not in {"units"}}, units=initial["units"]
    )
    assert second.previous == first
    assert second.invitations.count() == first.invitations.count()


# --- changes and cancellation ------------------------------------------------------------------


def test_rescheduling_raises_sequence_and_mails_an_updated_ics_with_the_same_uid(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    mailoutbox.clear()
    new_start = START + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_update(
            meeting=meeting,
            by=world["lead_user"],
            start_at=new_start,
            end_at=new_start + datetime.timedelta(hours=2),
        )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    message = next(m for m in mailoutbox if "member-contact@example.org" in m.to)
    event = event_of(ics_of(message))
    assert str(event["UID"]) == meeting.uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == new_start


def test_a_change_nobody_sees_keeps_the_sequence_and_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_update(meeting=meeting, by=world["staff"], reminder_offsets=[30])
    meeting.refresh_from_db()
    assert meeting.sequence == 0 and meeting.reminder_offsets == [30]
    assert mailoutbox == []


def test_only_managers_change_meetings(world):
    meeting = schedule(world)
    with pytest.raises(PermissionDenied):
        actions.meeting_update(meeting=meeting, by=world["member_user"], title="x")
    with pytest.raises(PermissionDenied):
        actions.meeting_cancel(meeting=meeting, by=world["member_user"])


def test_cancel_mails_a_cancel_ics_and_the_feed_shows_it_cancelled(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_cancel(meeting=meeting, by=world["staff"], reason="台风")
    calendar = ics_of(next(m for m in mailoutbox if "member-contact@example.org" in m.to))
    assert str(calendar["METHOD"]) == "CANCEL"
    event = event_of(calendar)
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    feed = actions.calendar_feed_for(user=world["member_user"])
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    event = event_of(Calendar.from_ical(response.content))
    assert str(event["UID"]) == meeting.uid and str(event["STATUS"]) == "CANCELLED"
    with pytest.raises(ValidationError):
        actions.meeting_cancel(meeting=meeting, by=world["staff"])


def test_added_unit_outside_the_alliance_is_mailed_and_duplicates_refused(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    outsider_unit = world["outsider"].unit
    with django_capture_on_commit_callbacks(execute=True):
        actions.invitation_add(meeting=meeting, by=world["staff"], unit=outsider_unit)
    assert [m.to for m in mailoutbox] == [["outsider-contact@example.org"]]
    with pytest.raises(ValidationError) as exc:
        actions.invitation_add(meeting=meeting, by=world["staff"], unit=outsider_unit)
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        actions.invitation_add(meeting=meeting, by=world["staff"])
    assert "unit" in exc.value.message_dict


def test_removing_an_invitation_tells_the_unit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    invitation = meeting.invitations.get(unit=world["members"][0])
    with django_capture_on_commit_callbacks(execute=True):
        actions.invitation_remove(invitation=invitation, by=world["staff"])
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert mailoutbox[0].to == ["member-contact@example.org"]


# --- RSVP --------------------------------------------------------------------------------------


def test_rsvp_accept_then_decline(world):
    meeting = schedule(world)
    invitation = meeting.invitations.get(unit=world["members"][0])
    invitation = actions.invitation_rsvp(
        invitation=invitation, by=world["member_user"], rsvp="accepted", attending_count=3
    )
    assert (invitation.rsvp, invitation.attending_count) == ("accepted", 3)
    assert invitation.responded_at is not None
    invitation = actions.invitation_rsvp(
        invitation=invitation, by=world["member_user"], rsvp="declined", attending_count=0
    )
    assert (invitation.rsvp, invitation.attending_count) == ("declined", 0)


@pytest.mark.parametrize(
    ("rsvp", "count", "field"),
    [
        ("accepted", 100, "attending_count"),
        ("accepted", -1, "attending_count"),
        ("accepted", 0, "attending_count"),
        ("declined", 2, "attending_count"),
        ("maybe", 1, "rsvp"),
        ("pending", 0, "rsvp"),
    ],
)
def test_rsvp_refuses_wrong_answers(world, rsvp, count, field):
    meeting = schedule(world)
    invitation = meeting.invitations.get(unit=world["members"][0])
    with pytest.raises(ValidationError) as exc:
        actions.invitation_rsvp(
            invitation=invitation, by=world["member_user"], rsvp=rsvp, attending_count=count
        )
    assert field in exc.value.message_dict


def test_rsvp_only_by_the_invited_unit_while_scheduled_and_before_the_end(world):
    meeting = schedule(world)
    invitation = meeting.invitations.get(unit=world["members"][0])
    with pytest.raises(PermissionDenied):
        actions.invitation_rsvp(invitation=invitation, by=world["member_user2"], rsvp="accepted")
    with time_machine.travel(END + datetime.timedelta(minutes=1)), pytest.raises(ValidationError):
        actions.invitation_rsvp(invitation=invitation, by=world["member_user"], rsvp="accepted")
    actions.meeting_cancel(meeting=meeting, by=world["staff"])
    with pytest.raises(ValidationError) as exc:
        actions.invitation_rsvp(invitation=invitation, by=world["member_user"], rsvp="accepted")
    assert "rsvp" in exc.value.message_dict


# --- check-in ----------------------------------------------------------------------------------


def test_check_in_during_the_window_is_idempotent(world):
    meeting = schedule(world)
    with time_machine.travel(START - datetime.timedelta(minutes=29)):
        invitation = actions.meeting_check_in(
            token=meeting.checkin_token, user=world["member_user"]
        )
        first = invitation.checked_in_at
        again = actions.meeting_check_in(token=meeting.checkin_token, user=world["member_user"])
    assert invitation.attended and again.checked_in_at == first


@pytest.mark.parametrize(
    "moment", [START - datetime.timedelta(minutes=31), END + datetime.timedelta(seconds=1)]
)
def test_check_in_outside_the_window_is_refused(world, moment):
    meeting = schedule(world)
    with time_machine.travel(moment), pytest.raises(ValidationError):
        actions.meeting_check_in(token=meeting.checkin_token, user=world["member_user"])
    assert not meeting.invitations.filter(attended=True).exists()


def test_check_in_by_an_uninvited_unit_or_with_a_wrong_token_is_refused(world):
    meeting = schedule(world)
    with time_machine.travel(START):
        with pytest.raises(
            PermissionDenied, match=gettext("Your unit is not invited to this meeting.")
        ):
            actions.meeting_check_in(token=meeting.checkin_token, user=world["outsider"])
        with pytest.raises(ValidationError):
            actions.meeting_check_in(token="nope", user=world["member_user"])
        with pytest.raises(PermissionDenied):
            actions.meeting_check_in(token=meeting.checkin_token, user=world["staff"])


def test_check_in_page_confirms_or_explains(world, client):
    meeting = schedule(world)
    url = reverse("alliances:meeting-check-in", args=[meeting.checkin_token])
    with time_machine.travel(START + datetime.timedelta(minutes=5)):
        client.force_login(world["member_user"])
        response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="check-in-ok"' in response.content.decode()
    with time_machine.travel(START + datetime.timedelta(minutes=5)):
        client.force_login(world["outsider"])
        response = client.get(url)
    assert response.status_code == 403
    assert 'data-testid="check-in-error"' in response.content.decode()
    client.force_login(world["member_user2"])
    response = client.get(url)  # before the window
    assert response.status_code == 400
    client.logout()
    # Not signed in: the guests' e-mail form, and a way to sign in for unit contacts.
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="check-in-closed"' in response.content.decode()  # before the window
    assert "/accounts/login/?next=" in response.content.decode()


# --- guests check in without an account -------------------------------------------------------

GUEST = "guest.wang@example.org"


@pytest.fixture
def guest_meeting(world):
    return schedule(world, guests=[("王嘉宾", GUEST)])


def guest_invitation(meeting) -> Invitation:
    return meeting.invitations.get(unit__isnull=True)


def check_in_as_guest(client, meeting, email):
    url = reverse("alliances:meeting-check-in", args=[meeting.checkin_token])
    return client.post(url, {"email": email})


def test_the_check_in_page_asks_a_visitor_for_the_invitations_e_mail(guest_meeting, client):
    with time_machine.travel(START, tick=False):
        response = client.get(
            reverse("alliances:meeting-check-in", args=[guest_meeting.checkin_token])
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="guest-check-in"' in page and 'name="email"' in page


def test_an_invited_guest_checks_in_with_their_e_mail_in_any_case(guest_meeting, client):
    with time_machine.travel(START + datetime.timedelta(minutes=3), tick=False):
        response = check_in_as_guest(client, guest_meeting, "  Guest.Wang@Example.ORG ")
    assert response.status_code == 200
    assert 'data-testid="check-in-ok"' in response.content.decode()
    assert "王嘉宾" in response.content.decode()
    invitation = guest_invitation(guest_meeting)
    assert invitation.attended
    assert invitation.checked_in_at == START + datetime.timedelta(minutes=3)
    assert guest_meeting.invitations.filter(attended=True).count() == 1


def test_checking_in_twice_as_a_guest_changes_nothing(guest_meeting, client):
    with time_machine.travel(START, tick=False):
        check_in_as_guest(client, guest_meeting, GUEST)
    with time_machine.travel(START + datetime.timedelta(minutes=20), tick=False):
        response = check_in_as_guest(client, guest_meeting, GUEST)
    assert response.status_code == 200
    assert 'data-testid="check-in-ok"' in response.content.decode()
    invitation = guest_invitation(guest_meeting)
    assert invitation.checked_in_at == START
    assert invitation.history.filter(attended=True).count() == 1


def test_an_e_mail_that_is_not_invited_gets_one_neutral_refusal(guest_meeting, world, client):
    with time_machine.travel(START, tick=False):
        for email in ("nobody@example.org", "member-contact@example.org"):
            response = check_in_as_guest(client, guest_meeting, email)
            assert response.status_code == 400
            assert gettext("This e-mail is not invited to this meeting.") in (
                response.content.decode()
            )
    assert not guest_meeting.invitations.filter(attended=True).exists()


def test_a_guest_outside_the_window_is_told_when_check_in_opens(guest_meeting, client):
    with time_machine.travel(START - datetime.timedelta(minutes=31), tick=False):
        early = check_in_as_guest(client, guest_meeting, GUEST)
        page = client.get(reverse("alliances:meeting-check-in", args=[guest_meeting.checkin_token]))
    with time_machine.travel(END + datetime.timedelta(minutes=1), tick=False):
        late = check_in_as_guest(client, guest_meeting, GUEST)
    assert early.status_code == 400
    # 06:00 UTC is 14:00 in Shanghai; check-in opens half an hour before.
    assert "2026-12-10 13:30" in early.content.decode()
    assert "2026-12-10 13:30" in page.content.decode()
    assert 'data-testid="guest-check-in"' not in page.content.decode()
    assert late.status_code == 400
    assert gettext("This meeting is over; check-in has closed.") in late.content.decode()
    assert not guest_invitation(guest_meeting).attended


def test_refused_guest_check_ins_are_rate_limited_per_address(guest_meeting, client, settings):
    settings.GUEST_CHECKIN_RATE_LIMIT = "3/h"
    with time_machine.travel(START, tick=False):
        # A success does not count against the limit.
        assert check_in_as_guest(client, guest_meeting, GUEST).status_code == 200
        for n in range(3):
            assert (
                check_in_as_guest(client, guest_meeting, f"try{n}@example.org").status_code == 400
            )
        limited = check_in_as_guest(client, guest_meeting, "try9@example.org")
        assert limited.status_code == 429
        assert gettext("Too many check-in attempts from your address; try again later.") in (
            limited.content.decode()
        )
        # Once the limit is reached nothing is looked up, not even an invited address.
        assert check_in_as_guest(client, guest_meeting, GUEST).status_code == 429
        other = Client(REMOTE_ADDR="192.0.2.7")
        assert check_in_as_guest(other, guest_meeting, GUEST).status_code == 200
    with time_machine.travel(START + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert check_in_as_guest(client, guest_meeting, GUEST).status_code == 200


def test_an_empty_or_malformed_e_mail_shows_the_form_again(guest_meeting, client):
    with time_machine.travel(START, tick=False):
        response = check_in_as_guest(client, guest_meeting, "not-an-address")
    assert response.status_code == 400
    assert 'data-testid="guest-check-in"' in response.content.decode()
    assert not guest_invitation(guest_meeting).attended


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def checkin_link_of(message) -> str:
    found = re.search(r"https?://\S+/alliances/invitations/check-in/\S+/", text_of(message))
    assert found, text_of(message)
    return found.group(0)


def test_the_guests_mail_carries_a_personal_check_in_link_that_checks_them_in(
    world, smtp_server, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world, guests=[("王嘉宾", GUEST)])
    messages = smtp_server.wait_for(5)
    to_guest = [m for m in messages if m["To"] == GUEST]
    assert len(to_guest) == 1
    link = checkin_link_of(to_guest[0])
    assert link.startswith("http://portal.test/")
    # The units' contacts check in signed in, through the QR code: their mails carry no link.
    assert not any("/invitations/check-in/" in text_of(m) for m in messages if m["To"] != GUEST)
    path = link.removeprefix("http://portal.test")
    with time_machine.travel(START - datetime.timedelta(hours=1), tick=False):
        early = client.get(path)
    assert early.status_code == 400
    assert "2026-12-10 13:30" in early.content.decode()
    assert not guest_invitation(meeting).attended
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        response = client.get(path)
    assert response.status_code == 200
    assert 'data-testid="check-in-ok"' in response.content.decode()
    invitation = guest_invitation(meeting)
    assert invitation.attended
    assert invitation.checked_in_at == START + datetime.timedelta(minutes=1)
    # Opening it again (or someone else opening it) changes nothing.
    with time_machine.travel(START + datetime.timedelta(minutes=30), tick=False):
        again = client.get(path)
    assert again.status_code == 200
    assert guest_invitation(meeting).checked_in_at == invitation.checked_in_at
    assert meeting.invitations.filter(attended=True).count() == 1


def test_a_change_mails_the_guest_their_check_in_link_again(
    guest_meeting, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.meeting_update(
            meeting=guest_meeting, by=world["staff"], start_at=START + datetime.timedelta(hours=1)
        )
    [to_guest] = [m for m in mailoutbox if m.to == [GUEST]]
    link = actions.invitation_checkin_url(guest_invitation(guest_meeting))
    assert link in to_guest.body
    to_unit = next(m for m in mailoutbox if m.to != [GUEST])
    assert "/invitations/check-in/" not in to_unit.body


def test_a_forged_or_foreign_check_in_link_is_404(guest_meeting, world, client):
    guest = guest_invitation(guest_meeting)
    unit_invitation = guest_meeting.invitations.filter(unit__isnull=False).first()
    token = actions.invitation_checkin_token(guest)
    forged = [
        "nope",
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        signing.dumps(guest.pk, salt="another-salt"),
        # A unit's invitation has no personal link, even with a valid signature.
        actions.invitation_checkin_token(unit_invitation),
    ]
    with time_machine.travel(START, tick=False):
        for bad in forged:
            response = client.get(reverse("alliances:invitation-check-in", args=[bad]))
            assert response.status_code == 404, bad
    assert not guest_meeting.invitations.filter(attended=True).exists()


def test_qr_code_is_an_svg_for_the_organizer_only(world, client):
    meeting = schedule(world)
    client.force_login(world["lead_user"])
    response = client.get(reverse("alliances:meeting-qr", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.decode().startswith("<svg")
    assert 'xmlns="http://www.w3.org/2000/svg"' in response.content.decode()
    client.force_login(world["member_user"])
    assert client.get(reverse("alliances:meeting-qr", args=[meeting.pk])).status_code == 403


# --- minutes, attendance, export ---------------------------------------------------------------


def test_minutes_mark_held_and_attendance_export_reads_back(world, client):
    meeting = schedule(world)
    invitations = list(meeting.invitations.order_by("id"))
    actions.attendance_mark(invitation=invitations[1], by=world["staff"], attended=True)
    with pytest.raises(ValidationError):
        actions.meeting_record_minutes(meeting=meeting, by=world["staff"], minutes="早了")
    with time_machine.travel(END):
        actions.meeting_record_minutes(
            meeting=meeting,
            by=world["lead_user"],
            minutes="会议纪要正文",
            decisions="成立工作专班",
            attended=[invitations[0].pk, invitations[1].pk],
        )
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.decisions == "成立工作专班"
    assert meeting.invitations.filter(attended=True).count() == 2
    client.force_login(world["lead_user"])
    response = client.get(reverse("alliances:meeting-export", args=[meeting.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == gettext("attended")
    by_name = {row[0]: row for row in rows[1:] if row and row[0]}
    assert by_name[invitations[0].unit.name][4] in {"是", "yes"}
    assert by_name[invitations[2].unit.name][4] in {"否", "no"}
    assert any(row and row[1] == "会议纪要正文" for row in rows)
    client.force_login(world["member_user"])
    assert client.get(reverse("alliances:meeting-export", args=[meeting.pk])).status_code == 403


def test_minutes_refused_for_others_and_cancelled(world):
    meeting = schedule(world)
    with time_machine.travel(END), pytest.raises(PermissionDenied):
        actions.meeting_record_minutes(meeting=meeting, by=world["member_user"], minutes="x")
    actions.meeting_cancel(meeting=meeting, by=world["staff"])
    with time_machine.travel(END), pytest.raises(ValidationError):
        actions.meeting_record_minutes(meeting=meeting, by=world["staff"], minutes="x")


# --- feeds -------------------------------------------------------------------------------------


def test_user_feed_lists_their_invitations_and_a_wrong_token_is_404(world, client):
    mine = schedule(world)
    MeetingFactory(title="别的联盟会议")
    feed = actions.calendar_feed_for(user=world["member_user"])
    response = client.get(feed.get_absolute_url())
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [mine.uid]
    assert (
        client.get(feed.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    )
    assert client.get("/alliances/calendar/wrong-token.ics").status_code == 404
    old = feed.get_absolute_url()
    actions.calendar_feed_regenerate(by=world["member_user"], user=world["member_user"])
    assert client.get(old).status_code == 404


def test_alliance_feed_lists_its_meetings_and_is_only_shown_to_managers(world, client):
    meeting = schedule(world)
    MeetingFactory(title="别的联盟会议")
    feed = actions.calendar_feed_for(alliance=world["alliance"])
    calendar = Calendar.from_ical(client.get(feed.get_absolute_url()).content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [meeting.uid]
    assert client.get("/alliances/calendar/alliance/wrong.ics").status_code == 404
    client.force_login(world["member_user"])
    page = client.get(world["alliance"].get_absolute_url()).content.decode()
    assert feed.token not in page
    client.force_login(world["lead_user"])
    page = client.get(world["alliance"].get_absolute_url()).content.decode()
    assert feed.token in page and 'data-testid="schedule-meeting"' in page
    with pytest.raises(PermissionDenied):
        actions.calendar_feed_regenerate(by=world["member_user"], alliance=world["alliance"])
    assert CalendarFeedToken.objects.count() == 1


# --- pages: roles ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("staff", True),
        ("secretary", True),
        ("lead_user", True),
        ("member_user", True),
        ("outsider", False),
    ],
)
def test_who_reads_a_meeting_page(world, client, secretary_user, who, sees):
    meeting = schedule(world)
    client.force_login(secretary_user if who == "secretary" else world[who])
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == (200 if sees else 404)
    listed = client.get(reverse("alliances:meeting-list")).content.decode()
    assert (f'data-testid="meeting-{meeting.pk}"' in listed) is sees


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("staff", True), ("secretary", False), ("lead_user", True), ("member_user", False)],
)
def test_who_schedules_and_edits_in_the_browser(world, client, secretary_user, who, allowed):
    user = secretary_user if who == "secretary" else world[who]
    client.force_login(user)
    url = reverse("alliances:meeting-create", args=[world["alliance"].pk])
    assert client.get(url).status_code == (200 if allowed else 403)
    data = {
        "kind": "regular",
        "title": "联席会议",
        "start_at": "2026-12-20T14:00",
        "end_at": "2026-12-20T16:00",
        "address": "申长路 988 号",
        "units": [world["members"][0].pk],
    }
    response = client.post(url, data)
    assert response.status_code == (302 if allowed else 403)
    if allowed:
        meeting = Meeting.objects.get()
        assert [i.unit_id for i in meeting.invitations.all()] == [world["members"][0].pk]
        edit = reverse("alliances:meeting-update", args=[meeting.pk])
        response = client.post(edit, {**data, "end_at": "2026-12-20T13:00"})
        assert response.status_code == 400
        assert "A meeting must end after it starts." in response.content.decode() or (
            "结束" in response.content.decode()
        )


def test_the_schedule_form_names_a_missing_place(world, client):
    client.force_login(world["staff"])
    url = reverse("alliances:meeting-create", args=[world["alliance"].pk])
    response = client.post(
        url,
        {
            "kind": "regular",
            "title": "联席会议",
            "start_at": "2026-12-20T14:00",
            "end_at": "2026-12-20T16:00",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["address"]


def test_rsvp_from_the_meeting_page(world, client):
    meeting = schedule(world)
    client.force_login(world["member_user"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="my-rsvp"' in page and 'data-testid="qr"' not in page
    invitation = meeting.invitations.get(unit=world["members"][0])
    response = client.post(
        reverse("alliances:invitation-rsvp", args=[invitation.pk]),
        {"rsvp": "accepted", "attending_count": "2"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.rsvp, invitation.attending_count) == ("accepted", 2)
    client.force_login(world["lead_user"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="qr"' in page


def test_accepting_on_the_meeting_page_counts_one_person_by_default(world, client):
    """Issue 24: the answer form offered 0 people and an accepted answer with 0 was kept."""
    meeting = schedule(world)
    client.force_login(world["member_user"])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="attending_count" id="id_attending_count" value="1"' in page
    invitation = meeting.invitations.get(unit=world["members"][0])
    url = reverse("alliances:invitation-rsvp", args=[invitation.pk])
    response = client.post(url, {"rsvp": "accepted", "attending_count": "0"}, follow=True)
    invitation.refresh_from_db()
    assert invitation.rsvp == "pending"
    assert "人数" in " ".join(str(m) for m in response.context["messages"])
    client.post(url, {"rsvp": "accepted", "attending_count": ""})
    invitation.refresh_from_db()
    assert (invitation.rsvp, invitation.attending_count) == ("accepted", 1)


def test_the_reminder_field_of_the_meeting_form_says_it_takes_offsets(world, client):
    """Issue 24: it was labelled "（分钟）" while it takes "3d, 2h"."""
    meeting = schedule(world)
    client.force_login(world["lead_user"])
    response = client.get(reverse("alliances:meeting-update", args=[meeting.pk]))
    assert response.status_code == 200
    field = response.context["form"]["reminder_offsets_text"]
    assert str(field.label) == "提醒时间（会前，如 3d, 2h, 30m）"
    assert "分钟（m）" in str(field.help_text) and "3d, 2h" in str(field.help_text)
    page = response.content.decode()
    assert "提醒时间（会前，如 3d, 2h, 30m）" in page and "提醒时间（分钟）" not in page


def test_attendance_rate_on_the_meeting_page(world, client):
    meeting = schedule(world)  # 4 invited
    invitation = meeting.invitations.first()
    actions.attendance_mark(invitation=invitation, by=world["staff"], attended=True)
    client.force_login(world["staff"])
    response = client.get(meeting.get_absolute_url())
    assert response.context["rate"] == 0.25
    assert 'data-testid="rate">25%' in response.content.decode()


def test_meeting_list_query_count_is_constant(world, client, django_assert_num_queries):
    for _ in range(2):
        InvitationFactory(meeting=MeetingFactory(alliance=world["alliance"]))
    client.force_login(world["staff"])
    url = reverse("alliances:meeting-list")
    client.get(url)
    with django_assert_num_queries(5) as first:
        client.get(url)
    for _ in range(5):
        InvitationFactory(meeting=MeetingFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_meeting_list_filters_and_orders_upcoming_first(world, client):
    with time_machine.travel(datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)):
        past = MeetingFactory(
            alliance=world["alliance"], start_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
        )
        later = MeetingFactory(
            alliance=world["alliance"], start_at=START + datetime.timedelta(days=30)
        )
        soon = MeetingFactory(alliance=world["alliance"], start_at=START, kind="consultation")
        client.force_login(world["staff"])
        response = client.get(reverse("alliances:meeting-list"))
        assert list(response.context["object_list"]) == [soon, later, past]
        response = client.get(reverse("alliances:meeting-list"), {"kind": "consultation"})
        assert list(response.context["object_list"]) == [soon]
        response = client.get(reverse("alliances:meeting-list"), {"starts_before": "2026-10-31"})
        assert list(response.context["object_list"]) == [past]


def test_alliance_page_meetings_section_query_count_is_constant(
    world, client, django_assert_num_queries
):
    schedule(world)
    client.force_login(world["lead_user"])
    url = world["alliance"].get_absolute_url()
    response = client.get(url)
    assert 'data-testid="meetings-upcoming"' in response.content.decode()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(4):
        schedule(world)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


# --- dashboard ---------------------------------------------------------------------------------


def test_meetings_due_lists_quarterly_alliances_without_a_meeting_this_quarter(world, client):
    with time_machine.travel(datetime.datetime(2026, 11, 26, 8, tzinfo=datetime.UTC)):
        due = AllianceFactory(name="待开会联盟", meeting_cadence="quarterly")
        AllianceFactory(name="月度联盟", meeting_cadence="monthly")
        AllianceFactory(name="休眠联盟", status="dormant")
        last_quarter = AllianceFactory(name="上季度开过会")
        MeetingFactory(
            alliance=last_quarter, start_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)
        )
        cancelled = AllianceFactory(name="会议取消了")
        MeetingFactory(alliance=cancelled, status="cancelled")
        schedule(world)  # this quarter: not due
        names = {a.name for a in meetings_due()}
        assert names == {"待开会联盟", "上季度开过会", "会议取消了"}
        client.force_login(world["staff"])
        page = client.get(reverse("dashboard")).content.decode()
        assert f'data-testid="due-{due.pk}"' in page
        assert f'data-testid="due-{world["alliance"].pk}"' not in page


def test_a_contact_sees_led_and_invited_meetings_without_distinct():
    """The scope is a subquery of invitations, not a join: no DISTINCT over the list's rows."""
    from alliances.selectors.meetings import meeting_list, user_meetings

    contact = UserFactory()
    led = MeetingFactory(alliance=AllianceFactory(lead_unit=contact.unit))
    invited = MeetingFactory()
    InvitationFactory(meeting=invited, unit=contact.unit)
    InvitationFactory(meeting=invited)  # a second invitation must not repeat the meeting
    MeetingFactory()  # neither
    listed = meeting_list(contact)
    assert sorted(m.pk for m in listed) == sorted([led.pk, invited.pk])
    assert not listed.query.distinct and "DISTINCT" not in str(listed.query)
    mine = user_meetings(contact)
    assert [m.pk for m in mine] == [invited.pk]
    assert not mine.query.distinct


# --- list export (issue 24) --------------------------------------------------------------------


def read_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_meeting_list_exports_the_filter_in_scope_with_chinese_headers(world, client):
    meeting = schedule(world, kind="consultation")
    schedule(world, title="另一场会议")
    MeetingFactory(title="别的联盟的会议")  # not the member's alliance
    client.force_login(world["member_user"])
    page = client.get(reverse("alliances:meeting-list")).content.decode()
    assert 'data-testid="meeting-export"' in page and "format=xlsx" in page
    rows = read_xlsx(client.get(reverse("alliances:meeting-list"), {"format": "xlsx"}))
    assert rows[0][:3] == ("开始时间", "结束时间", "标题")
    assert rows[0][-3:] == ("邀请数", "接受数", "出席数")
    assert sorted(row[2] for row in rows[1:]) == sorted(["四季度集思会", "另一场会议"])
    rows = read_xlsx(
        client.get(reverse("alliances:meeting-list"), {"kind": "consultation", "format": "xlsx"})
    )
    assert len(rows) == 2
    assert rows[1][0] == START.astimezone(datetime.timezone(datetime.timedelta(hours=8))).replace(
        tzinfo=None
    )
    assert rows[1][4] == "数字经济党建联盟"
    assert rows[1][10] == meeting.invitations.count() > 0
    client.force_login(world["outsider"])
    assert len(read_xlsx(client.get(reverse("alliances:meeting-list"), {"format": "xlsx"}))) == 1


def test_attendance_export_headers_are_chinese(world, client):
    meeting = schedule(world)
    client.force_login(world["staff"])
    rows = read_xlsx(client.get(reverse("alliances:meeting-export", args=[meeting.pk])))
    assert rows[0][:2] == ("受邀单位或来宾", "统一社会信用代码 / 电子邮箱")


def test_meeting_export_query_count_is_constant(world, client, django_assert_num_queries):
    schedule(world)
    client.force_login(world["staff"])
    url = reverse("alliances:meeting-list")
    # Session, user, the rows (counts as subqueries) and the export record, whatever the rows.
    with django_assert_num_queries(4) as first:
        read_xlsx(client.get(url, {"format": "xlsx"}))
    for _ in range(5):
        InvitationFactory(meeting=MeetingFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        read_xlsx(client.get(url, {"format": "xlsx"}))
