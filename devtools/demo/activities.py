"""Demo activities (DESIGN.md §8): what the seed articles tell of, logged over the last two quarters.

Lectures at 欣虹空间, enterprise visits in Qibao, volunteer service along the Huangpu, warm-station
services for delivery riders. Dates count back from the day the demo is loaded, so the lists always
show recent months; an activity is known by its title, and loading again moves it to its new date.
Nothing is loaded before the demo stations are (`devtools.demo.stations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alliances.models import Alliance
from devtools.demo.units import units_by_key
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.models import Region
from services.choices import ActivityType as T
from services.models import Activity, ServiceStation

XINHONG_SPACE = "欣虹空间（虹桥商务区党群服务中心）"
XINHONG_AREA = "虹桥商务区新虹片区党建共同体"
APARTMENTS = "新虹街道“公寓汇”长租公寓党建议事联盟"
QIBAO_AREA = "虹桥商务区七宝片区党建共同体"
AI_ALLIANCE = "闵行区人工智能产业集群党建联盟"
RIVERSIDE = "滨江党建跨区域联盟"
EXPRESS = "浦东新区快递行业党建联盟"
CAOHEJING = "漕河泾开发园区共建共治联盟"


@dataclass(frozen=True)
class DemoActivity:
    title: str  # the natural key
    activity_type: str
    days_ago: int
    region: str  # region code; a station's region when None
    participants: int
    party_members: int
    station: str | None = None
    place: str = ""
    alliance: str | None = None
    organizer: str | None = None  # a unit key of devtools.demo.units
    description: str = ""


A = DemoActivity

# fmt: off
ACTIVITIES: list[DemoActivity] = [
    # --- Xinhong: the "欣系列" at 欣虹空间 and the V-spaces (seed 004) ---
    *(
        A(f"午间欣党课·第{n}讲", T.PARTY_LECTURE, days, "310112008", people, members, XINHONG_SPACE,
          alliance=XINHONG_AREA, organizer="xinhong",
          description="商务区白领午休时间的微党课，学习党的创新理论。")
        for n, days, people, members in (
            (31, 172, 46, 30), (32, 145, 52, 33), (33, 118, 60, 41), (34, 90, 48, 29),
            (35, 62, 57, 36), (36, 34, 63, 44), (37, 8, 55, 38),
        )
    ),
    *(
        A(f"乐之欣学堂·{topic}", T.TRAINING, days, "310112008", people, members, XINHONG_SPACE,
          alliance=XINHONG_AREA, description="8小时以外的白领学堂。")
        for topic, days, people, members in (
            ("职场减压", 160, 35, 9), ("非遗香囊", 130, 28, 6), ("摄影入门", 75, 32, 8),
            ("法律微讲堂", 40, 41, 15),
        )
    ),
    A("爱心暑托班开班仪式", T.OTHER, 150, "310112008-C01", 68, 12, "欣虹V空间·爱博",
      organizer="aibo-1", description="服务商务区职工子女的暑期托管。"),
    A("公寓汇议事会：租客停车难", T.MEETING, 120, "310112008-C02", 18, 7, "欣虹V空间·华美",
      alliance=APARTMENTS, description="长租公寓运营方、居民区和租客代表共商停车问题。"),
    A("公寓汇青年租客联谊", T.CULTURE_SPORTS, 55, "310112008-C03", 74, 10, "欣虹V空间·航华",
      alliance=APARTMENTS),
    A("枢纽片区处置网格联席会", T.MEETING, 100, "310112008-G03", 22, 16, "欣虹V空间·智汇谷",
      alliance=XINHONG_AREA, organizer="hq-property"),
    A("人工智能产业链党建沙龙", T.SALON, 70, "310112008-G03", 38, 21, "欣虹V空间·智汇谷",
      alliance=AI_ALLIANCE, organizer="hq-property", description="链上企业共话算力与人才。"),
    A("枢纽站旅客志愿服务", T.VOLUNTEER_SERVICE, 25, "310112008-C04", 30, 18, "欣虹V空间·枢纽站",
      organizer="shuniu-station", description="春运返程高峰在虹桥枢纽为旅客指路、送水。"),
    A("爱博片区网格走访", T.ENTERPRISE_VISIT, 15, "310112008-G01", 12, 8,
      place="爱博片区沿街商铺", alliance=XINHONG_AREA),
    # --- Hongqiao town and Qibao: tax classroom and enterprise visits (seeds 000, 004) ---
    A("心驿税务小课堂：个税汇算", T.TRAINING, 140, "310112107", 26, 5, "心驿税务小课堂（虹桥镇党建网格阵地）",
      organizer="hongqiao"),
    A("心驿税务小课堂：外商投资企业税收", T.TRAINING, 45, "310112107", 19, 3,
      "心驿税务小课堂（虹桥镇党建网格阵地）", organizer="hongqiao"),
    *(
        A(f"七宝企业走访·{name}", T.ENTERPRISE_VISIT, days, "310112102", people, members, station,
          alliance=QIBAO_AREA, organizer="qibao", description="收集企业在融资、用工、政策方面的诉求。")
        for name, days, station, people, members in (
            ("万科广场楼宇", 165, "七宝镇企业服务站·万科广场", 14, 6),
            ("宝龙城市广场商户", 128, "七宝镇企业服务站·宝龙城市广场", 11, 4),
            ("沪星路园区", 96, "七宝镇企业服务站·沪星路", 9, 5),
            ("新镇路预约企业", 58, "七宝镇企业服务站·新镇路", 7, 3),
            ("万科广场新入驻企业", 20, "七宝镇企业服务站·万科广场", 12, 5),
        )
    ),
    A("七宝古镇实训：党史现场教学", T.PARTY_LECTURE, 80, "310112102", 45, 45, "七宝古镇干部实训点",
      organizer="qibao-tourism"),
    # --- Caohejing (seed 002) ---
    A("虹梅庭白领午间市集", T.CULTURE_SPORTS, 110, "310104012", 210, 35, "虹梅庭白领服务中心",
      alliance=CAOHEJING, organizer="hongmeiting"),
    A("漕河泾共建共治联盟季度集思会", T.FORUM, 30, "310104012", 40, 32, "虹梅庭白领服务中心",
      alliance=CAOHEJING),
    # --- The riverside alliance: volunteers along the Huangpu (seed 001) ---
    *(
        A(f"滨江志愿服务·{stretch}", T.VOLUNTEER_SERVICE, days, None, people, members, station,
          alliance=RIVERSIDE, organizer=unit, description="沿江步道清洁、游客引导和应急救助。")
        for stretch, days, station, unit, people, members in (
            ("外滩段", 175, "外滩滨江党群服务站", "waitan", 36, 20),
            ("陆家嘴段", 150, "陆家嘴滨江党群服务站", "lujiazui", 42, 25),
            ("徐汇段", 122, "徐汇滨江党群服务站", "xh-riverside-art", 30, 14),
            ("北外滩段", 88, "北外滩滨江党群服务站", None, 27, 15),
            ("杨浦段", 60, "杨浦滨江党群服务站·平凉", None, 33, 17),
            ("外滩段(国庆)", 52, "外滩滨江党群服务站", "waitan", 80, 41),
            ("陆家嘴段(跨年)", 5, "陆家嘴滨江党群服务站", "lujiazui", 65, 30),
        )
    ),
    A("滨江党建联盟联席会议", T.MEETING, 68, "310115005", 24, 24, "陆家嘴滨江党群服务站",
      alliance=RIVERSIDE),
    # --- Pudong's warm stations for delivery riders (seed 003) ---
    *(
        A(f"暖新驿站骑手服务日·{name}", T.VOLUNTEER_SERVICE, days, None, people, members, station,
          alliance=EXPRESS, organizer=unit, description="为快递小哥、外卖骑手提供歇脚、充电、饮水和义诊。")
        for name, days, station, unit, people, members in (
            ("川沙", 158, "川沙暖新驿站", "pujie-express", 120, 9),
            ("张江", 133, "张江暖新驿站", None, 95, 6),
            ("金桥", 104, "金桥暖新驿站", None, 88, 7),
            ("花木", 77, "花木暖新驿站", "puqi-delivery", 102, 8),
            ("川沙(冬季送温暖)", 12, "川沙暖新驿站", "pujie-express", 140, 11),
        )
    ),
    A("快递行业党建联盟骑手议事会", T.MEETING, 38, "310115016", 26, 12, "花木暖新驿站",
      alliance=EXPRESS, organizer="puqi-delivery", description="骑手代表就停车、充电和午餐提出建议。"),
    A("骑手交通安全培训", T.TRAINING, 22, "310115103", 60, 5, place="川沙新镇文体中心",
      alliance=EXPRESS, organizer="pujie-express"),
]
# fmt: on

FIELDS = (
    "activity_type",
    "held_on",
    "station",
    "place",
    "region",
    "alliance",
    "organizer",
    "participant_count",
    "party_member_count",
    "description",
)


def _recorder(region: Region, secretaries: list[User], staff: User) -> User:
    for secretary in secretaries:
        if region.path.startswith(secretary.region.path):
            return secretary
    return staff


@transaction.atomic
def load_activities() -> tuple[int, int]:
    """Create the demo activities that are missing, correct the others; (created, corrected).

    Skipped (0, 0) until the demo stations and a district staff account exist.
    """
    stations = {
        s.name: s
        for s in ServiceStation.objects.filter(
            name__in={a.station for a in ACTIVITIES if a.station}
        ).select_related("region")
    }
    staff = User.objects.filter(role=Role.DISTRICT_STAFF, is_active=True).order_by("pk").first()
    if not stations or staff is None:
        return 0, 0
    secretaries = list(
        User.objects.filter(role=Role.STREET_SECRETARY, is_active=True, region__isnull=False)
        .select_related("region")
        .order_by("pk")
    )
    regions = {
        r.code: r
        for r in Region.objects.filter(code__in={a.region for a in ACTIVITIES if a.region})
    }
    alliances = {
        a.name: a
        for a in Alliance.objects.filter(name__in={a.alliance for a in ACTIVITIES if a.alliance})
    }
    units = units_by_key()
    existing = {
        a.title: a for a in Activity.objects.filter(title__in=[a.title for a in ACTIVITIES])
    }
    today = timezone.localdate()
    created = corrected = 0
    for spec in ACTIVITIES:
        station = stations.get(spec.station) if spec.station else None
        region = regions.get(spec.region) if spec.region else (station.region if station else None)
        if region is None or (station is None and not spec.place):
            continue  # its station or region is not in this database
        values = {
            "activity_type": spec.activity_type,
            "held_on": today - timedelta(days=spec.days_ago),
            "station": station,
            "place": spec.place,
            "region": region,
            "alliance": alliances.get(spec.alliance) if spec.alliance else None,
            "organizer": units.get(spec.organizer) if spec.organizer else None,
            "participant_count": spec.participants,
            "party_member_count": spec.party_members,
            "description": spec.description,
        }
        activity = existing.get(spec.title)
        if activity is None:
            Activity.objects.create(
                title=spec.title,
                recorded_by=_recorder(region, secretaries, staff),
                **values,
            )
            created += 1
            continue
        differs = [
            field
            for field in FIELDS
            if getattr(activity, Activity._meta.get_field(field).attname)
            != getattr(values[field], "pk", values[field])
        ]
        if differs:
            for field in differs:
                setattr(activity, field, values[field])
            activity.save()
            corrected += 1
    return created, corrected
