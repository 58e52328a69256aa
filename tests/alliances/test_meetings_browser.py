"""Issue 7 in real Chromium: district staff schedule a meeting, a member unit's contact answers from
the invitation e-mail's link and checks in through the QR code's link."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.models import Invitation, Meeting
from tests.factories import (
    AllianceFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    MemberUnitFactory,
    UserFactory,
)
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_schedule_answer_from_the_mail_and_check_in_through_the_qr_link(
    page, region, staff_user, smtp_server
):
    lead = MemberUnitFactory(name="上海虹桥枢纽建设有限公司", region=region)
    member = MemberUnitFactory(name="上海新虹数据服务有限公司", region=region)
    alliance = AllianceFactory(name="数字经济产业党建联盟", lead_unit=lead)
    MembershipFactory(alliance=alliance, unit=lead, role="lead")
    MembershipFactory(alliance=alliance, unit=member)
    UserFactory(username="lead-contact", unit=lead, email="lead@example.org")
    UserFactory(username="member-contact", unit=member, email="member@example.org")
    # The meeting starts in ten minutes, so that check-in is open during the test.
    start = datetime.datetime.now(ZoneInfo("Asia/Shanghai")) + datetime.timedelta(minutes=10)

    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto(alliance.get_absolute_url())
    page.get_by_test_id("schedule-meeting").click()
    form = page.get_by_test_id("meeting-form")
    form.locator("#id_title").fill("四季度集思会")
    form.locator("#id_start_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_end_at").fill(
        (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("#id_address").fill("闵行区申长路 988 号")
    form.locator("#id_agenda").fill("年度总结")
    form.locator("button[type=submit]").click()
    qr = page.get_by_test_id("qr")
    qr.wait_for()
    # The QR code is an SVG the portal renders; beside it stands the link it encodes.
    svg = page.request.get(qr.locator("img").get_attribute("src"))
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.body()
    checkin_link = re.search(r"https?://\S+/check-in/\S+/", qr.inner_text()).group(0)
    assert page.get_by_test_id("invitations").locator("tbody tr").count() == 2
    meeting = Meeting.objects.get()
    assert meeting.organizer == staff_user

    # The member's contact receives the invitation with a calendar file and follows its link.
    invitation_mail = next(m for m in smtp_server.wait_for(2) if m["To"] == "member@example.org")
    assert any(
        part.get_content_type() == "text/calendar" for part in invitation_mail.iter_attachments()
    )
    body = invitation_mail.get_body(("plain",)).get_content()
    meeting_link = re.search(r"https?://\S+/alliances/meetings/\d+/", body).group(0)

    page.context.clear_cookies()
    sign_in(page, "member-contact", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto(meeting_link)
    answer = page.get_by_test_id("my-rsvp")
    answer.locator("select[name=rsvp]").select_option("accepted")
    answer.locator("input[name=attending_count]").fill("3")
    answer.locator("button[type=submit]").click()
    page.get_by_test_id("my-answer").wait_for()
    invitation = Invitation.objects.get(unit=member)
    assert (invitation.rsvp, invitation.attending_count) == ("accepted", 3)

    # At the meeting, the contact scans the QR code: its link marks the unit attended.
    page.goto(checkin_link)
    page.get_by_text("上海新虹数据服务有限公司").first.wait_for()
    invitation.refresh_from_db()
    assert invitation.attended and invitation.checked_in_at

    page.context.clear_cookies()
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto(meeting.get_absolute_url())
    row = page.get_by_test_id(f"invitation-{invitation.pk}")
    assert "3" in row.inner_text()


def test_the_check_in_qr_code_renders_as_an_image(page, region, staff_user):
    """Issue 24.1: the SVG carries its namespace, so that Chromium draws it in an <img>."""
    meeting = MeetingFactory(
        organizer=staff_user,
        start_at=timezone.now() + datetime.timedelta(days=2),
        end_at=timezone.now() + datetime.timedelta(days=2, hours=2),
    )
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto(meeting.get_absolute_url())
    image = page.get_by_test_id("qr").locator("img")
    image.wait_for()
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") > 0


def test_a_guest_without_an_account_checks_in_on_a_phone_with_their_e_mail(page, region):
    """Issue 24.8: a guest scans the QR code at the venue; no sign-in page, the e-mail suffices."""
    start = timezone.now() + datetime.timedelta(minutes=10)
    meeting = MeetingFactory(
        title="四季度集思会", start_at=start, end_at=start + datetime.timedelta(hours=2)
    )
    guest = InvitationFactory(
        meeting=meeting, unit=None, guest_name="王嘉宾", guest_email="guest.wang@example.org"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("alliances:meeting-check-in", args=[meeting.checkin_token]))
    form = page.get_by_test_id("guest-check-in")
    form.wait_for()
    assert "/login/" not in page.url
    # Nothing runs off the side of a phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    form.get_by_label("接收邀请的邮箱").fill("someone.else@example.org")
    form.get_by_role("button", name="签到").click()
    page.get_by_test_id("check-in-error").filter(has_text="该邮箱未受邀参加此会议").wait_for()
    guest.refresh_from_db()
    assert not guest.attended

    form = page.get_by_test_id("guest-check-in")
    form.get_by_label("接收邀请的邮箱").fill("Guest.Wang@example.org")
    form.get_by_role("button", name="签到").click()
    page.get_by_test_id("check-in-ok").filter(has_text="王嘉宾").wait_for()
    guest.refresh_from_db()
    assert guest.attended and guest.checked_in_at
