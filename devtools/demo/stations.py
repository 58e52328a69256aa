"""The service stations of the demo network (DESIGN.md §8), from the seed articles.

Names and kinds follow the seeds: Xinhong street's 欣虹空间 and its five V-spaces (seed 000), the
enterprise service stations Qibao town opened in the business district (seed 000), the riverside
stations along the Huangpu (seed 001), Pudong's warm stations for delivery riders (seed 003).
Coordinates are plausible WGS-84 points in the right street, not surveyed positions; phone numbers
and exact addresses are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from devtools.demo.units import units_by_key
from portal.regions.models import Region
from services.actions.stations import station_close, station_create, station_update
from services.choices import StationKind as K
from services.models import ServiceCategory, ServiceStation

WEEKDAYS = "周一至周五 9:00–17:00"
LONG_DAYS = "每天 8:30–20:30"
ALWAYS = "全天开放"


@dataclass(frozen=True)
class DemoStation:
    name: str  # the natural key: unique among the demo stations
    kind: str
    region: str  # region code (devtools.demo.regions.REGIONS)
    address: str
    latitude: str
    longitude: str
    services: tuple[str, ...]  # catalogue codes (services/migrations/0002)
    operator: str | None = None  # a unit key of devtools.demo.units
    opening_hours: str = WEEKDAYS
    phone: str = ""
    description: str = ""
    is_public: bool = True
    closed_on: date | None = None


S = DemoStation
POLICY, TAX, LEGAL, CANTEEN, CHILDCARE = (
    "policy-consulting",
    "tax-classroom",
    "legal-aid",
    "canteen",
    "childcare",
)
REST, CHARGING, WATER, READING, ROOM = (
    "rest-stop",
    "charging",
    "drinking-water",
    "reading",
    "meeting-room",
)

# fmt: off
STATIONS: list[DemoStation] = [
    # --- Xinhong street: the business district's party-building center and its five V-spaces ---
    S("欣虹空间（虹桥商务区党群服务中心）", K.PARTY_CENTER, "310112008", "上海市闵行区申长路988弄虹桥万科中心1楼",
      "31.193480", "121.317920", (POLICY, LEGAL, READING, ROOM, REST, WATER), "xinhong", LONG_DAYS, "021-64030001",
      "“午间欣党课”“乐之欣学堂”等“欣系列”服务项目的主阵地，为商务区白领打造8小时以外的生活平台。"),
    S("欣虹V空间·枢纽站", K.PARTY_STATION, "310112008-C04", "上海市闵行区申贵路1500号虹桥天地B1层",
      "31.195210", "121.321360", (POLICY, REST, WATER, CHARGING), "shuniu-station", LONG_DAYS, "021-64030002"),
    S("欣虹V空间·爱博", K.PARTY_STATION, "310112008-C01", "上海市闵行区爱博二路68号",
      "31.203950", "121.333860", (READING, CHILDCARE, REST, WATER), "aibo-1", WEEKDAYS, "021-64030003",
      "暑期开设“爱心暑托班”，服务商务区职工子女。"),
    S("欣虹V空间·华美", K.PARTY_STATION, "310112008-C02", "上海市闵行区华美路518号",
      "31.186420", "121.330710", (LEGAL, READING, ROOM), "huamei-road", WEEKDAYS, "021-64030004"),
    S("欣虹V空间·航华", K.PARTY_STATION, "310112008-C03", "上海市闵行区航华一路88号",
      "31.179860", "121.350240", (CANTEEN, REST, WATER, CHARGING), "hanghua-1", LONG_DAYS, "021-64030005"),
    S("欣虹V空间·智汇谷", K.SHARED_SPACE, "310112008-G03", "上海市闵行区申长路1466弄5号",
      "31.190330", "121.318650", (POLICY, TAX, ROOM), "hq-property", WEEKDAYS, "021-64030006",
      "人工智能产业链党建联盟的共享会客厅。"),
    # --- Hongqiao town: the tax classroom at a party-building grid post ---
    S("心驿税务小课堂（虹桥镇党建网格阵地）", K.PARTY_STATION, "310112107", "上海市闵行区虹桥镇吴中路1189号",
      "31.183960", "121.391280", (TAX, POLICY), "hongqiao", WEEKDAYS, "021-64060010",
      "税务专员蹲点，为企业和外商提供税务咨询。"),
    # --- Qibao town: enterprise service stations in the business district (4 of the 16) ---
    S("七宝镇企业服务站·万科广场", K.ENTERPRISE_STATION, "310112102", "上海市闵行区漕宝路3366号",
      "31.160210", "121.350880", (POLICY, TAX, LEGAL, ROOM), "qibao", WEEKDAYS, "021-64190101"),
    S("七宝镇企业服务站·宝龙城市广场", K.ENTERPRISE_STATION, "310112102", "上海市闵行区七莘路1999号",
      "31.147620", "121.349330", (POLICY, TAX, ROOM), "baoxiang-commerce", WEEKDAYS, "021-64190102"),
    S("七宝镇企业服务站·沪星路", K.ENTERPRISE_STATION, "310112102", "上海市闵行区沪星路358号",
      "31.167450", "121.339520", (POLICY, LEGAL), "qibao-chamber", WEEKDAYS, "021-64190103"),
    S("七宝镇企业服务站·新镇路", K.ENTERPRISE_STATION, "310112102", "上海市闵行区新镇路1299号",
      "31.156970", "121.361480", (POLICY, TAX), "qibao", WEEKDAYS, "021-64190104",
      is_public=False, description="只接待预约企业，不在公共地图上显示。"),
    S("七宝古镇干部实训点", K.TRAINING_BASE, "310112102", "上海市闵行区青年路1号",
      "31.155380", "121.344870", (ROOM, READING), "qibao-tourism", WEEKDAYS, "021-64190200"),
    # --- Xuhui: Caohejing's white-collar service center ---
    S("虹梅庭白领服务中心", K.PARTY_CENTER, "310104012", "上海市徐汇区桂平路391号",
      "31.171320", "121.397180", (POLICY, LEGAL, CANTEEN, READING, ROOM), "hongmeiting", LONG_DAYS, "021-54260001"),
    # --- The riverside cross-district alliance: stations strung along the Huangpu ---
    S("外滩滨江党群服务站", K.PARTY_STATION, "310101013", "上海市黄浦区中山东二路22号",
      "31.236780", "121.491470", (REST, WATER, CHARGING, READING), "waitan", ALWAYS, "021-63210001"),
    S("小东门滨江党群服务站", K.PARTY_STATION, "310101017", "上海市黄浦区外马路588号",
      "31.226150", "121.502630", (REST, WATER, CHARGING), "xiaodongmen", LONG_DAYS, "021-63210002"),
    S("北外滩滨江党群服务站", K.PARTY_STATION, "310109016", "上海市虹口区东大名路578号",
      "31.249960", "121.500870", (REST, WATER, READING), "beiwaitan", LONG_DAYS, "021-65410001"),
    S("陆家嘴滨江党群服务站", K.PARTY_STATION, "310115005", "上海市浦东新区滨江大道2967号",
      "31.240390", "121.499520", (REST, WATER, CHARGING, READING), "lujiazui", ALWAYS, "021-58870001"),
    S("塘桥滨江党群服务站", K.PARTY_STATION, "310115008", "上海市浦东新区滨江大道5500号",
      "31.213060", "121.505910", (REST, WATER), "tangqiao", LONG_DAYS, "021-58870002"),
    S("南码头滨江党群服务站", K.PARTY_STATION, "310115010", "上海市浦东新区南码头路1号",
      "31.198410", "121.497350", (REST, WATER, CHARGING), "nanmatou", LONG_DAYS, "021-58870003"),
    S("杨浦滨江党群服务站·平凉", K.PARTY_STATION, "310110006", "上海市杨浦区杨树浦路1500号",
      "31.255380", "121.527640", (REST, WATER, READING), "pingliang", LONG_DAYS, "021-65150001"),
    S("杨浦滨江党群服务站·大桥", K.PARTY_STATION, "310110018", "上海市杨浦区杨树浦路2310号",
      "31.262270", "121.539620", (REST, WATER), "daqiao", LONG_DAYS, "021-65150002"),
    S("徐汇滨江党群服务站", K.PARTY_STATION, "310104016", "上海市徐汇区龙腾大道2555号",
      "31.183760", "121.464320", (REST, WATER, CHARGING, READING), "xh-riverside-art", ALWAYS, "021-54260101"),
    # --- Pudong: warm stations (暖新驿站) for delivery riders ---
    S("川沙暖新驿站", K.WARM_STATION, "310115103", "上海市浦东新区川沙路5558号",
      "31.194870", "121.699320", (REST, WATER, CHARGING, CANTEEN), "chuansha", ALWAYS, "021-58920001"),
    S("张江暖新驿站", K.WARM_STATION, "310115125", "上海市浦东新区祖冲之路2288号",
      "31.204230", "121.594150", (REST, WATER, CHARGING), "zhangjiang", ALWAYS, "021-58920002"),
    S("金桥暖新驿站", K.WARM_STATION, "310115120", "上海市浦东新区金桥路1399号",
      "31.254680", "121.612930", (REST, WATER, CHARGING, CANTEEN), "dongan-freight", ALWAYS, "021-58920003"),
    S("花木暖新驿站", K.WARM_STATION, "310115016", "上海市浦东新区锦绣路1000号",
      "31.212470", "121.548860", (REST, WATER, CHARGING, LEGAL), "puqi-delivery", ALWAYS, "021-58920004"),
    S("浦捷速递川沙站点骑手之家", K.WARM_STATION, "310115103", "上海市浦东新区华夏东路2020号",
      "31.178630", "121.682410", (REST, WATER, CHARGING), "pujie-express", LONG_DAYS, "021-58920005",
      is_public=False, description="企业自建，只对本公司骑手开放。"),
    S("三林暖新驿站", K.WARM_STATION, "310115130", "上海市浦东新区三林路1850号",
      "31.145320", "121.512270", (REST, WATER), "sanlin-express", ALWAYS, "021-58920006",
      closed_on=date(2026, 6, 30), description="运营单位停业后关闭。"),
]
# fmt: on


# The catalogue as services/migrations/0002 seeds it, for a database whose catalogue was emptied
# (a flushed test database) or predates the migration's rows.
CATALOGUE = [
    (POLICY, "政策咨询"),
    (TAX, "税务课堂"),
    (LEGAL, "法律援助"),
    (CANTEEN, "爱心餐/食堂"),
    (CHILDCARE, "托育/爱心暑托"),
    (REST, "歇脚休息"),
    (CHARGING, "充电"),
    (WATER, "饮水"),
    (READING, "阅读"),
    (ROOM, "会议室"),
]


@transaction.atomic
def load_catalogue() -> int:
    """Add the catalogue's services that are missing (by code or name); returns how many were added."""
    taken = set()
    for code, name in ServiceCategory.objects.values_list("code", "name"):
        taken.update((code, name))
    new = [
        ServiceCategory(code=code, name=name, position=position * 10)
        for position, (code, name) in enumerate(CATALOGUE, start=1)
        if code not in taken and name not in taken
    ]
    if new:
        bulk_create_with_history(new, ServiceCategory)
    return len(new)


def _values(spec: DemoStation, regions: dict, units: dict) -> dict:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "operator": units.get(spec.operator) if spec.operator else None,
        "region": regions[spec.region],
        "address": spec.address,
        "latitude": Decimal(spec.latitude),
        "longitude": Decimal(spec.longitude),
        "opening_hours": spec.opening_hours,
        "phone": spec.phone,
        "description": spec.description,
        "is_public": spec.is_public,
    }


def _differs(station: ServiceStation, name: str, value) -> bool:
    if name in ("operator", "region"):  # compare keys: no query for the related row
        return getattr(station, f"{name}_id") != (value.pk if value else None)
    return getattr(station, name) != value


@transaction.atomic
def load_stations() -> tuple[int, int]:
    """Create or correct the demo stations (after regions and units); returns (created, corrected).

    A station is known by its name. Running it twice changes nothing, not even the history.
    """
    load_catalogue()
    regions = {r.code: r for r in Region.objects.filter(code__in={s.region for s in STATIONS})}
    units = units_by_key()
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    existing: dict[str, ServiceStation] = {}
    for station in (
        ServiceStation.objects.filter(name__in=[spec.name for spec in STATIONS])
        .order_by("id")
        .prefetch_related("services")
    ):
        existing.setdefault(station.name, station)
    created = corrected = 0
    for spec in STATIONS:
        values = _values(spec, regions, units)
        services = [categories[code] for code in spec.services if code in categories]
        station = existing.get(spec.name)
        if station is None:
            station = station_create(by=None, services=services, **values)
            created += 1
        else:
            changed = {k: v for k, v in values.items() if _differs(station, k, v)}
            same_services = {s.pk for s in station.services.all()} == {s.pk for s in services}
            if changed or not same_services:
                station_update(
                    station=station,
                    by=None,
                    services=None if same_services else services,
                    **changed,
                )
                corrected += 1
        if spec.closed_on and station.is_open:
            station_close(station=station, by=None, closed_on=spec.closed_on)
    return created, corrected
