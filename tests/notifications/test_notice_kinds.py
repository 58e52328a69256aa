"""Which notices go through the channels: meeting invitations, changes, cancellations and reminders,
and a demand's steps, rendered per channel in the recipient's language (Chinese)."""

import datetime

import pytest

from alliances.actions import meetings as actions
from alliances.actions.reminders import meeting_reminders_send
from portal.notifications.models import NoticeDelivery
from tests.factories import (
    AllianceFactory,
    MeetingFactory,
    MembershipFactory,
    MemberUnitFactory,
    SecretaryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def configured(settings):
    settings.SMS_PROVIDER = "aliyun"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "id"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "secret"
    settings.ALIYUN_SMS_SIGN_NAME = "联盟门户"
    settings.SMS_TEMPLATE_CODES = {"default": "SMS_1"}
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww", "1", "s"


def test_an_invitation_change_and_cancellation_reach_unit_contacts_by_sms_and_the_group_chat(
    configured, time_machine
):
    time_machine.move_to(START - datetime.timedelta(days=5), tick=False)
    unit = MemberUnitFactory()
    alliance = AllianceFactory(wecom_robot_key="robot")
    MembershipFactory(alliance=alliance, unit=unit)
    contact = UserFactory(unit=unit, phone="13912345678")
    meeting = actions.meeting_schedule(
        alliance=alliance,
        organizer=StaffFactory(),
        title="季度例会",
        start_at=START,
        end_at=START + datetime.timedelta(hours=2),
        address="申长路 988 号",
    )
    sms = NoticeDelivery.objects.get(user=contact, channel="sms")
    assert sms.kind == "meeting_invitation" and sms.status == "pending"
    assert sms.text.startswith("会议邀请：“季度例会”") and len(sms.text) <= 70
    robot = NoticeDelivery.objects.get(channel="wecom_robot")
    assert robot.alliance == alliance and robot.user is None
    assert "**会议邀请**" in robot.text and "申长路 988 号" in robot.text

    actions.meeting_update(
        meeting=meeting,
        by=meeting.organizer,
        start_at=START + datetime.timedelta(hours=1),
        end_at=START + datetime.timedelta(hours=3),
    )
    actions.meeting_cancel(meeting=meeting, by=meeting.organizer)
    kinds = sorted(NoticeDelivery.objects.filter(user=contact).values_list("kind", flat=True))
    assert kinds == ["meeting_cancelled", "meeting_changed", "meeting_invitation"]
    assert NoticeDelivery.objects.filter(channel="wecom_robot").count() == 3


def test_a_meeting_reminder_reaches_a_street_secretary_by_wecom_and_sms(configured, time_machine):
    secretary = SecretaryFactory(phone="13812345678", wecom_userid="li")
    meeting = MeetingFactory(
        organizer=secretary,
        start_at=START,
        end_at=START + datetime.timedelta(hours=1),
        reminder_offsets=[60],
    )
    time_machine.move_to(START - datetime.timedelta(minutes=59), tick=False)
    meeting_reminders_send()
    rows = {r.channel: r for r in NoticeDelivery.objects.filter(user=secretary)}
    assert set(rows) == {"wecom", "sms"}
    assert rows["sms"].kind == "meeting_reminder"
    assert rows["sms"].text.startswith("会议提醒：") and "（1 小时后）" in rows["sms"].text
    assert "**会议提醒**" in rows["wecom"].text
    # A second sweep reminds nobody twice, on any channel.
    meeting_reminders_send()
    assert NoticeDelivery.objects.filter(user=secretary).count() == 2
    assert meeting.pk
