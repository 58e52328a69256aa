"""Demo meetings: last quarter's forums and joint conferences, held with minutes and attendance, and
the next ones, scheduled with their invitations answered in part (seeds 000, 001, 002, 004).

Dates are set relative to today and to the start of the last quarter, so that the meeting pages and
last quarter's report have meetings to show whatever day the demo is loaded. Known by alliance and
title: loading again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from alliances.choices import MeetingKind, MeetingStatus, Rsvp
from alliances.models import Alliance, Invitation, Meeting, Membership
from portal.accounts.choices import Role
from portal.accounts.models import User
from reports.periods import Quarter
from services.models import ServiceStation

LAST = "last"  # days after the start of the last quarter
AGO = "ago"  # days before today
AHEAD = "ahead"  # days after today


@dataclass(frozen=True)
class DemoMeeting:
    alliance: str
    kind: str
    title: str
    when: tuple[str, int]
    agenda: str
    station: str = ""
    address: str = ""
    online_url: str = ""
    hours: int = 2
    minutes: str = ""  # given: the meeting was held
    decisions: str = ""
    cancelled: bool = False


M = DemoMeeting
K = MeetingKind
HUB = "闵行区枢纽党建共同体"
BIOMEDICINE = "闵行区生物医药产业集群党建联盟"
BIO_NORTH = "大虹桥生物医药产业集群党建联盟"
AI_DELTA = "长三角人工智能党建联盟"
EXPRESS = "浦东新区快递行业党建联盟"
CAOHEJING = "漕河泾开发园区共建共治联盟"
APARTMENTS = "新虹街道“公寓汇”长租公寓党建议事联盟"
RIVERSIDE = "滨江党建跨区域联盟"
XUHUI_RENEWAL = "徐汇区城市更新党建联盟"
XINHONG_AREA = "虹桥商务区新虹片区党建共同体"
HUB_CENTER = "欣虹空间（虹桥商务区党群服务中心）"

# fmt: off
MEETINGS = [
    M(HUB, K.QUARTERLY_FORUM, "枢纽党建共同体季度集思会", (LAST, 20),
      "一、通报“1+4+X”共建项目进展；二、四大产业集群联盟交流；三、研究企业需求清单的办理。",
      station=HUB_CENTER,
      minutes="区委组织部主持。四个产业集群党建联盟分别通报本季度共建项目，生物医药联盟介绍“1+3”"
              "人才驿站进展；各片区交流企业服务站运行情况。",
      decisions="1. 人才驿站下季度完成首批入驻；2. 企业需求清单按月通报办理进度；"
                "3. 下次集思会聚焦跨省域合作。"),
    M(BIOMEDICINE, K.QUARTERLY_FORUM, "生物医药产业集群党建联盟季度集思会", (LAST, 45),
      "一、“1+3”联盟共建事项盘点；二、临床试验合规服务对接；三、人才公寓需求汇总。",
      station=HUB_CENTER,
      minutes="联盟成员单位围绕临床试验、人才公寓和融资需求交流，律师事务所介绍合规服务包。",
      decisions="1. 建立临床试验合规咨询绿色通道；2. 汇总人才公寓需求报区人才办。"),
    M(AI_DELTA, K.JOINT_CONFERENCE, "长三角人工智能党建联盟联席会议", (LAST, 60),
      "一、三省一市联盟成员交流；二、算力共享与模型评测合作；三、明年联席会议轮值城市。",
      address="苏州工业园区星湖街328号", hours=3,
      minutes="沪苏浙皖联盟成员单位参会，交流算力共享、数据标注与人才培养合作。",
      decisions="1. 共建算力共享计划；2. 明年联席会议由嘉兴承办。"),
    M(EXPRESS, K.REGULAR, "快递小哥暖心驿站建设推进会", (LAST, 30),
      "一、暖新驿站点位与服务清单；二、骑手午间休息点需求。",
      station="川沙暖新驿站",
      minutes="区邮政管理局通报驿站建设进度，快递企业反映骑手午间休息点不足。",
      decisions="1. 新增川沙、张江两处驿站；2. 休息点需求转街道办理。"),
    M(CAOHEJING, K.JOINT_CONFERENCE, "漕河泾“两个覆盖”推进联席会议", (LAST, 70),
      "一、园区企业组织覆盖、工作覆盖情况；二、五个产业发展共同体年度计划。",
      address="徐汇区宜山路900号", hours=3,
      minutes="园区通报企业党组织覆盖情况，五个产业发展共同体交流年度计划。",
      decisions="1. 对新入驻企业逐户排摸；2. 每个共同体确定一名党建指导员。"),
    M(APARTMENTS, K.CONSULTATION, "长租公寓消防安全议事会", (AGO, 5),
      "一、公寓消防通道改造；二、产权方与运营方责任划分。",
      station="欣虹V空间·枢纽站",
      minutes="街道、公寓运营方与产权方协商消防通道改造方案，居民代表提出夜间施工时段意见。",
      decisions="1. 改造方案报街道平安办备案；2. 夜间不施工。"),
    M(HUB, K.QUARTERLY_FORUM, "枢纽党建共同体季度集思会（本季度）", (AHEAD, 7),
      "一、本季度共建项目盘点；二、跨省域合作城市交流；三、需求清单办理情况。",
      station=HUB_CENTER),
    M(BIOMEDICINE, K.QUARTERLY_FORUM, "生物医药产业集群党建联盟季度集思会（本季度）", (AHEAD, 12),
      "一、人才驿站首批入驻；二、共享实验平台扩容认领；三、新一季需求征集。",
      station=HUB_CENTER),
    M(BIO_NORTH, K.CONSULTATION, "临床试验合规服务对接会", (AHEAD, 3),
      "律师事务所与联盟成员单位一对一对接临床试验合规问题。",
      online_url="https://meeting.example.org/bio-north-compliance"),
    M(RIVERSIDE, K.JOINT_CONFERENCE, "滨江党建跨区域联盟联席会议", (AHEAD, 20),
      "一、滨江党群服务站服务清单；二、五区二十个街道结对共建。",
      station="陆家嘴滨江党群服务站", hours=3),
    M(XINHONG_AREA, K.REGULAR, "新虹片区楼宇党建工作例会", (AHEAD, 9),
      "楼宇白领午间课堂课程认领。", station="欣虹V空间·智汇谷", cancelled=True),
    M(XUHUI_RENEWAL, K.CONSULTATION, "城市更新项目党建协商会", (AGO, 2),
      "老旧小区更新中的加装电梯与停车协调。", address="徐汇区漕溪北路336号",
      minutes="房管局、街道与居民代表协商加装电梯与停车方案。",
      decisions="1. 三个小区先行试点；2. 每月通报一次进度。"),
]
# fmt: on


def _start(when: tuple[str, int], now: datetime.datetime) -> datetime.datetime:
    kind, days = when
    if kind == LAST:
        day = Quarter.last_completed().start + datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
    local = timezone.localtime(now).replace(hour=14, minute=0, second=0, microsecond=0)
    return (
        local - datetime.timedelta(days=days)
        if kind == AGO
        else local + datetime.timedelta(days=days)
    )


def _invitations(meeting: Meeting, unit_ids: list[int], *, held: bool) -> list[Invitation]:
    """Held: most accepted and came (checked in), one in five declined. Upcoming: half answered."""
    rows = []
    for index, unit_id in enumerate(unit_ids):
        invitation = Invitation(meeting=meeting, unit_id=unit_id)
        if held:
            accepted = index % 5 != 4
            invitation.rsvp = Rsvp.ACCEPTED if accepted else Rsvp.DECLINED
            invitation.attending_count = 1 + index % 3 if accepted else 0
            invitation.attended = accepted and index % 7 != 6
            invitation.checked_in_at = meeting.start_at if invitation.attended else None
            invitation.responded_at = meeting.start_at - datetime.timedelta(days=3)
        elif index % 2 == 0 and meeting.status != MeetingStatus.CANCELLED:
            invitation.rsvp = Rsvp.ACCEPTED
            invitation.attending_count = 1 + index % 2
            invitation.responded_at = timezone.now() - datetime.timedelta(hours=index + 1)
        rows.append(invitation)
    return rows


@transaction.atomic
def load_meetings() -> tuple[int, int]:
    """Create the missing demo meetings with their invitations; (held, scheduled) created."""
    organizer = User.objects.filter(role=Role.DISTRICT_STAFF, is_active=True).order_by("pk").first()
    alliances = {
        a.name: a for a in Alliance.objects.filter(name__in={m.alliance for m in MEETINGS})
    }
    if organizer is None or not alliances:
        return 0, 0
    stations = {
        s.name: s
        for s in ServiceStation.objects.filter(name__in={m.station for m in MEETINGS if m.station})
    }
    existing = set(
        Meeting.objects.filter(title__in=[m.title for m in MEETINGS]).values_list(
            "alliance__name", "title"
        )
    )
    members: dict[int, list[int]] = {}
    for alliance_id, unit_id in (
        Membership.objects.current()
        .filter(alliance__in=alliances.values())
        .order_by("alliance_id", "id")
        .values_list("alliance_id", "unit_id")
    ):
        members.setdefault(alliance_id, []).append(unit_id)
    now = timezone.now()
    held = scheduled = 0
    invitations: list[Invitation] = []
    for spec in MEETINGS:
        alliance = alliances.get(spec.alliance)
        if alliance is None or (spec.alliance, spec.title) in existing:
            continue
        start = _start(spec.when, now)
        is_held = bool(spec.minutes) and start < now
        if spec.cancelled:
            status = MeetingStatus.CANCELLED
        else:
            status = MeetingStatus.HELD if is_held else MeetingStatus.SCHEDULED
        meeting = Meeting.objects.create(
            alliance=alliance,
            organizer=organizer,
            kind=spec.kind,
            title=spec.title,
            start_at=start,
            end_at=start + datetime.timedelta(hours=spec.hours),
            station=stations.get(spec.station),
            address=spec.address,
            online_url=spec.online_url,
            agenda=spec.agenda,
            status=status,
            minutes=spec.minutes if is_held else "",
            decisions=spec.decisions if is_held else "",
            sequence=1 if spec.cancelled else 0,
        )
        invitations += _invitations(meeting, members.get(alliance.pk, []), held=is_held)
        if is_held:
            held += 1
        else:
            scheduled += 1
    Invitation.objects.bulk_create(invitations)
    return held, scheduled
