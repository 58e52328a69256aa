"""A network at the size of a whole district (DESIGN.md §7), generated for measuring the portal.

Deterministic for a seed: the same preset and seed give the same rows. Rows get their ids here, in
blocks after the highest id in the table, so that rows of one model can point at rows of another
without reading them back; PostgreSQL takes them through COPY, other databases through bulk_create.
The sequences are moved past the new ids at the end. History tables are not filled: the generated
rows have no story to tell. Nothing here is for the demo: that is `load_demo`.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from alliances.choices import (
    AllianceKind,
    AllianceStatus,
    MeetingCadence,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    Rsvp,
)
from alliances.models import Alliance, Invitation, Meeting, Membership
from members import credit_code
from members.choices import Industry, PartyOrgType, UnitStatus, UnitType
from members.models import MemberUnit
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.choices import RegionLevel
from portal.regions.models import Region
from services.choices import (
    DEMAND_OPEN_STATUSES,
    ActivityType,
    ClaimKind,
    ClaimStatus,
    DemandCategory,
    DemandSource,
    DemandStatus,
    ParticipantRole,
    ProjectStatus,
    StationKind,
)
from services.models import (
    Activity,
    Claim,
    Demand,
    JointProject,
    ProjectParticipant,
    ServiceStation,
)


@dataclass(frozen=True)
class Preset:
    units: int
    alliances: int
    memberships: int
    stations: int
    activities: int
    meetings: int
    invitations_per_meeting: int
    demands: int
    projects: int
    users: int
    communities_per_street: int
    grids_per_community: int


PRESETS = {
    # DESIGN.md §7: Pudong (seed 003).
    "pudong": Preset(
        150_000, 400, 30_000, 1_500, 1_000_000, 60_000, 10, 100_000, 10_000, 20_000, 10, 4
    ),
    "medium": Preset(15_000, 40, 3_000, 150, 100_000, 6_000, 10, 10_000, 1_000, 2_000, 4, 2),
    "small": Preset(600, 8, 120, 12, 2_000, 120, 5, 300, 40, 60, 2, 1),
}

# Pudong's 12 streets and 24 towns; the codes below the district are local ones.
STREETS = [
    "潍坊新村街道",
    "陆家嘴街道",
    "周家渡街道",
    "塘桥街道",
    "上钢新村街道",
    "南码头路街道",
    "沪东新村街道",
    "金杨新村街道",
    "洋泾街道",
    "浦兴路街道",
    "东明路街道",
    "花木街道",
    "川沙新镇",
    "高桥镇",
    "北蔡镇",
    "合庆镇",
    "唐镇",
    "曹路镇",
    "金桥镇",
    "高行镇",
    "高东镇",
    "张江镇",
    "三林镇",
    "惠南镇",
    "周浦镇",
    "新场镇",
    "大团镇",
    "康桥镇",
    "航头镇",
    "祝桥镇",
    "泥城镇",
    "宣桥镇",
    "书院镇",
    "万祥镇",
    "老港镇",
    "南汇新城镇",
]

NAME_HEADS = [
    "浦",
    "江",
    "东",
    "申",
    "沪",
    "海",
    "金",
    "银",
    "华",
    "中",
    "新",
    "信",
    "恒",
    "瑞",
    "博",
    "康",
    "泰",
    "达",
    "鑫",
    "源",
    "盛",
    "宏",
    "嘉",
    "景",
    "联",
    "鼎",
    "卓",
    "智",
    "云",
    "星",
    "辰",
    "锦",
    "启",
    "致",
    "远",
    "和",
    "安",
    "明",
    "诚",
    "德",
    "润",
    "丰",
    "永",
    "立",
    "汇",
    "通",
    "宇",
    "腾",
    "创",
    "睿",
]
NAME_TRADES = {
    Industry.BIOMEDICINE: ("生物医药科技", "医疗器械", "基因技术", "药业"),
    Industry.HIGH_END_EQUIPMENT: ("智能装备", "精密机械", "自动化设备", "航空部件"),
    Industry.DIGITAL_ECONOMY: ("信息科技", "数据服务", "网络科技", "数字传媒"),
    Industry.ARTIFICIAL_INTELLIGENCE: ("人工智能", "智能科技", "机器人", "算法科技"),
    Industry.FINANCE: ("投资管理", "融资租赁", "小额贷款", "资产管理"),
    Industry.LEGAL_SERVICES: ("法律咨询", "知识产权代理", "商务咨询", "企业管理咨询"),
    Industry.LOGISTICS: ("快递服务", "物流", "供应链管理", "速运"),
    Industry.MANUFACTURING: ("新材料", "电子", "汽车零部件", "包装制品"),
    Industry.COMMERCE: ("商贸", "电子商务", "进出口贸易", "商业管理"),
    Industry.PROPERTY: ("物业管理", "置业", "公寓管理", "房地产开发"),
    Industry.CULTURE_TOURISM: ("文化传播", "旅游发展", "文化创意", "会展服务"),
    Industry.EDUCATION_HEALTH: ("教育科技", "健康管理", "培训", "养老服务"),
    Industry.PUBLIC_SERVICE: ("社区服务", "公共服务", "便民服务", "物业服务"),
    Industry.OTHER: ("实业", "发展", "科技", "服务"),
}
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "罗",
    "高",
]
GIVEN = [
    "伟",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "燕",
    "华",
    "芳",
]
ENTERPRISE_TYPES = (
    UnitType.PRIVATE_ENTERPRISE,
    UnitType.PRIVATE_ENTERPRISE,
    UnitType.PRIVATE_ENTERPRISE,
    UnitType.PRIVATE_ENTERPRISE,
    UnitType.FOREIGN_ENTERPRISE,
    UnitType.STATE_OWNED_ENTERPRISE,
    UnitType.SOCIAL_ORGANIZATION,
    UnitType.PUBLIC_INSTITUTION,
    UnitType.INDUSTRY_ASSOCIATION,
)
# About one unit in 25 has a party organization of its own (seed 003: 5,300 for 135,000 entities).
PARTY_ORGS = (
    (PartyOrgType.BRANCH,) * 14
    + (PartyOrgType.JOINT_BRANCH,) * 6
    + (
        PartyOrgType.GENERAL_BRANCH,
        PartyOrgType.GENERAL_BRANCH,
        PartyOrgType.COMMITTEE,
    )
)
PASSWORD = "Scale-pass-2026"
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


class Writer:
    """Writes rows given as dicts of attribute names; fills what the model would fill itself."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.now = datetime.now(UTC)
        self.touched: list[type[models.Model]] = []
        self.postgres = connection.vendor == "postgresql"

    def next_id(self, model: type[models.Model]) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def _columns(self, model: type[models.Model], first: dict[str, Any]) -> list[models.Field]:
        # A primary key the rows leave out is the database's to give (a through table's, say).
        return [
            f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in first)
        ]

    def _complete(self, model, fields, row: dict[str, Any]) -> tuple:
        values = []
        for f in fields:
            if f.attname in row:
                value = row[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank:
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{f.attname} needs a value")
            if isinstance(f, models.JSONField) and self.postgres:
                value = f.get_db_prep_value(value, connection)
            values.append(value)
        return tuple(values)

    def write(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        started = time.monotonic()
        rows = iter(rows)
        first = next(rows, None)
        count = 0
        if first is None:
            self.log(f"{model._meta.label}: 0 rows")
            return 0
        fields = self._columns(model, first)
        rows = itertools.chain([first], rows)
        if self.postgres:
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(self._complete(model, fields, row))
                    count += 1
        else:
            batch: list[models.Model] = []
            for row in rows:
                values = self._complete(model, fields, row)
                batch.append(model(**{f.attname: v for f, v in zip(fields, values, strict=True)}))
                if len(batch) >= 2000:
                    model.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            model.objects.bulk_create(batch)
            count += len(batch)
        self.touched.append(model)
        self.log(f"{model._meta.label}: {count} rows in {time.monotonic() - started:.1f} s")
        return count

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Generator:
    def __init__(self, preset: Preset, *, seed: int, log: Callable[[str], None]) -> None:
        self.p = preset
        self.rng = random.Random(seed)
        self.w = Writer(log)
        self.log = log

    # --- regions -------------------------------------------------------------------------------
    def regions(self) -> None:
        shanghai, _ = Region.objects.get_or_create(
            code="310000", defaults={"name": "上海市", "level": RegionLevel.PROVINCE}
        )
        pudong, _ = Region.objects.get_or_create(
            code="310115",
            defaults={"name": "浦东新区", "level": RegionLevel.DISTRICT, "parent": shanghai},
        )
        existing = {r.name: r for r in Region.objects.filter(parent=pudong)}
        streets = []
        for n, name in enumerate(STREETS):
            street = existing.get(name)
            if street is None:
                code = f"310115{900 + n:03d}"
                street, _ = Region.objects.get_or_create(
                    code=code,
                    defaults={"name": name, "level": RegionLevel.SUBDISTRICT, "parent": pudong},
                )
            streets.append(street)
        next_id = self.w.next_id(Region)
        rows = []
        for street in streets:
            for c in range(self.p.communities_per_street):
                code = f"{street.code}S{c + 1:03d}"
                community_id = next_id
                next_id += 1
                path = f"{street.path}{code}/"
                rows.append(
                    {
                        "id": community_id,
                        "code": code,
                        "name": f"{street.name}第{c + 1}居民区",
                        "level": RegionLevel.COMMUNITY,
                        "parent_id": street.pk,
                        "path": path,
                        "depth": street.depth + 1,
                    }
                )
                for g in range(self.p.grids_per_community):
                    grid_code = f"{code}-{g + 1}"
                    rows.append(
                        {
                            "id": next_id,
                            "code": grid_code,
                            "name": f"{street.name}第{c + 1}居民区{g + 1}号网格",
                            "level": RegionLevel.GRID,
                            "parent_id": community_id,
                            "path": f"{path}{grid_code}/",
                            "depth": street.depth + 2,
                        }
                    )
                    next_id += 1
        taken = set(
            Region.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)
        )
        self.w.write(Region, (r for r in rows if r["code"] not in taken))
        self.streets = streets
        self.places = list(
            Region.objects.filter(path__startswith=pudong.path)
            .exclude(pk=pudong.pk)
            .values_list("pk", "path")
        )
        self.street_of = {}
        for pk, path in self.places:
            for street in streets:
                if path.startswith(street.path):
                    self.street_of[pk] = street.pk

    # --- units ---------------------------------------------------------------------------------
    def _unit_rows(self, first_id: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        codes = set(
            MemberUnit.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
        )
        industries = list(NAME_TRADES)
        for i in range(self.p.units):
            industry = rng.choice(industries)
            unit_type = rng.choice(ENTERPRISE_TYPES)
            code = None
            while code is None or code in codes:
                code = credit_code.generate(rng, division="310115")
            codes.add(code)
            region_id, _path = rng.choice(self.places)
            party = rng.choice(PARTY_ORGS) if rng.random() < 0.04 else PartyOrgType.NONE
            head = rng.choice(NAME_HEADS) + rng.choice(NAME_HEADS)
            yield {
                "id": first_id + i,
                "name": f"上海{head}{rng.choice(NAME_TRADES[industry])}有限公司{i}",
                "credit_code": code,
                "unit_type": unit_type,
                "region_id": region_id,
                "address": f"浦东新区{rng.randint(1, 2000)}号",
                "industry": industry,
                "employee_count": rng.randint(3, 3000),
                "party_org_type": party,
                "party_member_count": rng.randint(3, 80)
                if party != PartyOrgType.NONE
                else rng.randint(0, 2),
                "org_covered": party != PartyOrgType.NONE or rng.random() < 0.3,
                "work_covered": rng.random() < 0.7,
                "key_target": rng.random() < 0.05,
                "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "contact_phone": f"139{rng.randint(0, 99_999_999):08d}",
                "contact_email": f"unit{first_id + i}@scale.example.org",
                "status": UnitStatus.ACTIVE if rng.random() < 0.97 else UnitStatus.INACTIVE,
            }

    def units(self) -> None:
        self.unit0 = self.w.next_id(MemberUnit)
        self.w.write(MemberUnit, self._unit_rows(self.unit0))
        self.unit_ids = range(self.unit0, self.unit0 + self.p.units)

    # --- alliances and memberships ---------------------------------------------------------------
    def alliances(self) -> None:
        rng = self.rng
        self.alliance0 = first = self.w.next_id(Alliance)
        kinds = list(AllianceKind.values)
        cadences = [
            MeetingCadence.MONTHLY,
            MeetingCadence.QUARTERLY,
            MeetingCadence.QUARTERLY,
            MeetingCadence.HALF_YEARLY,
        ]
        rows = []
        for i in range(self.p.alliances):
            street = self.streets[i % len(self.streets)]
            kind = rng.choice(kinds)
            rows.append(
                {
                    "id": first + i,
                    "name": f"{street.name}{AllianceKind(kind).label}{i + 1}号",
                    "short_name": f"联盟{first + i}",
                    "kind": kind,
                    "lead_unit_id": rng.choice(self.unit_ids),
                    "industry": rng.choice(list(NAME_TRADES)),
                    "founded_on": date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                    "status": AllianceStatus.ACTIVE
                    if rng.random() < 0.9
                    else AllianceStatus.DORMANT,
                    "meeting_cadence": rng.choice(cadences),
                    "description": "区域化党建联盟（规模测试数据）",
                }
            )
        self.w.write(Alliance, rows)
        self.alliance_ids = range(first, first + self.p.alliances)
        self.leads = {r["id"]: r["lead_unit_id"] for r in rows}
        through = Alliance.regions.through
        self.w.write(
            through,
            (
                {
                    "alliance_id": r["id"],
                    "region_id": self.streets[(r["id"] - first) % len(self.streets)].pk,
                }
                for r in rows
            ),
        )

    def memberships(self) -> None:
        rng = self.rng
        per = max(1, self.p.memberships // self.p.alliances)
        first = self.w.next_id(Membership)
        self.members: dict[int, list[int]] = {}
        rows = []
        for alliance_id in self.alliance_ids:
            members = {self.leads[alliance_id]}
            while len(members) < per:
                members.add(rng.choice(self.unit_ids))
            self.members[alliance_id] = list(members)
            for unit_id in members:
                lead = unit_id == self.leads[alliance_id]
                joined = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2400))
                left = (
                    joined + timedelta(days=rng.randint(30, 600))
                    if not lead and rng.random() < 0.05
                    else None
                )
                rows.append(
                    {
                        "id": first + len(rows),
                        "alliance_id": alliance_id,
                        "unit_id": unit_id,
                        "role": MembershipRole.LEAD
                        if lead
                        else rng.choice([MembershipRole.MEMBER] * 8 + [MembershipRole.DEPUTY]),
                        "joined_on": joined,
                        "left_on": left,
                        "representative": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    }
                )
        self.w.write(Membership, rows)

    # --- users -----------------------------------------------------------------------------------
    def users(self) -> None:
        rng = self.rng
        password = make_password(PASSWORD)
        first = self.w.next_id(User)
        staff = max(1, self.p.users // 200)
        secretaries = max(len(self.streets), self.p.users // 20)

        def rows():
            for i in range(self.p.users):
                if i < staff:
                    role, region, unit = Role.DISTRICT_STAFF, None, None
                elif i < staff + secretaries:
                    role, region, unit = (
                        Role.STREET_SECRETARY,
                        self.streets[i % len(self.streets)].pk,
                        None,
                    )
                else:
                    role, region, unit = Role.UNIT_CONTACT, None, rng.choice(self.unit_ids)
                yield {
                    "id": first + i,
                    "username": f"scale-{role.split('_')[0]}-{first + i}",
                    "password": password,
                    "first_name": rng.choice(GIVEN),
                    "last_name": rng.choice(SURNAMES),
                    "email": f"user{first + i}@scale.example.org",
                    "is_staff": role == Role.DISTRICT_STAFF,
                    "is_active": True,
                    "is_superuser": False,
                    "date_joined": self.w.now,
                    "role": role,
                    "region_id": region,
                    "unit_id": unit,
                }

        self.w.write(User, rows())
        self.staff_ids = range(first, first + staff)
        self.secretary_ids = range(first + staff, first + staff + secretaries)

    # --- stations and activities -----------------------------------------------------------------
    def stations(self) -> None:
        rng = self.rng
        first = self.w.next_id(ServiceStation)
        kinds = list(StationKind.values)

        def rows():
            for i in range(self.p.stations):
                region_id, _ = rng.choice(self.places)
                yield {
                    "id": first + i,
                    "name": f"{rng.choice(STREETS)}{StationKind(kinds[i % len(kinds)]).label}{i + 1}",
                    "kind": kinds[i % len(kinds)],
                    "operator_id": rng.choice(self.unit_ids) if rng.random() < 0.5 else None,
                    "region_id": region_id,
                    "address": f"浦东新区{rng.randint(1, 2000)}号",
                    "latitude": Decimal(f"{31.1 + rng.random() * 0.2:.6f}"),
                    "longitude": Decimal(f"{121.5 + rng.random() * 0.3:.6f}"),
                    "opening_hours": "周一至周五 9:00–17:00",
                    "is_public": rng.random() < 0.8,
                    "is_open": rng.random() < 0.95,
                }

        self.w.write(ServiceStation, rows())
        self.station_ids = range(first, first + self.p.stations)

    def activities(self) -> None:
        rng = self.rng
        first = self.w.next_id(Activity)
        types = list(ActivityType.values)
        recorders = list(self.secretary_ids) or list(self.staff_ids)
        span = 3 * 365
        today = date.today()

        def rows():
            for i in range(self.p.activities):
                people = rng.randint(5, 200)
                at_station = rng.random() < 0.6
                region_id, _ = rng.choice(self.places)
                yield {
                    "id": first + i,
                    "title": f"{ActivityType(types[i % len(types)]).label}活动{i + 1}",
                    "activity_type": types[i % len(types)],
                    "held_on": today - timedelta(days=rng.randint(0, span)),
                    "station_id": rng.choice(self.station_ids) if at_station else None,
                    "place": "" if at_station else "社区活动室",
                    "region_id": region_id,
                    "alliance_id": rng.choice(self.alliance_ids) if rng.random() < 0.4 else None,
                    "organizer_id": rng.choice(self.unit_ids) if rng.random() < 0.5 else None,
                    "participant_count": people,
                    "party_member_count": rng.randint(0, people),
                    "recorded_by_id": rng.choice(recorders),
                }

        self.w.write(Activity, rows())

    # --- meetings and invitations ----------------------------------------------------------------
    def meetings(self) -> None:
        rng = self.rng
        first = self.w.next_id(Meeting)
        invitation0 = self.w.next_id(Invitation)
        organizers = list(self.staff_ids) + list(self.secretary_ids)
        kinds = list(MeetingKind.values)
        now = datetime.now(UTC)
        meetings, invitations = [], []
        for i in range(self.p.meetings):
            alliance_id = self.alliance_ids[i % len(self.alliance_ids)]
            # Three years back and a quarter ahead, so that upcoming lists have rows.
            start = (
                now
                - timedelta(days=3 * 365)
                + timedelta(minutes=rng.randint(0, (3 * 365 + 90) * 24 * 60))
            )
            start = start.replace(second=0, microsecond=0)
            past = start < now
            status = (
                (MeetingStatus.HELD if rng.random() < 0.9 else MeetingStatus.CANCELLED)
                if past
                else MeetingStatus.SCHEDULED
            )
            meetings.append(
                {
                    "id": first + i,
                    "alliance_id": alliance_id,
                    "organizer_id": rng.choice(organizers),
                    "kind": rng.choice(kinds),
                    "title": f"联盟例会{i + 1}",
                    "start_at": start,
                    "end_at": start + timedelta(hours=2),
                    "address": "浦东新区党群服务中心",
                    "status": status,
                    "minutes": "会议纪要（规模测试数据）"
                    if status == MeetingStatus.HELD and rng.random() < 0.8
                    else "",
                }
            )
            members = self.members[alliance_id]
            for unit_id in rng.sample(members, min(len(members), self.p.invitations_per_meeting)):
                answered = past or rng.random() < 0.5
                rsvp = (
                    rng.choice([Rsvp.ACCEPTED, Rsvp.ACCEPTED, Rsvp.DECLINED])
                    if answered
                    else Rsvp.PENDING
                )
                invitations.append(
                    {
                        "id": invitation0 + len(invitations),
                        "meeting_id": first + i,
                        "unit_id": unit_id,
                        "rsvp": rsvp,
                        "attending_count": 1 if rsvp == Rsvp.ACCEPTED else 0,
                        "responded_at": start - timedelta(days=1) if answered else None,
                        "attended": status == MeetingStatus.HELD and rsvp == Rsvp.ACCEPTED,
                    }
                )
        self.w.write(Meeting, meetings)
        self.w.write(Invitation, invitations)

    # --- demands, projects, claims ---------------------------------------------------------------
    def projects(self) -> None:
        rng = self.rng
        first = self.w.next_id(JointProject)
        statuses = list(ProjectStatus.values)
        categories = list(DemandCategory.values)
        now = datetime.now(UTC)
        projects, participants = [], []
        for i in range(self.p.projects):
            alliance_id = rng.choice(self.alliance_ids)
            lead = self.leads[alliance_id]
            status = statuses[i % len(statuses)]
            created = now - timedelta(days=rng.randint(0, 3 * 365))
            budget = Decimal(rng.randint(10, 500) * 10_000)
            projects.append(
                {
                    "id": first + i,
                    "title": f"共建项目{i + 1}",
                    "description": "联盟成员单位共同实施的项目（规模测试数据）",
                    "alliance_id": alliance_id,
                    "lead_unit_id": lead,
                    "category": rng.choice(categories),
                    "region_id": self.streets[i % len(self.streets)].pk,
                    "status": status,
                    "starts_on": created.date(),
                    "ends_on": created.date() + timedelta(days=180),
                    "budget": budget,
                    "contract_amount": (budget * Decimal("0.8"))
                    if status != ProjectStatus.PROPOSED
                    else None,
                    "progress": 100 if status == ProjectStatus.COMPLETED else rng.randint(0, 90),
                    "completed_at": created + timedelta(days=150)
                    if status == ProjectStatus.COMPLETED
                    else None,
                    "created_by_id": rng.choice(self.staff_ids),
                    "created_at": created,
                }
            )
            taking_part = {
                lead,
                *rng.sample(self.members[alliance_id], min(2, len(self.members[alliance_id]))),
            }
            for unit_id in taking_part:
                participants.append(
                    {
                        "project_id": first + i,
                        "unit_id": unit_id,
                        "role": ParticipantRole.LEAD
                        if unit_id == lead
                        else ParticipantRole.PARTICIPANT,
                        "joined_on": created.date(),
                    }
                )
        self.w.write(JointProject, projects)
        self.w.write(ProjectParticipant, participants)
        self.project_rows = projects
        self.participants = {(p["project_id"], p["unit_id"]) for p in participants}

    def demands(self) -> None:
        rng = self.rng
        first = self.w.next_id(Demand)
        statuses = [s for s in DemandStatus.values if s != DemandStatus.MERGED]
        categories = list(DemandCategory.values)
        sources = list(DemandSource.values)
        now = datetime.now(UTC)
        today = now.date()
        projects = [p["id"] for p in self.project_rows]

        def rows():
            for i in range(self.p.demands):
                status = statuses[i % len(statuses)]
                created = now - timedelta(
                    days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 1440)
                )
                unit_id = rng.choice(self.unit_ids)
                region_id, _ = rng.choice(self.places)
                reached = DemandStatus.values.index(status)
                assigned = status in (
                    DemandStatus.ASSIGNED,
                    DemandStatus.IN_PROGRESS,
                    DemandStatus.RESOLVED,
                    DemandStatus.CLOSED,
                )
                resolved = status in (DemandStatus.RESOLVED, DemandStatus.CLOSED)
                assigned_at = created + timedelta(days=rng.randint(1, 5)) if assigned else None
                due = assigned_at.date() + timedelta(days=15) if assigned_at else None
                resolved_at = assigned_at + timedelta(days=rng.randint(1, 40)) if resolved else None
                open_ = status in DEMAND_OPEN_STATUSES
                yield {
                    "id": first + i,
                    "title": f"{DemandCategory(categories[i % len(categories)]).label}需求{i + 1}",
                    "description": "企业提出的发展诉求（规模测试数据）",
                    "category": categories[i % len(categories)],
                    "source": rng.choice(sources),
                    "unit_id": unit_id,
                    "region_id": region_id,
                    "status": status,
                    "assignee_unit_id": rng.choice(self.unit_ids) if assigned else None,
                    "due_on": due,
                    "is_overdue": bool(open_ and due and due < today),
                    "resolution": "已办结" if resolved else "",
                    "satisfaction": rng.randint(1, 5) if status == DemandStatus.CLOSED else None,
                    "project_id": rng.choice(projects)
                    if projects and rng.random() < 0.01
                    else None,
                    "accepted_at": created + timedelta(hours=6)
                    if reached >= 1 and status != DemandStatus.REJECTED
                    else None,
                    "assigned_at": assigned_at,
                    "resolved_at": resolved_at,
                    "closed_at": resolved_at + timedelta(days=3)
                    if status == DemandStatus.CLOSED
                    else None,
                    "created_at": created,
                }

        self.w.write(Demand, rows())

    def claims(self) -> None:
        rng = self.rng
        rows = []
        for project in self.project_rows:
            if project["status"] not in (
                ProjectStatus.OPEN,
                ProjectStatus.CLAIMED,
                ProjectStatus.IN_PROGRESS,
            ):
                continue
            unit_id = rng.choice(self.members[project["alliance_id"]])
            if (project["id"], unit_id) in self.participants:
                continue
            rows.append(
                {
                    "kind": ClaimKind.UNIT_CLAIMS_PROJECT,
                    "project_id": project["id"],
                    "unit_id": unit_id,
                    "role": ParticipantRole.PARTICIPANT,
                    "status": rng.choice(
                        [ClaimStatus.PENDING, ClaimStatus.ACCEPTED, ClaimStatus.DECLINED]
                    ),
                    "message": "我单位愿意参与",
                }
            )
        self.w.write(Claim, rows)

    def run(self) -> None:
        with transaction.atomic():
            self.regions()
            self.units()
            self.alliances()
            self.memberships()
            self.users()
            self.stations()
            self.activities()
            self.meetings()
            self.projects()
            self.demands()
            self.claims()
            self.w.reset_sequences()
        if self.w.postgres:
            with connection.cursor() as cursor:
                # As a live database is after autovacuum has been by: statistics, and the pages marked
                # all-visible, so that a benchmark right after generation is not measuring the first
                # reads setting hint bits and autovacuum working through a million fresh rows.
                # (VACUUM cannot run in a transaction, as under a test: ANALYZE alone there.)
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
