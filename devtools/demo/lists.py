"""The three lists of the demo network (DESIGN.md §8): resources offered, demands raised, joint projects.

Drawn from the seeds: Minhang's biomedicine "1+3" and its talent and lab needs, Hongqiao's finance
alliance offering credit, Pudong's delivery riders needing rest stops (seed 003's demand loop: collect,
summarize, handle, feed back), the AI alliance's shared computing (seed 004's joint projects). The
numbers are invented. Each row is known by its title; loading again adds what is missing and leaves
what is there (and whatever users did to it) alone. Dates count back from the day of loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from alliances.models import Alliance
from devtools.demo.units import units_by_key
from portal.accounts.choices import Role
from portal.accounts.models import User
from reports.periods import Quarter
from services.choices import (
    ClaimKind,
    ClaimStatus,
    DemandEventKind,
    DemandStatus,
    ParticipantRole,
    ProjectEventKind,
    ProjectStatus,
)
from services.choices import DemandCategory as C
from services.choices import DemandSource as S
from services.choices import ResourceCategory as R
from services.models import (
    Claim,
    Demand,
    DemandCampaign,
    DemandEvent,
    JointProject,
    ProjectEvent,
    ProjectMilestone,
    ProjectParticipant,
    ResourceOffer,
)

BIO_NORTH = "大虹桥生物医药产业集群党建联盟"
BIO_SOUTH = "大零号湾生物医药产业集群党建联盟"
XINHONG_AREA = "虹桥商务区新虹片区党建共同体"
AI_ALLIANCE = "闵行区人工智能产业集群党建联盟"
EXPRESS = "浦东新区快递行业党建联盟"

# (title, unit key, category, description)
OFFERS = [
    (
        "“科创保”专项融资担保额度",
        "hq-guarantee",
        R.FUNDING,
        "为商务区科技型中小企业提供单户最高1000万元的融资担保。",
    ),
    (
        "园区快贷：小微企业流动资金贷款",
        "huacao-credit",
        R.FUNDING,
        "三个工作日内完成审批，随借随还。",
    ),
    (
        "企业法律体检与合规咨询",
        "shenheng-law",
        R.EXPERTISE,
        "每月两次律师驻点，为成员企业提供合同审查、劳动用工、知识产权咨询。",
    ),
    (
        "欣虹空间会议室与路演厅",
        "xinhong",
        R.VENUE,
        "可容纳120人的路演厅与4间会议室，成员单位免费预约。",
    ),
    (
        "零号湾共享实验平台",
        "lingwan-incubator",
        R.EQUIPMENT,
        "细胞培养、分子检测等共享实验设备，按机时预约。",
    ),
    (
        "前湾双语学校党员志愿服务队",
        "qianwan-school",
        R.VOLUNTEERS,
        "教师党员志愿者周末开展亲子阅读与英语角。",
    ),
    (
        "惠企政策“一张图”宣讲",
        "mh-invest",
        R.TRAINING,
        "区投资促进服务中心上门宣讲人才、研发、上市等扶持政策。",
    ),
    ("智算中心算力资源", "xinhong-compute", R.EQUIPMENT, "为人工智能企业提供GPU算力试用额度。"),
]


@dataclass(frozen=True)
class DemoDemand:
    title: str  # the natural key
    unit: str  # a unit key of devtools.demo.units
    category: str
    source: str
    status: str
    days_ago: int  # raised this many days ago, unless `last_quarter_day` says otherwise
    description: str
    assignee: str | None = None  # the handling unit's key
    due_in: int = 15  # days after assignment
    resolution: str = ""
    satisfaction: int | None = None
    # Raised (and finished within 20 days) this many days into the quarter before this one, so that
    # last quarter's report has demands to count whatever today's date is.
    last_quarter_day: int | None = None
    merged_into: str | None = None
    in_campaign: bool = False


D = DemoDemand
ST = DemandStatus

# fmt: off
DEMANDS = [
    D("研发用房扩租需求", "hongrun-bio", C.LAND_SPACE, S.ONLINE, ST.SUBMITTED, 2,
      "研发团队扩至120人，希望在新虹街道就近增租1500平方米研发用房。", in_campaign=True),
    D("研发用房扩租（重复提交）", "hongrun-bio", C.LAND_SPACE, S.ONLINE, ST.MERGED, 2,
      "同上，重复提交。", merged_into="研发用房扩租需求", in_campaign=True),
    D("生物医药人才公寓申请", "ruientai", C.TALENT, S.CAMPAIGN, ST.ACCEPTED, 6,
      "新引进的12名研发人员希望入住人才公寓。", in_campaign=True),
    D("流动资金贷款对接", "boqin-gene", C.FINANCING, S.VISIT, ST.ASSIGNED, 12,
      "临床前研究阶段资金紧张，希望对接500万元流动资金贷款。", assignee="hq-guarantee", due_in=30),
    D("临床试验合规咨询", "lingwan-cell", C.LEGAL, S.ONLINE, ST.IN_PROGRESS, 20,
      "细胞治疗产品进入临床试验阶段，需要伦理与合规方面的法律意见。", assignee="shenheng-law", due_in=15),
    D("快递小哥午间休息点", "pujie-express", C.DAILY_LIFE, S.GRID, ST.IN_PROGRESS, 25,
      "川沙片区快递员午间没有固定的休息和就餐场所。", assignee="chuansha", due_in=7),
    D("高新技术企业认定政策辅导", "xinchen-robot", C.POLICY, S.CAMPAIGN, ST.RESOLVED, 30,
      "首次申报高新技术企业，希望得到申报辅导。", assignee="mh-sci", due_in=10,
      resolution="区科委安排专员两次上门辅导，材料已于本月提交。", last_quarter_day=52),
    D("跨境电商出口退税咨询", "zhihui-ecommerce", C.TAX, S.HOTLINE, ST.CLOSED, 45,
      "出口退税办理周期长，希望了解加快办理的途径。", assignee="mh-finance", due_in=10,
      resolution="协调税务部门开通绿色通道，退税周期由20天缩短至7天。", satisfaction=5, last_quarter_day=12),
    D("员工子女入学咨询", "hongshu-info", C.DAILY_LIFE, S.GRID, ST.CLOSED, 40,
      "外地来沪骨干员工子女的入学政策咨询。", assignee="huacao-school", due_in=7,
      resolution="学校招生办逐一答复，3名子女已办理入学。", satisfaction=4, last_quarter_day=28),
    D("设备融资租赁对接", "honggong-aero", C.FINANCING, S.ONLINE, ST.CLOSED, 60,
      "新购五轴加工中心，希望以融资租赁方式分期支付。", assignee="mh-leasing", due_in=30,
      resolution="已签订融资租赁合同，首期设备到位。", satisfaction=3, last_quarter_day=5),
    D("新产品进入医院采购目录", "shenhui-med", C.MARKET_ACCESS, S.VISIT, ST.REJECTED, 35,
      "希望协调将新型医疗器械纳入区属医院采购目录。", last_quarter_day=40),
    D("数据中心算力补贴申请", "yunqiao-data", C.POLICY, S.CAMPAIGN, ST.ASSIGNED, 8,
      "申请区级算力券补贴。", assignee="mh-econ", due_in=10, in_campaign=True),
    D("人工智能企业知识产权保护", "yuheng-ai", C.LEGAL, S.ONLINE, ST.RESOLVED, 15,
      "核心算法被仿冒，需要知识产权维权支持。", assignee="shenheng-law", due_in=15,
      resolution="律师团队已发出律师函并协助完成证据保全。"),
    D("长租公寓消防改造协调", "hongyu-apartment", C.LAND_SPACE, S.GRID, ST.ACCEPTED, 3,
      "公寓消防通道改造涉及多个产权方，需要街道协调。"),
]
# fmt: on


@dataclass(frozen=True)
class DemoProject:
    title: str  # the natural key
    alliance: str
    lead: str
    category: str
    status: str
    days_ago: int
    description: str
    progress: int = 0
    budget: int | None = None
    contract_amount: int | None = None
    participants: tuple[tuple[str, str], ...] = ()
    milestones: tuple[tuple[str, int, bool], ...] = field(
        default=()
    )  # (title, days from start, done)
    from_demand: str | None = None


P = DemoProject
PS = ProjectStatus
ROLE = ParticipantRole

# fmt: off
PROJECTS = [
    P("生物医药人才驿站共建", BIO_NORTH, "hongrun-bio", C.TALENT, PS.IN_PROGRESS, 5,
      "联盟成员共建人才驿站，统筹人才公寓、子女入学与职业发展服务。", progress=40,
      budget=500_000, contract_amount=320_000,
      participants=(("ruientai", ROLE.PARTICIPANT), ("qianwan-school", ROLE.RESOURCE_PROVIDER)),
      milestones=(("驿站选址与装修", 10, True), ("首批人才入驻", 40, False), ("年度服务评估", 120, False)),
      from_demand="生物医药人才公寓申请"),
    P("零号湾共享实验平台扩容", BIO_SOUTH, "lingwan-incubator", C.OTHER, PS.CLAIMED, 30,
      "扩容共享实验平台，向联盟内初创企业开放细胞与分子检测设备。", progress=15,
      budget=1_200_000, contract_amount=800_000,
      participants=(("qiheng-bio", ROLE.CO_ORGANIZER),),
      milestones=(("设备采购招标", 20, True), ("平台试运行", 60, False))),
    P("楼宇白领午间课堂", XINHONG_AREA, "xinhong", C.TALENT, PS.OPEN, 10,
      "在欣虹空间开设面向商务区白领的午间微课堂，征集成员单位认领课程。"),
    P("快递小哥暖心驿站网络", EXPRESS, "pd-express-assoc", C.DAILY_LIFE, PS.COMPLETED, 90,
      "在川沙、张江等地建设快递员暖心驿站，提供休息、充电、饮水服务。", progress=100,
      budget=300_000, contract_amount=260_000,
      participants=(("pujie-express", ROLE.PARTICIPANT),),
      milestones=(("驿站点位确定", 15, True), ("首批10个驿站开放", 60, True))),
    P("人工智能算力共享计划", AI_ALLIANCE, "xinhong-compute", C.POLICY, PS.OPEN, 4,
      "以智算中心为依托，为联盟内人工智能企业提供算力共享与模型测试服务。", budget=2_000_000),
]

# (project title, unit key, kind, status, message)
CLAIMS = [
    ("楼宇白领午间课堂", "hongshu-info", ClaimKind.UNIT_CLAIMS_PROJECT, ClaimStatus.PENDING,
     "我司可认领“数字化办公技能”系列课程，每月两讲。"),
    ("人工智能算力共享计划", "yuheng-ai", ClaimKind.UNIT_CLAIMS_PROJECT, ClaimStatus.PENDING,
     "愿作为首批用户参与测试，并开放语音模型评测集。"),
    ("零号湾共享实验平台扩容", "qiheng-bio", ClaimKind.UNIT_CLAIMS_PROJECT, ClaimStatus.ACCEPTED,
     "启衡生物可提供部分检测设备并参与平台运营。"),
]
# fmt: on

# The path a demand takes to reach each state, as (event, status reached).
PATHS = {
    ST.SUBMITTED: [],
    ST.ACCEPTED: [(DemandEventKind.ACCEPTED, ST.ACCEPTED)],
    ST.ASSIGNED: [(DemandEventKind.ACCEPTED, ST.ACCEPTED), (DemandEventKind.ASSIGNED, ST.ASSIGNED)],
    ST.IN_PROGRESS: [
        (DemandEventKind.ACCEPTED, ST.ACCEPTED),
        (DemandEventKind.ASSIGNED, ST.ASSIGNED),
        (DemandEventKind.STARTED, ST.IN_PROGRESS),
    ],
    ST.RESOLVED: [
        (DemandEventKind.ACCEPTED, ST.ACCEPTED),
        (DemandEventKind.ASSIGNED, ST.ASSIGNED),
        (DemandEventKind.STARTED, ST.IN_PROGRESS),
        (DemandEventKind.RESOLVED, ST.RESOLVED),
    ],
    ST.CLOSED: [
        (DemandEventKind.ACCEPTED, ST.ACCEPTED),
        (DemandEventKind.ASSIGNED, ST.ASSIGNED),
        (DemandEventKind.STARTED, ST.IN_PROGRESS),
        (DemandEventKind.RESOLVED, ST.RESOLVED),
        (DemandEventKind.RATED, ST.CLOSED),
    ],
    ST.REJECTED: [(DemandEventKind.REJECTED, ST.REJECTED)],
    ST.MERGED: [(DemandEventKind.MERGED, ST.MERGED)],
}


def _campaign(today, staff) -> DemandCampaign:
    quarter = (today.month - 1) // 3
    opens = today.replace(month=quarter * 3 + 1, day=1)
    closes = (opens.replace(day=28) + timedelta(days=70)).replace(day=1) - timedelta(days=1)
    title = f"{today.year}年第{quarter + 1}季度企业需求专项征集"
    campaign, _created = DemandCampaign.objects.get_or_create(
        title=title,
        defaults={
            "theme": "聚焦企业融资、人才、用地用房等发展难题，集中征集、分类交办、限时办结。",
            "opens_on": opens,
            "closes_on": closes,
            "created_by": staff,
        },
    )
    return campaign


def _load_offers(units) -> int:
    existing = set(
        ResourceOffer.objects.filter(title__in=[o[0] for o in OFFERS]).values_list(
            "title", flat=True
        )
    )
    rows = [
        ResourceOffer(
            unit=units[key],
            category=category,
            title=title,
            description=text,
            region=units[key].region,
        )
        for title, key, category, text in OFFERS
        if title not in existing and key in units
    ]
    ResourceOffer.objects.bulk_create(rows)
    return len(rows)


def _load_demands(units, staff, secretary, campaign, now, last_quarter_start) -> int:
    existing = {d.title: d for d in Demand.objects.filter(title__in=[d.title for d in DEMANDS])}
    created = 0
    for spec in DEMANDS:
        unit = units.get(spec.unit)
        if spec.title in existing or unit is None:
            continue
        if spec.last_quarter_day is None:
            raised, span = now - timedelta(days=spec.days_ago), timedelta(days=spec.days_ago)
        else:
            raised = last_quarter_start + timedelta(days=spec.last_quarter_day, hours=10)
            span = timedelta(days=20)
        steps = PATHS[spec.status]
        assignee = units.get(spec.assignee) if spec.assignee else None
        demand = Demand(
            title=spec.title,
            description=spec.description,
            category=spec.category,
            source=spec.source,
            unit=unit,
            region=unit.region,
            campaign=campaign if spec.in_campaign else None,
            status=spec.status,
            created_by=staff if spec.source in (S.VISIT, S.HOTLINE, S.GRID) else None,
        )
        stamps = [raised + span * (i + 1) / (len(steps) + 1) for i in range(len(steps))]
        for (kind, _status), when in zip(steps, stamps, strict=True):
            if kind == DemandEventKind.ACCEPTED:
                demand.accepted_at = when
            elif kind == DemandEventKind.ASSIGNED:
                demand.assigned_at = when
                demand.assignee_unit = assignee
                demand.due_on = (when + timedelta(days=spec.due_in)).date()
            elif kind == DemandEventKind.RESOLVED:
                demand.resolved_at = when
                demand.resolution = spec.resolution
            elif kind == DemandEventKind.RATED:
                demand.closed_at = demand.rated_at = when
                demand.satisfaction = spec.satisfaction
        if spec.merged_into:
            demand.merged_into = existing.get(spec.merged_into) or Demand.objects.get(
                title=spec.merged_into
            )
        demand.is_overdue = bool(demand.is_open and demand.due_on and demand.due_on < now.date())
        demand.save()
        events = [
            DemandEvent(
                demand=demand,
                kind=DemandEventKind.CREATED,
                to_status=ST.SUBMITTED,
                actor=demand.created_by,
            )
        ]
        previous = ST.SUBMITTED
        for kind, status in steps:
            actor = (
                secretary if kind in (DemandEventKind.ACCEPTED, DemandEventKind.ASSIGNED) else staff
            )
            events.append(
                DemandEvent(
                    demand=demand, kind=kind, from_status=previous, to_status=status, actor=actor
                )
            )
            previous = status
        DemandEvent.objects.bulk_create(events)
        # The timestamps are "auto_now_add": put them back where the story has them.
        Demand.objects.filter(pk=demand.pk).update(created_at=raised)
        for event, when in zip(events, [raised, *stamps], strict=True):
            DemandEvent.objects.filter(pk=event.pk).update(created_at=when)
        existing[spec.title] = demand
        created += 1
    return created


def _load_projects(units, staff, now) -> int:
    alliances = {
        a.name: a for a in Alliance.objects.filter(name__in={p.alliance for p in PROJECTS})
    }
    existing = set(
        JointProject.objects.filter(title__in=[p.title for p in PROJECTS]).values_list(
            "title", flat=True
        )
    )
    created = 0
    for spec in PROJECTS:
        lead, alliance = units.get(spec.lead), alliances.get(spec.alliance)
        if spec.title in existing or lead is None or alliance is None:
            continue
        started = now - timedelta(days=spec.days_ago)
        project = JointProject.objects.create(
            title=spec.title,
            description=spec.description,
            alliance=alliance,
            lead_unit=lead,
            category=spec.category,
            region=lead.region,
            status=spec.status,
            starts_on=started.date(),
            ends_on=(started + timedelta(days=180)).date(),
            budget=Decimal(spec.budget) if spec.budget is not None else None,
            contract_amount=Decimal(spec.contract_amount)
            if spec.contract_amount is not None
            else None,
            progress=spec.progress,
            completed_at=now if spec.status == PS.COMPLETED else None,
            created_by=staff,
        )
        JointProject.objects.filter(pk=project.pk).update(created_at=started)
        members = [(spec.lead, ROLE.LEAD), *spec.participants]
        ProjectParticipant.objects.bulk_create(
            ProjectParticipant(
                project=project, unit=units[key], role=role, joined_on=started.date()
            )
            for key, role in members
            if key in units
        )
        ProjectMilestone.objects.bulk_create(
            ProjectMilestone(
                project=project,
                title=title,
                due_on=(started + timedelta(days=days)).date(),
                done_on=(started + timedelta(days=days)).date() if done else None,
            )
            for title, days, done in spec.milestones
        )
        ProjectEvent.objects.bulk_create(
            [
                ProjectEvent(
                    project=project,
                    kind=ProjectEventKind.CREATED,
                    to_status=PS.PROPOSED,
                    actor=staff,
                ),
                *(
                    [
                        ProjectEvent(
                            project=project,
                            kind=ProjectEventKind.STATUS,
                            from_status=PS.PROPOSED,
                            to_status=spec.status,
                            actor=staff,
                        )
                    ]
                    if spec.status != PS.PROPOSED
                    else []
                ),
            ]
        )
        if spec.from_demand:
            Demand.objects.filter(title=spec.from_demand, project__isnull=True).update(
                project=project
            )
        created += 1
    return created


def _load_claims(units, staff, now) -> int:
    projects = {p.title: p for p in JointProject.objects.filter(title__in={c[0] for c in CLAIMS})}
    have = set(
        Claim.objects.filter(project__in=projects.values()).values_list("project__title", "unit_id")
    )
    rows = []
    for title, key, kind, status, message in CLAIMS:
        project, unit = projects.get(title), units.get(key)
        if project is None or unit is None or (title, unit.pk) in have:
            continue
        decided = status != ClaimStatus.PENDING
        rows.append(
            Claim(
                kind=kind,
                project=project,
                unit=unit,
                status=status,
                message=message,
                role=ROLE.PARTICIPANT,
                decided_by=staff if decided else None,
                decided_at=now if decided else None,
            )
        )
    Claim.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def load_lists() -> tuple[int, int, int]:
    """Create the missing demo offers, demands and projects (with their claims); (offers, demands, projects).

    Skipped (0, 0, 0) until the demo units and a district staff account exist.
    """
    staff = User.objects.filter(role=Role.DISTRICT_STAFF, is_active=True).order_by("pk").first()
    units = units_by_key()
    if staff is None or not units:
        return 0, 0, 0
    secretary = (
        User.objects.filter(role=Role.STREET_SECRETARY, is_active=True).order_by("pk").first()
        or staff
    )
    now = timezone.now()
    offers = _load_offers(units)
    campaign = _campaign(timezone.localdate(), staff)
    last_quarter_start = Quarter.last_completed().period.start_at
    demands = _load_demands(units, staff, secretary, campaign, now, last_quarter_start)
    projects = _load_projects(units, staff, now)
    _load_claims(units, staff, now)
    return offers, demands, projects
