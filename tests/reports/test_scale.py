"""The indicators are aggregated in the database: a fixed number of queries whatever the data, and a
district report of a generated network (2,000 units, 20,000 activities …) within a generous time.

The Pudong-scale timing (150,000 units, 1,000,000 activities on PostgreSQL) is the benchmark of
issue 9; this test keeps the shape of the work honest on every run.
"""

import datetime
import random
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliances.models import Alliance, Invitation, Meeting, Membership
from members.models import MemberUnit
from portal.regions.models import Region
from reports.indicators import Scope, quarter_indicators
from services.models import Activity, Claim, Demand, JointProject, ServiceStation
from tests.factories import StaffFactory

from .conftest import Q3, at
from .helpers import small_network

pytestmark = pytest.mark.django_db

# Queries for one report: 19 per period (this quarter and the last), the streets, and 3 for the
# monthly trend. Pinned: a change here is a change of the report's cost at Pudong's size.
REPORT_QUERIES = 42


def count_queries(scope: Scope) -> int:
    with CaptureQueriesContext(connection) as queries:
        quarter_indicators(scope, Q3)
    return len(queries)


def test_a_report_runs_the_same_queries_whatever_the_data(streets):
    network = small_network(streets)
    district, alliance = Scope.district(), Scope.for_alliance(network.alliance)
    assert count_queries(district) == REPORT_QUERIES
    assert count_queries(alliance) == REPORT_QUERIES
    generate(units=60, activities=300, demands=60, seed=1)
    assert count_queries(district) == REPORT_QUERIES
    assert count_queries(alliance) == REPORT_QUERIES


def fast_insert(model, rows: list[dict]) -> None:
    """INSERT many rows in one executemany: bulk_create spends seconds compiling 20,000 rows."""
    columns = list(rows[0])
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    fields = {f.column: f for f in model._meta.concrete_fields}
    values = [[fields[c].get_db_prep_value(row[c], connection) for c in columns] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def generate(*, units: int, activities: int, demands: int, seed: int = 7) -> None:
    """A generated network in Pudong-like proportions, written with bulk inserts."""
    rng = random.Random(seed)
    user = StaffFactory(username=f"generator-{seed}")
    district = Region.objects.get(code="310115")
    streets = [
        Region.objects.get_or_create(
            code=f"310115{100 + i:03d}",
            defaults={"name": f"生成街道{i}", "level": "subdistrict", "parent": district},
        )[0]
        for i in range(12)
    ]
    unit_rows = MemberUnit.objects.bulk_create(
        MemberUnit(
            name=f"生成单位{seed}-{i}",
            unit_type=rng.choice(["private_enterprise", "social_organization", "other"]),
            region=rng.choice(streets),
            party_org_type=rng.choice(["branch", "none"]),
            org_covered=rng.random() < 0.4,
            work_covered=rng.random() < 0.6,
            key_target=rng.random() < 0.1,
            party_member_count=rng.randint(0, 30),
        )
        for i in range(units)
    )
    alliances = Alliance.objects.bulk_create(
        Alliance(
            name=f"生成联盟{seed}-{i}",
            kind="industry_cluster",
            meeting_cadence=rng.choice(["monthly", "quarterly", "half_yearly", "yearly"]),
        )
        for i in range(max(units // 50, 2))
    )
    Membership.objects.bulk_create(
        Membership(
            alliance=alliances[i % len(alliances)],
            unit=unit,
            joined_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 600)),
        )
        for i, unit in enumerate(unit_rows[: units // 2])
    )
    stations = ServiceStation.objects.bulk_create(
        ServiceStation(
            name=f"生成站点{seed}-{i}",
            kind=rng.choice(["party_station", "warm_station"]),
            region=rng.choice(streets),
            address="生成路",
            operator=rng.choice(unit_rows),
        )
        for i in range(max(units // 20, 2))
    )
    start = datetime.date(2025, 10, 1)
    now = timezone.now()
    fast_insert(
        Activity,
        [
            {
                "title": "生成活动",
                "activity_type": rng.choice(["party_lecture", "salon", "training"]),
                "held_on": start + datetime.timedelta(days=rng.randint(0, 364)),
                "place": "",
                "region_id": rng.choice(streets).pk,
                "alliance_id": rng.choice(alliances).pk if rng.random() < 0.7 else None,
                "station_id": rng.choice(stations).pk if rng.random() < 0.4 else None,
                "participant_count": 20,
                "party_member_count": 5,
                "description": "",
                "recorded_by_id": user.pk,
                "created_at": now,
                "updated_at": now,
            }
            for _ in range(activities)
        ],
    )
    demand_ids = [
        row.pk
        for row in Demand.objects.bulk_create(
            Demand(
                title="生成需求",
                description="—",
                category=rng.choice(["financing", "talent", "legal"]),
                unit=rng.choice(unit_rows),
                region=rng.choice(streets),
                status=rng.choice(["submitted", "in_progress", "resolved", "closed"]),
                due_on=datetime.date(2026, 8, 1),
                satisfaction=rng.choice([None, 3, 4, 5]),
            )
            for _ in range(demands)
        )
    ]
    # Raised over six months (created_at is set on insert: moved in a few updates by bucket).
    rng.shuffle(demand_ids)
    buckets = 24
    for bucket in range(buckets):
        created = at(2026, 4, 1) + datetime.timedelta(days=7 * bucket)
        rows = Demand.objects.filter(pk__in=demand_ids[bucket::buckets])
        rows.update(created_at=created)
        rows.filter(status__in=["resolved", "closed"]).update(
            resolved_at=created + datetime.timedelta(days=1 + bucket % 20)
        )
    starts = [
        at(2026, 7, 1) + datetime.timedelta(days=rng.randint(0, 90)) for _ in range(units // 10)
    ]
    meetings = Meeting.objects.bulk_create(
        Meeting(
            alliance=rng.choice(alliances),
            organizer=user,
            title="生成会议",
            start_at=start_at,
            end_at=start_at + datetime.timedelta(hours=2),
            status="held",
            minutes=rng.choice(["", "纪要"]),
        )
        for start_at in starts
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, unit=unit, attended=rng.random() < 0.7)
        for meeting in meetings
        for unit in rng.sample(unit_rows, 5)
    )
    projects = JointProject.objects.bulk_create(
        JointProject(
            title="生成项目",
            alliance=rng.choice(alliances),
            status=rng.choice(["open", "completed"]),
            contract_amount=Decimal(rng.randint(1000, 100000)),
        )
        for _ in range(max(units // 10, 2))
    )
    Claim.objects.bulk_create(
        Claim(
            kind="unit_claims_project",
            project=project,
            unit=rng.choice(unit_rows),
            status="accepted",
            decided_at=now,
        )
        for project in projects
    )


def test_a_district_report_of_a_generated_network_is_quick(streets):
    generate(units=2_000, activities=20_000, demands=3_000)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        result = quarter_indicators(Scope.district(), Q3)
    elapsed = time.monotonic() - started
    print(f"district indicators of the generated network: {elapsed:.2f} s")
    assert len(queries) == REPORT_QUERIES
    activities = result["sections"]["activities"]["figures"]["count"]["value"]
    assert 4_000 < activities < 6_000  # a quarter of a year's 20,000
    assert result["sections"]["coverage"]["figures"]["units"]["value"] == 2_000
    # Generous for a loaded two-core machine; on SQLite this takes well under two seconds.
    assert elapsed < 15, f"{elapsed:.1f} s"
