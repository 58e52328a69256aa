"""The loop's figures (`demand_counts` and its breakdowns) on a small data set worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from services.models import Demand
from services.selectors.demands import (
    demand_counts,
    demand_counts_by_category,
    demand_counts_by_region,
    resolution_rate,
)
from tests.factories import DemandFactory, RegionFactory, SubdistrictFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 8, 1)
UTC = datetime.UTC


def at(day: int, month: int = 7, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def data(region):
    """Eight demands in 新虹 (one in its grid) and 七宝; one of them a merged duplicate.

    no. region  category   status       raised  resolved      days  rating  due
    1   新虹    financing  closed       07-01   07-03 00:00   2     5
    2   grid    financing  resolved     07-01   07-11 00:00   10
    3   新虹    talent     closed       07-01   07-05 12:00   4.5   3
    4   七宝    talent     in_progress  07-01                                 07-20 (overdue)
    5   七宝    legal      submitted    07-01
    6   新虹    legal      rejected     07-01
    7   新虹    financing  merged → 1   07-01                                 (left out)
    8   七宝    financing  assigned     07-01                                 08-05
    """
    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    grid = RegionFactory(code="310112008001", name="第一网格", level="grid", parent=region)
    rows = [
        (region, "financing", "closed", at(3), 5, None),
        (grid, "financing", "resolved", at(11), None, None),
        (region, "talent", "closed", at(5, hour=12), 3, None),
        (qibao, "talent", "in_progress", None, None, datetime.date(2026, 7, 20)),
        (qibao, "legal", "submitted", None, None, None),
        (region, "legal", "rejected", None, None, None),
        (region, "financing", "merged", None, None, None),
        (qibao, "financing", "assigned", None, None, datetime.date(2026, 8, 5)),
    ]
    demands = []
    for place, category, _status, resolved_at, rating, due_on in rows:
        demand = DemandFactory(
            unit=None,
            contact_name="居民",
            region=place,
            category=category,
            status="submitted",
            resolved_at=resolved_at,
            satisfaction=rating,
            due_on=due_on,
        )
        demands.append(demand)
    for demand, (_p, _c, status, *_rest) in zip(demands, rows, strict=True):
        Demand.objects.filter(pk=demand.pk).update(
            created_at=at(1),
            status=status,
            merged_into=demands[0] if status == "merged" else None,
        )
    return {"qibao": qibao, "grid": grid, "district": region.parent}


def test_the_example_of_the_issue():
    assert resolution_rate(4092, 3287) == Decimal("80.3")
    assert resolution_rate(0, 0) is None
    assert resolution_rate(3, 1) == Decimal("33.3")
    assert resolution_rate(3, 2) == Decimal("66.7")


def test_counts_of_the_whole(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        counts = demand_counts(Demand.objects.all(), today=TODAY)
    assert counts == {
        "collected": 7,  # the merged duplicate counts once, as the demand it joined
        "resolved": 3,  # 1, 2, 3
        "resolution_rate": Decimal("42.9"),  # 3 / 7 = 42.857 %
        "median_days": Decimal("4.5"),  # of 2, 4.5 and 10
        "overdue": 1,  # 4: open and due 07-20 before 08-01
        "average_satisfaction": Decimal("4.0"),  # (5 + 3) / 2
    }


def test_counts_of_nothing(db):
    assert demand_counts(Demand.objects.none(), today=TODAY) == {
        "collected": 0,
        "resolved": 0,
        "resolution_rate": None,
        "median_days": None,
        "overdue": 0,
        "average_satisfaction": None,
    }


def test_overdue_depends_on_the_day(data):
    assert demand_counts(Demand.objects.all(), today=datetime.date(2026, 7, 20))["overdue"] == 0
    assert demand_counts(Demand.objects.all(), today=datetime.date(2026, 8, 6))["overdue"] == 2


def test_counts_by_category(data, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = demand_counts_by_category(Demand.objects.all(), today=TODAY)
    assert rows == [
        {
            "category": "financing",  # 1, 2, 8
            "collected": 3,
            "resolved": 2,
            "resolution_rate": Decimal("66.7"),
            "median_days": Decimal("6.0"),  # of 2 and 10
            "overdue": 0,
            "average_satisfaction": Decimal("5.0"),
        },
        {
            "category": "legal",  # 5, 6
            "collected": 2,
            "resolved": 0,
            "resolution_rate": Decimal("0.0"),
            "median_days": None,
            "overdue": 0,
            "average_satisfaction": None,
        },
        {
            "category": "talent",  # 3, 4
            "collected": 2,
            "resolved": 1,
            "resolution_rate": Decimal("50.0"),
            "median_days": Decimal("4.5"),
            "overdue": 1,
            "average_satisfaction": Decimal("3.0"),
        },
    ]


def test_counts_by_street_roll_up_the_grid(data, region, django_assert_num_queries):
    with django_assert_num_queries(4):
        rows = demand_counts_by_region(Demand.objects.all(), within=data["district"], today=TODAY)
    assert rows == [
        {
            "region": region.pk,  # 1, 2 (in its grid), 3, 6
            "region_name": "新虹街道",
            "region_code": "310112008",
            "collected": 4,
            "resolved": 3,
            "resolution_rate": Decimal("75.0"),
            "median_days": Decimal("4.5"),
            "overdue": 0,
            "average_satisfaction": Decimal("4.0"),
        },
        {
            "region": data["qibao"].pk,  # 4, 5, 8
            "region_name": "七宝镇",
            "region_code": "310112102",
            "collected": 3,
            "resolved": 0,
            "resolution_rate": Decimal("0.0"),
            "median_days": None,
            "overdue": 1,
            "average_satisfaction": None,
        },
    ]


def test_counts_by_the_regions_the_demands_name(data, region):
    rows = demand_counts_by_region(Demand.objects.all(), today=TODAY)
    assert [(r["region_name"], r["collected"], r["resolved"], r["median_days"]) for r in rows] == [
        ("新虹街道", 3, 2, Decimal("3.3")),  # 1, 3, 6: median of 2 and 4.5 = 3.25
        ("七宝镇", 3, 0, None),
        ("第一网格", 1, 1, Decimal("10.0")),
    ]
    # Under a street: its grids, and the street itself for demands placed on it directly.
    rows = demand_counts_by_region(Demand.objects.all(), within=region, today=TODAY)
    assert [(r["region_name"], r["collected"]) for r in rows] == [("新虹街道", 3), ("第一网格", 1)]


def test_counts_follow_the_queryset_given(data):
    counts = demand_counts(Demand.objects.filter(category="talent"), today=TODAY)
    assert (counts["collected"], counts["resolved"], counts["resolution_rate"]) == (
        2,
        1,
        Decimal("50.0"),
    )
