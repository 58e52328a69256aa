"""Each section's indicators on a small hand-made network, the expected numbers worked out by hand."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from reports.indicators import (
    Scope,
    compute_indicators,
    percent,
    planned_meetings,
    quarter_indicators,
    with_change,
)
from reports.periods import Period, Quarter, months_back, quarter_to_date
from services.models import Claim, Demand, JointProject
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    ClaimFactory,
    DemandFactory,
    InvitationFactory,
    JointProjectFactory,
    MeetingFactory,
    MembershipFactory,
    MemberUnitFactory,
    ServiceStationFactory,
)

from .conftest import Q3, at

pytestmark = pytest.mark.django_db


def figures(result, section):
    return {key: f["value"] for key, f in result["sections"][section]["figures"].items()}


def previous(result, section):
    return {key: f["previous"] for key, f in result["sections"][section]["figures"].items()}


def nonzero(rows, *keys):
    return {
        (row.get("name") if "name" in row else row["key"]): tuple(row[k] for k in keys)
        for row in rows
        if any(row[k] for k in keys)
    }


# --- arithmetic ---------------------------------------------------------------------------------


def test_4092_collected_and_3287_resolved_give_80_3_percent():
    assert percent(3287, 4092) == 80.3


def test_percent_rounds_half_up_and_is_none_of_nothing():
    assert percent(1, 8) == 12.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(1, 0) is None
    assert percent(0, 5) == 0.0


def test_a_change_is_absolute_and_relative_for_counts_and_in_points_for_percentages():
    assert with_change(15, 12, "count") == {
        "value": 15,
        "previous": 12,
        "change": 3,
        "change_rate": 25.0,
    }
    assert with_change(80.3, 75.0, "percent")["change"] == 5.3
    assert with_change(80.3, 75.0, "percent")["change_rate"] is None
    assert with_change("125000.50", "100000.00", "amount")["change"] == "25000.50"
    assert with_change("125000.50", "100000.00", "amount")["change_rate"] == 25.0
    assert with_change(3, 0, "count")["change_rate"] is None
    assert with_change(None, 2, "days")["change"] is None


def test_quarters_parse_and_know_their_days():
    assert Quarter.parse("2026Q3") == Quarter.parse("2026-q3") == Quarter(2026, 3)
    with pytest.raises(ValueError):
        Quarter.parse("2026Q5")
    assert Q3.period == Period(datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter.last_completed(datetime.date(2026, 10, 1)) == Q3
    assert Q3.period.start_at == at(2026, 7, 1, 0)


def test_the_dashboard_compares_with_as_many_days_of_the_last_quarter():
    current, earlier = quarter_to_date(datetime.date(2026, 11, 9))
    assert current == Period(datetime.date(2026, 10, 1), datetime.date(2026, 11, 10))
    assert earlier == Period(datetime.date(2026, 7, 1), datetime.date(2026, 8, 10))
    # The last day of a long quarter against a shorter one: cut at that quarter's end.
    current, earlier = quarter_to_date(datetime.date(2026, 6, 30))
    assert earlier == Period(datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))


def test_months_back_lists_twelve_firsts_ending_with_the_last_days_month():
    months = months_back(datetime.date(2026, 9, 30))
    assert months[0] == datetime.date(2025, 10, 1) and months[-1] == datetime.date(2026, 9, 1)
    assert len(months) == 12


def test_planned_meetings_follow_the_cadence():
    assert [planned_meetings("monthly", q) for q in (1, 2, 3, 4)] == [3, 3, 3, 3]
    assert [planned_meetings("quarterly", q) for q in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert [planned_meetings("half_yearly", q) for q in (1, 2, 3, 4)] == [0, 1, 0, 1]
    assert [planned_meetings("yearly", q) for q in (1, 2, 3, 4)] == [0, 0, 0, 1]
    assert planned_meetings("none", 4) == 0


# --- network ------------------------------------------------------------------------------------


@pytest.fixture
def network(streets):
    a = AllianceFactory(name="甲联盟", founded_on=datetime.date(2025, 1, 1))
    b = AllianceFactory(name="乙联盟", meeting_cadence="monthly")
    AllianceFactory(name="休眠联盟", status="dormant")
    AllianceFactory(name="十月成立", founded_on=datetime.date(2026, 10, 1))
    AllianceFactory(name="甲的子联盟", parent=a, meeting_cadence="half_yearly")
    u1 = MemberUnitFactory(region=streets.s1, unit_type="private_enterprise")
    u2 = MemberUnitFactory(region=streets.s1, unit_type="social_organization")
    u3 = MemberUnitFactory(region=streets.s2)
    u4 = MemberUnitFactory(region=streets.s2)
    day = datetime.date
    MembershipFactory(alliance=a, unit=u1, role="lead", joined_on=day(2025, 1, 1))
    MembershipFactory(alliance=a, unit=u2, joined_on=day(2026, 8, 1))
    MembershipFactory(alliance=a, unit=u3, joined_on=day(2025, 5, 1), left_on=day(2026, 9, 10))
    MembershipFactory(alliance=b, unit=u1, role="deputy", joined_on=day(2026, 7, 15))
    MembershipFactory(alliance=b, unit=u4, joined_on=day(2026, 10, 5))
    return {"a": a, "b": b}


def test_network_counts_alliances_memberships_joined_and_left(network):
    result = quarter_indicators(Scope.district(), Q3)
    # Active at the end of September: 甲, 乙 and 甲的子联盟 (休眠 is dormant, 十月成立 came later).
    # Current then: u1 in 甲 and 乙, u2 in 甲 (joined in August); u3 left 甲 in September.
    assert figures(result, "network") == {
        "alliances_active": 3,
        "member_units": 2,
        "memberships": 3,
        "units_joined": 2,
        "units_left": 1,
    }
    # At the end of June: u1 and u3 in 甲; nobody joined or left in the second quarter.
    assert previous(result, "network") == {
        "alliances_active": 3,
        "member_units": 2,
        "memberships": 2,
        "units_joined": 0,
        "units_left": 0,
    }
    network_section = result["sections"]["network"]
    assert nonzero(network_section["by_role"], "count") == {
        "lead": (1,),
        "deputy": (1,),
        "member": (1,),
    }
    assert nonzero(network_section["by_unit_type"], "count") == {
        "private_enterprise": (1,),
        "social_organization": (1,),
    }
    assert network_section["figures"]["units_joined"]["change"] == 2


def test_an_alliance_counts_its_sub_alliances_and_its_own_members(network):
    result = quarter_indicators(Scope.for_alliance(network["a"]), Q3)
    assert figures(result, "network") == {
        "alliances_active": 1,
        "member_units": 2,
        "memberships": 2,
        "units_joined": 1,
        "units_left": 1,
    }


# --- coverage -----------------------------------------------------------------------------------


def test_coverage_shares_of_the_active_units(streets):
    u1 = MemberUnitFactory(
        region=streets.s1,
        party_org_type="branch",
        org_covered=True,
        work_covered=True,
        key_target=True,
        party_member_count=10,
    )
    MemberUnitFactory(
        region=streets.s1,
        party_org_type="none",
        org_covered=False,
        work_covered=True,
        key_target=True,
        party_member_count=0,
    )
    MemberUnitFactory(
        region=streets.s2, party_org_type="committee", org_covered=True, party_member_count=20
    )
    MemberUnitFactory(
        region=streets.s2, party_org_type="none", org_covered=False, party_member_count=0
    )
    MemberUnitFactory(region=streets.s2, status="inactive", party_member_count=50)
    result = quarter_indicators(Scope.district(), Q3)
    # Four active units: two with a party organization, both organization-covered (2/4); u1 and
    # u2 work-covered (2/4); both key targets covered one way or the other (2/2); 10 + 20 members.
    assert figures(result, "coverage") == {
        "units": 4,
        "party_orgs": 2,
        "org_covered": 2,
        "org_coverage": 50.0,
        "work_covered": 2,
        "work_coverage": 50.0,
        "key_targets": 2,
        "key_targets_covered": 2,
        "key_target_coverage": 100.0,
        "party_members": 30,
    }
    alliance = AllianceFactory()
    MembershipFactory(alliance=alliance, unit=u1, joined_on=datetime.date(2026, 1, 5))
    mine = quarter_indicators(Scope.for_alliance(alliance), Q3)
    assert figures(mine, "coverage")["units"] == 1
    assert figures(mine, "coverage")["org_coverage"] == 100.0
    assert figures(mine, "coverage")["party_members"] == 10


# --- activities and stations --------------------------------------------------------------------


@pytest.fixture
def activity_log(streets):
    alliance = AllianceFactory(name="甲联盟")
    member = MemberUnitFactory(region=streets.s1)
    MembershipFactory(alliance=alliance, unit=member, joined_on=datetime.date(2025, 1, 1))
    st1 = ServiceStationFactory(region=streets.s1, kind="party_station")
    ServiceStationFactory(region=streets.s2, kind="enterprise_station")
    st3 = ServiceStationFactory(
        region=streets.s2, kind="warm_station", is_open=False, closed_on=datetime.date(2026, 8, 1)
    )
    ServiceStationFactory(
        region=streets.s2, kind="warm_station", is_open=False, closed_on=datetime.date(2026, 10, 15)
    )
    st5 = ServiceStationFactory(region=streets.s1, kind="party_station", operator=member)
    day = datetime.date
    ActivityFactory(
        activity_type="party_lecture",
        held_on=day(2026, 7, 3),
        region=streets.s1,
        participant_count=30,
        party_member_count=10,
        alliance=alliance,
        station=st1,
    )
    ActivityFactory(
        activity_type="party_lecture",
        held_on=day(2026, 8, 12),
        region=streets.g1,
        participant_count=20,
        party_member_count=5,
        station=st5,
    )
    ActivityFactory(
        activity_type="volunteer_service",
        held_on=day(2026, 9, 30),
        region=streets.s2,
        participant_count=50,
        party_member_count=0,
        alliance=alliance,
        station=st3,
    )
    ActivityFactory(
        activity_type="training",
        held_on=day(2026, 9, 1),
        region=streets.pudong,
        participant_count=10,
        party_member_count=2,
    )
    ActivityFactory(
        activity_type="party_lecture",
        held_on=day(2026, 6, 30),
        region=streets.s1,
        participant_count=15,
        party_member_count=3,
    )
    ActivityFactory(held_on=day(2026, 10, 1), region=streets.s1, participant_count=99)
    return {"alliance": alliance}


def test_activities_by_type_and_street_with_the_previous_quarter(activity_log, streets):
    result = quarter_indicators(Scope.district(), Q3)
    assert figures(result, "activities") == {"count": 4, "participants": 110, "party_members": 17}
    assert previous(result, "activities") == {"count": 1, "participants": 15, "party_members": 3}
    count = result["sections"]["activities"]["figures"]["count"]
    assert (count["change"], count["change_rate"]) == (3, 300.0)
    section = result["sections"]["activities"]
    assert nonzero(section["by_type"], "count", "participants", "party_members") == {
        "party_lecture": (2, 50, 15),
        "volunteer_service": (1, 50, 0),
        "training": (1, 10, 2),
    }
    # The grid's activity counts for its street; the one logged on the district itself is apart.
    assert nonzero(section["by_street"], "count", "participants", "party_members") == {
        "潍坊新村街道": (2, 50, 15),
        "陆家嘴街道": (1, 50, 0),
        "": (1, 10, 2),
    }
    assert [row["name"] for row in section["by_street"]][:2] == ["潍坊新村街道", "陆家嘴街道"]


def test_an_alliance_counts_its_own_activities(activity_log):
    result = quarter_indicators(Scope.for_alliance(activity_log["alliance"]), Q3)
    assert figures(result, "activities") == {"count": 2, "participants": 80, "party_members": 10}
    # Its streets list only the streets where something happened.
    assert {row["name"] for row in result["sections"]["activities"]["by_street"]} == {
        "潍坊新村街道",
        "陆家嘴街道",
    }


def test_stations_open_at_the_quarters_end_by_kind_and_the_activities_they_hosted(activity_log):
    result = quarter_indicators(Scope.district(), Q3)
    # Open on 30 September: two party stations, the enterprise station, and the warm station that
    # closed only in October; the one closed in August is not. Three activities were at stations.
    assert figures(result, "stations") == {"stations": 4, "activities_hosted": 3}
    assert nonzero(result["sections"]["stations"]["by_kind"], "count") == {
        "party_station": (2,),
        "enterprise_station": (1,),
        "warm_station": (1,),
    }
    # At the end of June both warm stations were open.
    assert previous(result, "stations") == {"stations": 5, "activities_hosted": 0}
    mine = quarter_indicators(Scope.for_alliance(activity_log["alliance"]), Q3)
    # The alliance's member runs one station, where one activity was held.
    assert figures(mine, "stations") == {"stations": 1, "activities_hosted": 1}


def test_the_trend_counts_twelve_months(activity_log):
    result = quarter_indicators(Scope.district(), Q3)
    trend = result["trend"]
    assert trend["months"][0] == "2025-10" and trend["months"][-1] == "2026-09"
    assert dict(zip(trend["months"], trend["activities"], strict=True))["2026-06"] == 1
    assert trend["activities"][-3:] == [1, 1, 2]
    assert trend["participants"][-1] == 60


# --- meetings -----------------------------------------------------------------------------------


def test_meetings_planned_by_cadence_against_held_attendance_and_minutes(db):
    a = AllianceFactory(name="季度联盟", meeting_cadence="quarterly")
    b = AllianceFactory(name="月度联盟", meeting_cadence="monthly")
    AllianceFactory(name="半年联盟", meeting_cadence="half_yearly")
    c = AllianceFactory(name="休眠联盟", meeting_cadence="quarterly", status="dormant")

    def meeting(alliance, start, *, created, status="held", minutes=""):
        with time_machine.travel(created, tick=False):
            return MeetingFactory(
                alliance=alliance,
                start_at=start,
                end_at=start + datetime.timedelta(hours=2),
                status=status,
                minutes=minutes,
            )

    m1 = meeting(a, at(2026, 8, 10), created=at(2026, 8, 11), minutes="纪要")
    m2 = meeting(b, at(2026, 9, 5), created=at(2026, 9, 1))
    with time_machine.travel(at(2026, 9, 20), tick=False):
        m2.minutes = "迟交的纪要"
        m2.save()
    meeting(b, at(2026, 9, 25), created=at(2026, 9, 1))
    cancelled = meeting(b, at(2026, 7, 10), created=at(2026, 7, 1), status="cancelled")
    meeting(b, at(2026, 9, 29), created=at(2026, 9, 1), status="scheduled")
    meeting(c, at(2026, 7, 20), created=at(2026, 7, 20, 15), minutes="纪要")
    for attended in (True, True, False):
        InvitationFactory(meeting=m1, attended=attended)
    for attended in (True, False):
        InvitationFactory(meeting=m2, attended=attended)
    InvitationFactory(meeting=cancelled, attended=True)

    result = quarter_indicators(Scope.district(), Q3)
    # Planned in Q3: monthly 3 + quarterly 1 + half-yearly 0 (its meetings fall in Q2 and Q4).
    # Held: m1, m2, the third monthly one, and the dormant alliance's. Minutes: m1 and the dormant
    # one's on time, m2's three weeks late. Invitations of held meetings: 3 of 5 attended.
    assert figures(result, "meetings") == {
        "planned": 4,
        "held": 4,
        "held_rate": 100.0,
        "invited": 5,
        "attended": 3,
        "attendance_rate": 60.0,
        "minutes_filed": 3,
        "minutes_on_time": 2,
        "minutes_on_time_rate": 50.0,
    }
    rows = {row["key"]: row for row in result["sections"]["meetings"]["by_cadence"]}
    assert (rows["monthly"]["alliances"], rows["monthly"]["planned"], rows["monthly"]["held"]) == (
        1,
        3,
        2,
    )
    assert (rows["quarterly"]["alliances"], rows["quarterly"]["held"]) == (1, 2)
    assert (rows["half_yearly"]["alliances"], rows["half_yearly"]["planned"]) == (1, 0)
    # In Q2 the half-yearly alliance was due a meeting too; nothing was held.
    assert previous(result, "meetings")["planned"] == 5
    assert previous(result, "meetings")["held_rate"] == 0.0
    mine = quarter_indicators(Scope.for_alliance(b), Q3)
    assert figures(mine, "meetings")["planned"] == 3
    assert figures(mine, "meetings")["held"] == 2
    assert figures(mine, "meetings")["held_rate"] == 66.7


# --- demands ------------------------------------------------------------------------------------


def test_demands_collected_resolved_rate_median_overdue_and_satisfaction(streets):
    alliance = AllianceFactory()
    u1 = MemberUnitFactory(region=streets.s1)
    MembershipFactory(alliance=alliance, unit=u1, joined_on=datetime.date(2025, 1, 1))

    def demand(created, *, region, unit=None, **fields):
        row = DemandFactory(region=region, unit=unit or MemberUnitFactory(region=region), **fields)
        Demand.objects.filter(pk=row.pk).update(created_at=created)
        return row

    d1 = demand(
        at(2026, 7, 5),
        region=streets.s1,
        unit=u1,
        status="resolved",
        resolved_at=at(2026, 7, 15),
        satisfaction=5,
    )
    demand(
        at(2026, 7, 10),
        region=streets.s1,
        unit=u1,
        status="closed",
        resolved_at=at(2026, 7, 14),
        satisfaction=4,
    )
    demand(
        at(2026, 8, 1),
        region=streets.s2,
        category="talent",
        status="in_progress",
        due_on=datetime.date(2026, 9, 1),
    )
    demand(
        at(2026, 9, 20),
        region=streets.g1,
        category="talent",
        status="submitted",
        due_on=datetime.date(2026, 10, 10),
    )
    demand(at(2026, 8, 15), region=streets.s2, category="legal", status="rejected")
    demand(at(2026, 8, 20), region=streets.s1, status="merged", merged_into=d1)
    demand(
        at(2026, 6, 15),
        region=streets.s1,
        status="resolved",
        resolved_at=at(2026, 6, 20),
        satisfaction=3,
    )

    result = quarter_indicators(Scope.district(), Q3)
    # Five collected (the merged duplicate counts in d1); d1 (10 days) and d2 (4 days) resolved:
    # 2/5 = 40.0 %, median 7.0 days; the talent demand due 1 September is overdue; (5+4)/2 = 4.5.
    assert figures(result, "demands") == {
        "collected": 5,
        "resolved": 2,
        "resolution_rate": 40.0,
        "median_days": 7.0,
        "overdue": 1,
        "average_satisfaction": 4.5,
    }
    assert previous(result, "demands") == {
        "collected": 1,
        "resolved": 1,
        "resolution_rate": 100.0,
        "median_days": 5.0,
        "overdue": 0,
        "average_satisfaction": 3.0,
    }
    assert result["sections"]["demands"]["figures"]["resolution_rate"]["change"] == -60.0
    section = result["sections"]["demands"]
    assert nonzero(section["by_category"], "collected", "resolved", "overdue") == {
        "financing": (2, 2, 0),
        "talent": (2, 0, 1),
        "legal": (1, 0, 0),
    }
    assert {row["key"]: row["resolution_rate"] for row in section["by_category"]}["financing"] == (
        100.0
    )
    assert nonzero(section["by_street"], "collected", "resolved", "overdue") == {
        "潍坊新村街道": (3, 2, 0),
        "陆家嘴街道": (2, 0, 1),
    }
    trend = result["trend"]
    assert trend["demands_collected"][-3:] == [2, 2, 1]
    assert trend["demands_resolved"][-3:] == [2, 0, 0]
    # The alliance counts the demands of its member units: d1 and d2.
    mine = quarter_indicators(Scope.for_alliance(alliance), Q3)
    assert figures(mine, "demands")["collected"] == 2
    assert figures(mine, "demands")["resolution_rate"] == 100.0


# --- projects -----------------------------------------------------------------------------------


def test_projects_new_completed_contract_amount_and_claims(db):
    a = AllianceFactory()
    b = AllianceFactory()

    def project(alliance, created, **fields):
        row = JointProjectFactory(alliance=alliance, **fields)
        JointProject.objects.filter(pk=row.pk).update(created_at=created)
        return row

    p1 = project(a, at(2026, 7, 3), contract_amount=Decimal("100000.00"), status="in_progress")
    project(
        a,
        at(2026, 8, 3),
        contract_amount=Decimal("25000.50"),
        status="completed",
        completed_at=at(2026, 9, 15),
    )
    p3 = project(b, at(2026, 9, 3), contract_amount=Decimal("5000"), status="cancelled")
    project(
        b,
        at(2026, 5, 1),
        contract_amount=Decimal("8000"),
        status="completed",
        completed_at=at(2026, 7, 20),
    )

    def claim(target, created, **fields):
        row = ClaimFactory(project=target, **fields)
        Claim.objects.filter(pk=row.pk).update(created_at=created)

    claim(p1, at(2026, 7, 10), status="accepted", decided_at=at(2026, 7, 12))
    claim(p1, at(2026, 9, 30))
    claim(p3, at(2026, 6, 30), status="accepted", decided_at=at(2026, 7, 1))

    result = quarter_indicators(Scope.district(), Q3)
    # Three new (the cancelled one brings no money: 100,000.00 + 25,000.50); two completed in Q3
    # (one of them begun in May); two claims made, two accepted (one made in June).
    assert figures(result, "projects") == {
        "new": 3,
        "completed": 2,
        "contract_amount": "125000.50",
        "claims_made": 2,
        "claims_accepted": 2,
    }
    amount = result["sections"]["projects"]["figures"]["contract_amount"]
    assert amount["previous"] == "8000.00"
    assert amount["change"] == "117000.50"
    mine = quarter_indicators(Scope.for_alliance(a), Q3)
    assert figures(mine, "projects") == {
        "new": 2,
        "completed": 1,
        "contract_amount": "125000.50",
        "claims_made": 2,
        "claims_accepted": 1,
    }


# --- a street's own figures ---------------------------------------------------------------------


def test_a_street_scope_counts_its_subtree_by_community(activity_log, streets):
    current, earlier = Q3.period, Q3.previous().period
    result = compute_indicators(Scope.for_region(streets.s1), current, earlier)
    assert figures(result, "activities")["count"] == 2
    # Inside a street the breakdown is by its communities, then the street's own activities.
    assert nonzero(result["sections"]["activities"]["by_street"], "count") == {
        "泉东居委": (1,),
        "潍坊新村街道": (1,),
    }


def test_the_indicators_are_plain_json(activity_log):
    import json

    result = quarter_indicators(Scope.district(), Q3)
    assert json.loads(json.dumps(result)) == result
