"""/api/v1/meetings/: scope per role, writes, RSVP, check-in, attendance, minutes, export, ics."""

import datetime
import io

import pytest
import time_machine
from icalendar import Calendar
from openpyxl import load_workbook

from tests.alliances.test_meetings import END, START, schedule, world  # noqa: F401
from tests.factories import InvitationFactory, MeetingFactory
from tests.helpers import assert_keeps_to_schema, client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/meetings/"


@pytest.fixture
def meeting(world):  # noqa: F811
    return schedule(world)


def api(world, who):  # noqa: F811
    return client_for(world[who])


@pytest.mark.parametrize(
    ("who", "count"),
    [("staff", 2), ("lead_user", 1), ("member_user", 1), ("outsider", 0)],
)
def test_list_is_scoped_per_role(world, meeting, who, count):  # noqa: F811
    MeetingFactory()
    response = api(world, who).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_secretary_reads_all_and_anonymous_nothing(world, meeting, secretary_api, api_client):  # noqa: F811
    assert secretary_api.get(URL).json()["count"] == 1
    assert secretary_api.post(f"{URL}{meeting.pk}/cancel/").status_code == 403
    assert api_client.get(URL).status_code in {401, 403}


def body(world, **extra):  # noqa: F811
    return {
        "alliance": world["alliance"].pk,
        "title": "联席会议",
        "start_at": START.isoformat(),
        "end_at": END.isoformat(),
        "address": "申长路 988 号",
        **extra,
    }


@pytest.mark.parametrize(
    ("who", "code"), [("staff", 201), ("lead_user", 201), ("member_user", 403), ("outsider", 403)]
)
def test_who_creates(world, who, code):  # noqa: F811
    response = api(world, who).post(URL, body(world), format="json")
    assert response.status_code == code, response.content
    if code == 201:
        assert response.json()["invited_count"] == 4
        assert response.json()["checkin_token"]


@pytest.mark.parametrize(
    ("extra", "attr"),
    [
        ({"end_at": START.isoformat()}, "end_at"),
        ({"address": ""}, "address"),
        ({"reminder_offsets": [0]}, "reminder_offsets.0"),
        ({"reminder_offsets": [99999999]}, "reminder_offsets.0"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_create_names_the_wrong_field(world, extra, attr):  # noqa: F811
    response = api(world, "staff").post(URL, body(world, **extra), format="json")
    assert response.status_code == 400
    assert attr in [e["attr"] for e in response.json()["errors"]]


def test_update_reschedules_and_member_cannot(world, meeting):  # noqa: F811
    new = START + datetime.timedelta(days=2)
    response = api(world, "lead_user").patch(
        f"{URL}{meeting.pk}/",
        {"start_at": new.isoformat(), "end_at": (new + datetime.timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["sequence"] == 1
    assert api(world, "member_user").patch(f"{URL}{meeting.pk}/", {"title": "x"}).status_code == 403
    assert "checkin_token" in api(world, "member_user").get(f"{URL}{meeting.pk}/").json()
    assert api(world, "member_user").get(f"{URL}{meeting.pk}/").json()["checkin_token"] is None


def test_cancel_and_ics(world, meeting):  # noqa: F811
    response = api(world, "staff").post(f"{URL}{meeting.pk}/cancel/", {"reason": "台风"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    response = api(world, "member_user").get(f"{URL}{meeting.pk}/ics/")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"  # a download publishes; only mail asks or cancels
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_online_url_is_null_when_there_is_none(world, meeting):  # noqa: F811
    """The schema says `format: uri`: "" is no address (issue 23.5), so no link is null."""
    staff = api(world, "staff")
    response = staff.get(URL)
    assert_keeps_to_schema(response, "get", URL)
    assert response.json()["results"][0]["online_url"] is None
    response = staff.get(f"{URL}{meeting.pk}/")
    assert_keeps_to_schema(response, "get", f"{URL}{{id}}/")
    assert response.json()["online_url"] is None
    link = "https://meeting.example.org/j/1"
    response = staff.patch(f"{URL}{meeting.pk}/", {"online_url": link}, format="json")
    assert response.status_code == 200 and response.json()["online_url"] == link
    # A write clears it with null or "", as before.
    for empty in (None, ""):
        staff.patch(f"{URL}{meeting.pk}/", {"online_url": link}, format="json")
        response = staff.patch(f"{URL}{meeting.pk}/", {"online_url": empty}, format="json")
        assert response.status_code == 200 and response.json()["online_url"] is None
        meeting.refresh_from_db()
        assert meeting.online_url == ""
    response = staff.post(f"{URL}{meeting.pk}/cancel/")
    assert_keeps_to_schema(response, "post", f"{URL}{{id}}/cancel/")
    assert response.json()["online_url"] is None


def test_a_time_outside_this_century_is_refused(world, meeting):  # noqa: F811
    """Year 210 came back as +08:05:43 (Shanghai's local mean time), no RFC 3339 date-time (issue 23.5)."""
    staff = api(world, "staff")
    response = staff.patch(
        f"{URL}{meeting.pk}/", {"start_at": "0210-02-17T14:29:01+08:00"}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "start_at"
    response = staff.post(URL, body(world, end_at="2100-01-01T10:00:00+08:00"), format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "end_at"
    meeting.refresh_from_db()
    assert meeting.start_at == START


def test_invitations_list_and_add(world, meeting):  # noqa: F811
    response = api(world, "member_user").get(f"{URL}{meeting.pk}/invitations/")
    assert response.status_code == 200 and len(response.json()) == 4
    response = api(world, "staff").post(
        f"{URL}{meeting.pk}/invitations/", {"guest_name": "嘉宾", "guest_email": "g@example.org"}
    )
    assert response.status_code == 201
    response = api(world, "staff").post(
        f"{URL}{meeting.pk}/invitations/", {"unit": world["lead"].pk}
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "unit"
    response = api(world, "member_user").post(
        f"{URL}{meeting.pk}/invitations/", {"guest_email": "x@example.org"}
    )
    assert response.status_code == 403


def test_rsvp_through_the_api(world, meeting):  # noqa: F811
    client = api(world, "member_user")
    response = client.post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "accepted", "attending_count": 4})
    assert response.status_code == 200 and response.json()["attending_count"] == 4
    response = client.post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "declined", "attending_count": 4})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "attending_count"
    response = client.post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "accepted", "attending_count": 100})
    assert response.status_code == 400
    response = client.post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "accepted", "attending_count": 0})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "attending_count"
    response = client.post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "accepted"})
    assert response.status_code == 200 and response.json()["attending_count"] == 1
    assert (
        api(world, "outsider").post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "accepted"}).status_code
        == 404
    )
    assert (
        api(world, "staff").post(f"{URL}{meeting.pk}/rsvp/", {"rsvp": "accepted"}).status_code
        == 403
    )


def test_check_in_through_the_api(world, meeting):  # noqa: F811
    url = f"{URL}check-in/"
    with time_machine.travel(START):
        client = api(world, "member_user")
        response = client.post(url, {"token": meeting.checkin_token})
        assert response.status_code == 200 and response.json()["attended"] is True
        assert client.post(url, {"token": meeting.checkin_token}).status_code == 200
        response = api(world, "outsider").post(url, {"token": meeting.checkin_token})
        assert response.status_code == 403
        assert client.post(url, {"token": "wrong"}).status_code == 400
    with time_machine.travel(END + datetime.timedelta(minutes=1)):
        response = api(world, "member_user2").post(url, {"token": meeting.checkin_token})
        assert response.status_code == 400


def test_attendance_minutes_and_export(world, meeting):  # noqa: F811
    invitation = meeting.invitations.first()
    client = api(world, "lead_user")
    response = client.post(
        f"{URL}{meeting.pk}/attendance/", {"invitation": invitation.pk, "attended": True}
    )
    assert response.status_code == 200 and response.json()["attended"] is True
    other = InvitationFactory()
    response = client.post(
        f"{URL}{meeting.pk}/attendance/", {"invitation": other.pk, "attended": True}
    )
    assert response.status_code == 400
    assert (
        api(world, "member_user")
        .post(f"{URL}{meeting.pk}/attendance/", {"invitation": invitation.pk, "attended": True})
        .status_code
        == 403
    )
    with time_machine.travel(END):
        client = api(world, "lead_user")
        response = client.post(
            f"{URL}{meeting.pk}/minutes/", {"minutes": "纪要", "decisions": "决定"}
        )
    assert response.status_code == 200 and response.json()["status"] == "held"
    response = client.get(f"{URL}{meeting.pk}/export/")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert sum(1 for row in rows[1:5] if row[4] in {"是", "yes"}) == 1
    assert api(world, "member_user").get(f"{URL}{meeting.pk}/export/").status_code == 403


def test_calendar_address_through_the_api(world, meeting, client):  # noqa: F811
    response = api(world, "member_user").get(f"{URL}calendar/")
    assert response.status_code == 200
    path = response.json()["url"].split("://", 1)[1].split("/", 1)[1]
    calendar = Calendar.from_ical(client.get("/" + path).content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [meeting.uid]


def test_list_query_count_is_constant(world, meeting, django_assert_num_queries):  # noqa: F811
    client = api(world, "staff")
    client.get(URL)
    with django_assert_num_queries(3) as first:
        client.get(URL)
    for _ in range(3):
        InvitationFactory(meeting=MeetingFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(URL)


def test_list_export_is_the_scoped_filter_as_xlsx(world, meeting, django_assert_num_queries):  # noqa: F811
    MeetingFactory(title="别的联盟的会议")
    client = api(world, "member_user")
    response = client.get(URL + "export/", {"search": "集思"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "标题"
    assert [row[2] for row in rows[1:]] == ["四季度集思会"]
    client = api(world, "staff")
    client.get(URL + "export/")
    # The user, the rows (counts as subqueries) and the export record, whatever the rows.
    with django_assert_num_queries(3) as first:
        client.get(URL + "export/")
    for _ in range(3):
        InvitationFactory(meeting=MeetingFactory())
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(URL + "export/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 1 + 5


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_meetings_record_links_its_own_ics_with_the_feeds_uid_and_sequence(world, meeting):  # noqa: F811
    """`ics_url` opens with the same token as the record: one VEVENT, the UID and SEQUENCE that
    the mailed invitations and the feeds carry, so a calendar updates the event it already has."""
    member = api(world, "member_user")
    row = member.get(f"{URL}{meeting.pk}/").json()
    assert row["ics_url"].endswith(f"/alliances/meetings/{meeting.pk}/meeting.ics")
    listed = member.get(URL).json()["results"][0]
    assert listed["ics_url"] == row["ics_url"]
    response = member.get(_path(row["ics_url"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (meeting.uid, meeting.sequence)
    feed = Calendar.from_ical(
        member.get(_path(member.get(f"{URL}calendar/").json()["url"])).content
    )
    (fed,) = feed.walk("VEVENT")
    assert (str(fed["UID"]), int(fed["SEQUENCE"])) == (meeting.uid, meeting.sequence)
    # Out of scope, the link opens nothing, as the record does not.
    assert api(world, "outsider").get(_path(row["ics_url"])).status_code == 404


def test_the_alliance_record_gives_its_feed_to_those_who_schedule_its_meetings(
    world,  # noqa: F811
    meeting,
    client,
):
    alliance = world["alliance"]
    for who in ("staff", "lead_user"):
        url = api(world, who).get(f"/api/v1/alliances/{alliance.pk}/").json()["calendar_url"]
        calendar = Calendar.from_ical(
            client.get(_path(url)).content
        )  # a secret address: no sign-in
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [meeting.uid]
    member = api(world, "member_user").get(f"/api/v1/alliances/{alliance.pk}/").json()
    assert member["calendar_url"] is None
    # The list stays as it was: no feed per row.
    assert "calendar_url" not in api(world, "staff").get("/api/v1/alliances/").json()["results"][0]
