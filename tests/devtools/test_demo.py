"""The demo network of DESIGN.md §8: loaded twice it stays the same, and its shape follows the seeds."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from alliances.choices import AllianceKind, AllianceStatus, MembershipRole
from alliances.models import Alliance, Membership
from devtools.demo.alliances import ALLIANCES, BIOMEDICINE, HUB, memberships_of
from devtools.demo.units import UNITS, UNITS_BY_KEY
from members import credit_code
from members.choices import CREDIT_CODE_REQUIRED, Industry, PartyOrgType, UnitType
from members.models import MemberUnit
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.models import Region

pytestmark = pytest.mark.django_db

YANGTZE_DELTA = ("长三角人工智能党建联盟", "长三角医药产业链党建联盟", "枢纽党建·城市连廊")
JIANGSU_ZHEJIANG_ANHUI = {"320000", "330000", "340000"}


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def _counts() -> dict[str, int]:
    historical_regions = Alliance.history.model.regions.model
    return {
        "regions": Region.objects.count(),
        "units": MemberUnit.objects.count(),
        "alliances": Alliance.objects.count(),
        "alliance regions": Alliance.regions.through.objects.count(),
        "memberships": Membership.objects.count(),
        "users": User.objects.count(),
        "region history": Region.history.count(),
        "unit history": MemberUnit.history.count(),
        "alliance history": Alliance.history.count(),
        "alliance region history": historical_regions.objects.count(),
        "membership history": Membership.history.count(),
        "user history": User.history.count(),
    }


def test_loading_twice_changes_nothing_not_even_the_history(capsys):
    call_command("load_demo")
    first = _counts()
    capsys.readouterr()
    call_command("load_demo")
    assert _counts() == first
    assert first["units"] == len(UNITS)
    assert first["alliances"] == len(ALLIANCES)
    assert first["memberships"] == sum(len(memberships_of(spec)) for spec in ALLIANCES)
    # Every row was created with its history, the alliances' regions included.
    assert first["unit history"] == first["units"]
    assert first["alliance history"] == first["alliances"]
    assert first["alliance region history"] == first["alliance regions"]
    assert 80 <= first["units"] <= 150


def test_a_changed_demo_unit_is_corrected_and_nothing_else_moves(demo):
    unit = MemberUnit.objects.get(name="上海虹润生物医药科技有限公司")
    unit.employee_count = 1
    unit.save()
    before = _counts()
    call_command("load_demo", stdout=StringIO())
    unit.refresh_from_db()
    assert unit.employee_count > 1
    assert _counts() == before | {"unit history": before["unit history"] + 1}


def test_the_hub_has_the_four_industry_clusters_and_the_areas_as_children(demo):
    hub = Alliance.objects.get(name=HUB)
    assert hub.kind == AllianceKind.HUB
    assert hub.lead_unit.name == "中共上海市闵行区委组织部"
    assert hub.lead_unit.unit_type == UnitType.GOVERNMENT_DEPARTMENT
    clusters = hub.children.filter(kind=AllianceKind.INDUSTRY_CLUSTER)
    assert {c.industry for c in clusters} == {
        Industry.BIOMEDICINE,
        Industry.HIGH_END_EQUIPMENT,
        Industry.DIGITAL_ECONOMY,
        Industry.ARTIFICIAL_INTELLIGENCE,
    }
    assert clusters.count() == 4
    areas = hub.children.exclude(kind=AllianceKind.INDUSTRY_CLUSTER)
    assert {a.lead_unit.region.name for a in areas} >= {"新虹街道", "虹桥镇", "华漕镇", "七宝镇"}
    assert {a.lead_unit.unit_type for a in areas} == {UnitType.SUBDISTRICT_COMMITTEE}
    assert hub.mechanisms == ["党群联动", "发展联推", "社会联治", "服务联手", "人才联育"]


def test_biomedicine_is_one_plus_three(demo):
    biomedicine = Alliance.objects.get(name=BIOMEDICINE)
    children = sorted(c.short_name for c in biomedicine.children.all())
    assert children == ["大浦江生物医药", "大虹桥生物医药", "大零号湾生物医药"]
    assert biomedicine.meeting_cadence == "quarterly"  # 季度集思会


def test_cross_regional_alliances_span_jiangsu_zhejiang_and_anhui(demo):
    for name in YANGTZE_DELTA:
        alliance = Alliance.objects.get(name=name)
        assert alliance.kind == AllianceKind.CROSS_REGIONAL
        provinces = {r.path.split("/")[0] for r in alliance.regions.all()}
        assert provinces >= JIANGSU_ZHEJIANG_ANHUI | {"310000"}, name
        members = Membership.objects.current().filter(alliance=alliance)
        unit_provinces = {m.unit.region.path.split("/")[0] for m in members}
        assert unit_provinces >= JIANGSU_ZHEJIANG_ANHUI, name
    corridor = Alliance.objects.get(name="枢纽党建·城市连廊")
    departments = MemberUnit.objects.filter(
        memberships__alliance=corridor, memberships__role=MembershipRole.MEMBER
    )
    assert departments.count() == 7
    assert {u.unit_type for u in departments} == {UnitType.GOVERNMENT_DEPARTMENT}
    assert {u.region.name for u in departments} == {
        "苏州市", "南通市", "盐城市", "宁波市", "嘉兴市", "衢州市", "芜湖市",
    }  # fmt: skip


def test_the_other_seed_networks_are_there(demo):
    caohejing = Alliance.objects.get(name="漕河泾开发园区共建共治联盟")
    assert caohejing.lead_unit.region.name == "虹梅路街道"
    assert caohejing.children.count() == 5
    assert Alliance.objects.get(name="浦东新区快递行业党建联盟").kind == AllianceKind.SECTOR
    riverside = Alliance.objects.get(name="滨江党建跨区域联盟")
    districts = {r.code for r in riverside.regions.all() if r.level == "district"}
    assert len(districts) == 5
    assert riverside.regions.filter(level="subdistrict").count() == 20
    xinhong = Alliance.objects.filter(lead_unit__region__code="310112008")
    assert {a.kind for a in xinhong} >= {AllianceKind.STREET_GOVERNANCE}
    assert Alliance.objects.filter(status=AllianceStatus.DORMANT).count() == 1
    assert set(Alliance.objects.values_list("status", flat=True)) <= {"active", "dormant"}


def test_units_are_valid_with_unique_credit_codes_and_plausible_contacts(demo):
    units = list(MemberUnit.objects.all())
    codes = [u.credit_code for u in units if u.credit_code]
    assert codes and len(codes) == len(set(codes))
    assert all(credit_code.is_valid(code) for code in codes)
    for unit in units:
        unit.full_clean()
        assert unit.credit_code or unit.unit_type not in CREDIT_CODE_REQUIRED
        assert unit.credit_code is None or unit.region.code.startswith(unit.credit_code[2:8])
        assert re.fullmatch(r"1[3-9]\d{9}", unit.contact_phone), unit.contact_phone
        assert unit.contact_email.endswith(".example.com")
        assert unit.org_covered == (unit.party_org_type != PartyOrgType.NONE), unit.name
        assert unit.work_covered >= unit.org_covered
        assert unit.party_member_count <= unit.employee_count or unit.unit_type in (
            UnitType.COMMUNITY_COMMITTEE,
            UnitType.INDUSTRY_ASSOCIATION,
        )
    assert len({u.party_org_type for u in units}) == len(PartyOrgType.values)
    assert len({u.unit_type for u in units}) >= 8


def test_connectors_key_targets_and_history(demo):
    connectors = MemberUnit.objects.annotate(
        current=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    ).filter(current__gte=2)
    assert connectors.count() >= 5
    uncovered = MemberUnit.objects.filter(key_target=True, party_org_type=PartyOrgType.NONE)
    assert uncovered.exists()
    assert uncovered.filter(work_covered=False).exists()  # a gap the portal should show
    ended = Membership.objects.filter(left_on__isnull=False)
    assert ended.count() >= 5
    for membership in ended:
        history = membership.history.order_by("history_id")
        assert [h.history_type for h in history] == ["+", "~"]  # joined, then left
        assert [h.left_on for h in history] == [None, membership.left_on]
        assert membership.history.earliest("history_date").history_date.date() <= (
            membership.left_on
        )
    rejoined = Membership.objects.filter(
        unit__name="上海博沁基因技术有限公司", alliance__name=BIOMEDICINE
    )
    assert [m.left_on is None for m in rejoined.order_by("joined_on")] == [False, True]


def test_the_unit_account_speaks_for_a_biomedicine_member(demo):
    user = User.objects.get(username="unit")
    assert user.role == Role.UNIT_CONTACT
    assert user.check_password("Unit-demo-2026")
    assert user.unit is not None
    assert Membership.objects.current().filter(unit=user.unit, alliance__name=BIOMEDICINE).exists()
    assert user.unit.name == UNITS_BY_KEY["hongrun-bio"].name


def test_meetings_of_the_last_two_quarters_held_with_minutes_and_upcoming_with_invitations(demo):
    from django.utils import timezone

    from alliances.choices import MeetingStatus, Rsvp
    from alliances.models import Invitation, Meeting
    from reports.periods import Quarter

    last = Quarter.last_completed().period
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    in_last = held.filter(start_at__gte=last.start_at, start_at__lt=last.end_at)
    assert in_last.count() >= 4
    assert all(m.minutes and m.decisions for m in held)
    assert Invitation.objects.filter(meeting__in=held, attended=True).exists()
    upcoming = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, start_at__gt=timezone.now())
    assert upcoming.count() >= 3
    answers = set(Invitation.objects.filter(meeting__in=upcoming).values_list("rsvp", flat=True))
    assert {Rsvp.ACCEPTED, Rsvp.PENDING} <= answers
    # The demo unit contact is invited to something ahead.
    contact = User.objects.get(username="unit")
    assert Invitation.objects.filter(meeting__in=upcoming, unit=contact.unit).exists()


def test_last_quarter_has_demands_and_meetings_to_report(demo):
    from reports.actions import quarterly_report_build
    from reports.periods import Quarter

    report = quarterly_report_build(quarter=Quarter.last_completed())
    sections = report.indicators["sections"]
    assert sections["meetings"]["figures"]["held"]["value"] >= 4
    assert sections["demands"]["figures"]["collected"]["value"] >= 4
    assert sections["demands"]["figures"]["resolved"]["value"] >= 3
    assert sections["activities"]["figures"]["count"]["value"] > 0


@pytest.mark.broker
def test_last_quarters_reports_are_queued_for_the_worker_once(django_capture_on_commit_callbacks):
    from reports.periods import Quarter
    from reports.tasks import build_quarterly_reports
    from tests.broker import take_from_broker

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    quarter = str(Quarter.last_completed())
    assert take_from_broker(build_quarterly_reports.name, [quarter]) is not None
    assert Quarter.last_completed().label in out.getvalue()
