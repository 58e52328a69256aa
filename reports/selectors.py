"""Reads of the reports: the scoped lists, and the dashboard's figures (cached)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliances.choices import AllianceStatus, MeetingCadence, MeetingStatus
from alliances.models import Alliance, Meeting
from alliances.selectors.insight import (
    key_targets_without_party,
    uncovered_industries,
    uncovered_regions,
)
from members.choices import RegistrationStatus
from members.models import MemberUnit, Registration
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.choices import RegionLevel
from portal.regions.models import Region
from services.models import Demand

from .choices import ReportScope
from .indicators import Scope, compute_indicators
from .models import QuarterlyReport, ReportSubscription
from .periods import Period, Quarter, quarter_to_date
from .presentation import chart_data, headline


def report_list(*, user) -> QuerySet[QuarterlyReport]:
    """The reports `user` may read, without their indicators (a list shows none)."""
    return (
        QuarterlyReport.objects.restrict(user)
        .select_related("alliance")
        .defer("indicators")
        .order_by("-year", "-quarter", "scope", "alliance__name", "pk")
    )


def report_detail(*, user) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.restrict(user).select_related("alliance", "built_by")


def user_subscriptions(user) -> dict[str, Any]:
    rows = list(ReportSubscription.objects.filter(user=user).select_related("alliance"))
    return {
        "district": any(row.scope == ReportScope.DISTRICT for row in rows),
        "alliances": [row.alliance for row in rows if row.scope == ReportScope.ALLIANCE],
    }


# --- the dashboard ------------------------------------------------------------------------------


def dashboard_scope(user: User) -> Scope:
    """District staff see the district; a street secretary their street."""
    if user.is_street_secretary and user.region_id:
        return Scope.for_region(user.region)
    return Scope.district()


def _cadence_windows(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The span in which each cadence expects a meeting, around `today`."""
    quarter = Quarter.of(today)
    half = 1 if today.month <= 6 else 7
    next_half = (
        datetime.date(today.year, 7, 1) if half == 1 else datetime.date(today.year + 1, 1, 1)
    )
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return {
        MeetingCadence.MONTHLY: (today.replace(day=1), next_month),
        MeetingCadence.QUARTERLY: (quarter.start, quarter.next().start),
        MeetingCadence.HALF_YEARLY: (datetime.date(today.year, half, 1), next_half),
        MeetingCadence.YEARLY: (
            datetime.date(today.year, 1, 1),
            datetime.date(today.year + 1, 1, 1),
        ),
    }


def meetings_due_by_cadence(scope: Scope, today: datetime.date) -> list[dict[str, Any]]:
    """Per cadence: active alliances, and those with no meeting (scheduled or held) in this
    month, quarter, half-year or year. One query."""
    windows = _cadence_windows(today)
    aggregates: dict[str, Any] = {}
    for cadence, (start, end) in windows.items():
        period = Period(start, end)
        met = Meeting.objects.filter(
            alliance=OuterRef("pk"),
            start_at__gte=period.start_at,
            start_at__lt=period.end_at,
        ).exclude(status=MeetingStatus.CANCELLED)
        aggregates[f"{cadence}_alliances"] = Count("pk", filter=Q(meeting_cadence=cadence))
        aggregates[f"{cadence}_due"] = Count("pk", filter=Q(meeting_cadence=cadence) & ~Exists(met))
    row = scope.meeting_alliances().filter(status=AllianceStatus.ACTIVE).aggregate(**aggregates)
    labels = dict(MeetingCadence.choices)
    return [
        {
            "key": cadence,
            "label": str(labels[cadence]),
            "alliances": row[f"{cadence}_alliances"],
            "due": row[f"{cadence}_due"],
        }
        for cadence in windows
    ]


def _coverage_gaps(scope: Scope) -> dict[str, Any]:
    """The network insight's gaps (docs/insight.md), inside a secretary's street for them."""
    path = scope.region.path if scope.region is not None else ""
    regions = [gap for gap in uncovered_regions() if gap.region.path.startswith(path)]
    key_targets = key_targets_without_party()
    if scope.region is not None:
        key_targets = key_targets.filter(region__path__startswith=path)
    return {
        "regions": [
            {
                "pk": gap.region.pk,
                "name": gap.region.name,
                "district": gap.district_name,
                "units": gap.unit_count,
                "key_targets": gap.key_target_count,
            }
            for gap in regions[:10]
        ],
        "region_count": len(regions),
        "industries": (
            [{"label": gap.label, "units": gap.unit_count} for gap in uncovered_industries()[:10]]
            if scope.region is None
            else []
        ),
        "key_targets_without_party": key_targets.count(),
    }


def _street_table(indicators: dict[str, Any]) -> list[dict[str, Any]]:
    sections = indicators["sections"]
    rows: dict[Any, dict[str, Any]] = {}
    for row in sections["activities"]["by_street"]:
        rows[row["key"]] = {
            "name": row["name"],
            "activities": row["count"],
            "participants": row["participants"],
        }
    for row in sections["demands"]["by_street"]:
        entry = rows.setdefault(
            row["key"], {"name": row["name"], "activities": 0, "participants": 0}
        )
        entry.update(
            collected=row["collected"],
            resolved=row["resolved"],
            resolution_rate=row["resolution_rate"],
            overdue=row["overdue"],
        )
    return list(rows.values())


def _expensive_figures(scope: Scope, today: datetime.date) -> dict[str, Any]:
    current, previous = quarter_to_date(today)
    indicators = compute_indicators(scope, current, previous)
    return {
        "quarter": Quarter.of(today).label,
        "period": indicators["period"],
        "previous_period": indicators["previous_period"],
        "headline": headline(indicators),
        "charts": {
            key: value
            for key, value in chart_data(indicators).items()
            if key in ("trend", "activities_by_street", "demands_by_street")
        },
        "streets": _street_table(indicators),
        "meetings_due_by_cadence": meetings_due_by_cadence(scope, today),
        "coverage_gaps": _coverage_gaps(scope),
        "computed_at": timezone.now(),
    }


def dashboard_report(*, user: User, today: datetime.date | None = None) -> dict[str, Any]:
    """The dashboard's quarter-so-far figures for `user`'s scope.

    The indicators, meetings due and coverage gaps (some 45 queries, seconds at Pudong's size) are
    cached per scope, day and language for DASHBOARD_CACHE_SECONDS: a timeout rather than
    invalidation on each save, because at that size activities and demands are written every
    minute and would empty the cache as fast as it fills. The registrations waiting and the
    demands overdue are counted fresh on each visit.
    """
    today = today or timezone.localdate()
    scope = dashboard_scope(user)
    key = f"reports:dashboard:{scope.key}:{today.isoformat()}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = _expensive_figures(scope, today)
        cache.set(key, figures, timeout=settings.DASHBOARD_CACHE_SECONDS)
    overdue = Demand.objects.restrict(user).overdue(today)
    if scope.region is not None:
        overdue = overdue.in_region(scope.region)
    return {
        **figures,
        "registrations_waiting": Registration.objects.restrict(user)
        .filter(status=RegistrationStatus.SUBMITTED)
        .count(),
        "demands_overdue": overdue.count(),
    }


def dashboard_overview(*, user: User) -> dict[str, Any]:
    """Figures for the dashboard shell, limited to the user's region for a street secretary."""
    regions = Region.objects.restrict(user).filter(is_active=True)
    if user.is_street_secretary and user.region_id:
        regions = regions.filter(path__startswith=user.region.path)
    by_level = dict(regions.values_list("level").annotate(n=Count("id")).order_by())
    users_by_role = dict(
        User.objects.restrict(user)
        .filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("id"))
        .order_by()
    )
    units = MemberUnit.objects.restrict(user).active()
    if user.is_street_secretary and user.region_id:
        units = units.filter(region__path__startswith=user.region.path)
    unit_figures = units.aggregate(
        total=Count("id"),
        org_covered=Count("id", filter=Q(org_covered=True)),
        work_covered=Count("id", filter=Q(work_covered=True)),
    )
    total = unit_figures["total"]
    cards = [
        {
            "key": "alliances",
            "label": _("Active alliances"),
            "value": Alliance.objects.restrict(user).active().count(),
        },
        {"key": "units", "label": _("Active member units"), "value": total},
        {
            "key": "org-coverage",
            "label": _("Organization coverage"),
            "value": f"{unit_figures['org_covered'] / total:.1%}" if total else "—",
        },
        {
            "key": "work-coverage",
            "label": _("Work coverage"),
            "value": f"{unit_figures['work_covered'] / total:.1%}" if total else "—",
        },
        {"key": "regions", "label": _("Regions"), "value": sum(by_level.values())},
        {
            "key": "subdistricts",
            "label": _("Streets and towns"),
            "value": by_level.get(RegionLevel.SUBDISTRICT, 0),
        },
        {"key": "grids", "label": _("Grids"), "value": by_level.get(RegionLevel.GRID, 0)},
        {
            "key": "secretaries",
            "label": _("Street secretaries"),
            "value": users_by_role.get(Role.STREET_SECRETARY, 0),
        },
    ]
    chart = {
        "tooltip": {},
        "grid": {"left": 40, "right": 10, "top": 20, "bottom": 30},
        "xAxis": {
            "type": "category",
            "data": [str(label) for _value, label in RegionLevel.choices],
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "data": [by_level.get(value, 0) for value, _label in RegionLevel.choices],
            }
        ],
    }
    return {
        "cards": cards,
        "regions_chart": chart,
        "meetings_due": dashboard_meetings_due(user=user),
        "report": dashboard_report(user=user),
    }


def dashboard_meetings_due(*, user: User, limit: int = 20) -> dict[str, Any] | None:
    """Quarterly alliances with no meeting this quarter (district staff only): the count and the first few."""
    if not user.is_district_staff:
        return None
    from alliances.selectors.meetings import meetings_due

    due = meetings_due()
    rows = list(due[: limit + 1])
    return {"alliances": rows[:limit], "more": len(rows) > limit}
