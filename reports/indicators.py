"""The indicators of a period for the district, one alliance or one street, by database aggregation.

Each figure is defined in docs/reports.md. Every function here runs a fixed number of queries
(GROUP BY and conditional aggregates), whatever the number of units, activities or demands; the
only Python loops are over aggregated rows (at most one per region, type or month). Figures by
street are grouped by the record's region in the database and then summed to the street whose path
prefixes the region's (a community or grid counts for its street).

Numbers in the result are JSON-ready: counts are ints, percentages floats with one decimal (80.3
means 80.3 %), days and ratings floats with one decimal, amounts of money strings with two decimals
("125000.00") so that no yuan is lost to binary floating point.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alliances.choices import AllianceStatus, MeetingCadence, MeetingStatus, MembershipRole
from alliances.models import Alliance, Invitation, Meeting, Membership
from members.choices import PartyOrgType, UnitType
from members.models import MemberUnit
from portal.regions.choices import RegionLevel
from portal.regions.models import PATH_SEPARATOR, Region
from services.choices import (
    DEMAND_OPEN_STATUSES,
    ActivityType,
    ClaimStatus,
    DemandCategory,
    DemandStatus,
    ProjectStatus,
    StationKind,
)
from services.models import Activity, Claim, Demand, JointProject, ServiceStation
from services.selectors.demands import (
    RESOLVED_STATUSES,
    demand_counts,
    demand_counts_by_category,
)

from .definitions import AMOUNT, COUNT, PERCENT, SECTIONS
from .periods import Period, Quarter, months_back

# The version of the JSON layout below; a reader can refuse what it does not know.
INDICATORS_VERSION = 1

# Minutes count as filed on time when they are in the meeting's record this long after its end.
MINUTES_DUE_AFTER = datetime.timedelta(days=2)

ONE_PLACE = Decimal("0.1")
CENTS = Decimal("0.01")


# --- scopes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a report counts: the whole district, one alliance, or one region's subtree."""

    kind: str
    alliance: Alliance | None = None
    region: Region | None = None

    @classmethod
    def district(cls) -> Scope:
        return cls("district")

    @classmethod
    def for_alliance(cls, alliance: Alliance) -> Scope:
        return cls("alliance", alliance=alliance)

    @classmethod
    def for_region(cls, region: Region) -> Scope:
        return cls("region", region=region)

    @property
    def key(self) -> str:
        if self.alliance is not None:
            return f"alliance-{self.alliance.pk}"
        if self.region is not None:
            return f"region-{self.region.pk}"
        return "district"

    # Each model's rows in the scope. An alliance's units are its members at the period's end.

    def memberships(self) -> QuerySet[Membership]:
        rows = Membership.objects.order_by()
        if self.alliance is not None:
            return rows.filter(alliance=self.alliance)
        if self.region is not None:
            return rows.filter(unit__region__path__startswith=self.region.path)
        return rows

    def member_unit_ids(self, period: Period) -> QuerySet:
        return self.memberships().filter(_current_at(period)).values("unit_id")

    def units(self, period: Period) -> QuerySet[MemberUnit]:
        rows = MemberUnit.objects.active().order_by()
        if self.alliance is not None:
            return rows.filter(pk__in=self.member_unit_ids(period))
        if self.region is not None:
            return rows.filter(region__path__startswith=self.region.path)
        return rows

    def counted_alliances(self) -> QuerySet[Alliance]:
        """The alliances "active alliances" counts: all, an alliance's sub-alliances, a region's."""
        rows = Alliance.objects.order_by()
        if self.alliance is not None:
            return rows.filter(parent=self.alliance)
        return self.meeting_alliances()

    def meeting_alliances(self) -> QuerySet[Alliance]:
        """The alliances whose meetings count: all, the alliance itself, those spanning the region."""
        rows = Alliance.objects.order_by()
        if self.alliance is not None:
            return rows.filter(pk=self.alliance.pk)
        if self.region is not None:
            spanning = Alliance.regions.through.objects.filter(
                region__path__startswith=self.region.path
            ).values("alliance_id")
            return rows.filter(pk__in=spanning)
        return rows

    def activities(self) -> QuerySet[Activity]:
        rows = Activity.objects.order_by()
        if self.alliance is not None:
            return rows.filter(alliance=self.alliance)
        if self.region is not None:
            return rows.filter(region__path__startswith=self.region.path)
        return rows

    def demands(self, period: Period) -> QuerySet[Demand]:
        rows = Demand.objects.order_by()
        if self.alliance is not None:
            return rows.filter(unit_id__in=self.member_unit_ids(period))
        if self.region is not None:
            return rows.filter(region__path__startswith=self.region.path)
        return rows

    def meetings(self) -> QuerySet[Meeting]:
        rows = Meeting.objects.order_by()
        if self.alliance is not None:
            return rows.filter(alliance=self.alliance)
        if self.region is not None:
            return rows.filter(alliance__in=self.meeting_alliances())
        return rows

    def projects(self) -> QuerySet[JointProject]:
        rows = JointProject.objects.order_by()
        if self.alliance is not None:
            return rows.filter(alliance=self.alliance)
        if self.region is not None:
            return rows.filter(region__path__startswith=self.region.path)
        return rows

    def claims(self) -> QuerySet[Claim]:
        rows = Claim.objects.order_by()
        if self.alliance is not None:
            return rows.filter(project__alliance=self.alliance)
        if self.region is not None:
            path = self.region.path
            return rows.filter(
                Q(project__region__path__startswith=path) | Q(demand__region__path__startswith=path)
            )
        return rows

    def stations(self, period: Period) -> QuerySet[ServiceStation]:
        rows = ServiceStation.objects.order_by()
        if self.alliance is not None:
            return rows.filter(operator_id__in=self.member_unit_ids(period))
        if self.region is not None:
            return rows.filter(region__path__startswith=self.region.path)
        return rows

    @property
    def rest(self) -> tuple[str | None, int | None, str]:
        """Where records outside every area of `areas` are counted: inside a street, the street."""
        if self.region is not None:
            return (self.region.code, self.region.pk, self.region.name)
        return (None, None, "")

    def areas(self) -> list[tuple[str, int, str, str]]:
        """(path, id, code, name) of the areas "by street" counts in: the streets and towns, or a
        street's own communities (the street itself when it has none). One query."""
        if self.region is not None:
            rows = Region.objects.filter(parent=self.region, is_active=True)
        else:
            rows = Region.objects.filter(level=RegionLevel.SUBDISTRICT, is_active=True)
        areas = list(rows.order_by("path").values_list("path", "pk", "code", "name"))
        if not areas and self.region is not None:
            areas = [(self.region.path, self.region.pk, self.region.code, self.region.name)]
        return areas


def _current_at(period: Period) -> Q:
    """A membership that had begun and not ended when the period ended."""
    return Q(joined_on__lt=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.end))


def _active_at(period: Period) -> Q:
    """An alliance active now that had been founded and not ended when the period ended."""
    return (
        Q(status=AllianceStatus.ACTIVE)
        & (Q(founded_on__isnull=True) | Q(founded_on__lt=period.end))
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=period.end))
    )


def _open_at(period: Period) -> Q:
    """A station open now (unless closed after the period ended), or closed only after the period."""
    return (Q(is_open=True) & (Q(closed_on__isnull=True) | Q(closed_on__gte=period.end))) | Q(
        closed_on__gte=period.end
    )


def _in_days(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _in_time(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start_at, f"{field}__lt": period.end_at})


# --- arithmetic ---------------------------------------------------------------------------------


def percent(
    part: int | float | Decimal | None, whole: int | float | Decimal | None
) -> float | None:
    """part / whole as a percentage with one decimal, half up: 3,287 of 4,092 → 80.3; None of 0."""
    if part is None or not whole:
        return None
    value = (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(
        ONE_PLACE, rounding=ROUND_HALF_UP
    )
    return float(value)


def _one_place(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP))


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(CENTS, rounding=ROUND_HALF_UP))


def with_change(value: Any, previous: Any, kind: str) -> dict[str, Any]:
    """A figure with the previous period's value, the change, and (for counts and amounts) the
    change as a percentage of the previous value. Percentages change in percentage points."""
    change = change_rate = None
    if value is not None and previous is not None:
        if kind == AMOUNT:
            difference = Decimal(value) - Decimal(previous)
            change = _money(difference)
            change_rate = percent(difference, Decimal(previous))
        elif kind == COUNT:
            change = value - previous
            change_rate = percent(change, previous)
        else:
            change = _one_place(Decimal(str(value)) - Decimal(str(previous)))
    return {"value": value, "previous": previous, "change": change, "change_rate": change_rate}


# --- by street ----------------------------------------------------------------------------------


def _area_of(path: str, areas: dict[str, Any]) -> str | None:
    prefix = ""
    for code in path.split(PATH_SEPARATOR)[:-1]:
        prefix += code + PATH_SEPARATOR
        if prefix in areas:
            return prefix
    return None


def _by_area(
    rows: Iterable[dict[str, Any]],
    areas: list[tuple[str, int, str, str]],
    keys: tuple[str, ...],
    *,
    keep_empty: bool,
    rest: tuple[str | None, int | None, str] = (None, None, ""),
) -> list[dict[str, Any]]:
    """Sum rows grouped by `region__path` into their areas; what lies outside every area comes last
    as `rest` (key, region, name): nameless in a district, the street itself inside a street."""
    totals = {path: dict.fromkeys(keys, 0) for path, *_rest in areas}
    other = dict.fromkeys(keys, 0)
    for row in rows:
        area = _area_of(row["region__path"], totals)
        bucket = totals[area] if area is not None else other
        for key in keys:
            bucket[key] += row[key] or 0
    result = [
        {"key": code, "region": pk, "name": name, **totals[path]}
        for path, pk, code, name in areas
        if keep_empty or any(totals[path].values())
    ]
    if any(other.values()):
        key, pk, name = rest
        result.append({"key": key, "region": pk, "name": name, **other})
    return result


# --- sections -----------------------------------------------------------------------------------


def _choice_rows(choices, rows: dict[str, dict[str, Any]], keys: tuple[str, ...]) -> list[dict]:
    """One row per choice, in the choices' order, zero where nothing was counted."""
    return [
        {"key": value, **{key: rows.get(value, {}).get(key) or 0 for key in keys}}
        for value in choices.values
    ]


def network(scope: Scope, period: Period) -> dict[str, Any]:
    """Four queries."""
    current = _current_at(period)
    memberships = scope.memberships()
    totals = memberships.aggregate(
        member_units=Count("unit", distinct=True, filter=current),
        memberships=Count("pk", filter=current),
        units_joined=Count("pk", filter=_in_days("joined_on", period)),
        units_left=Count("pk", filter=_in_days("left_on", period)),
    )
    by_role = {
        row["role"]: row
        for row in memberships.filter(current).values("role").annotate(count=Count("pk"))
    }
    by_type = {
        row["unit__unit_type"]: row
        for row in memberships.filter(current)
        .values("unit__unit_type")
        .annotate(count=Count("unit", distinct=True))
    }
    return {
        "figures": {
            "alliances_active": scope.counted_alliances().filter(_active_at(period)).count(),
            **totals,
        },
        "by_role": _choice_rows(MembershipRole, by_role, ("count",)),
        "by_unit_type": _choice_rows(UnitType, by_type, ("count",)),
    }


def coverage(scope: Scope, period: Period) -> dict[str, Any]:
    """One query. Coverage flags are the units' flags when the report is built."""
    covered = Q(org_covered=True) | Q(work_covered=True)
    # Aliases apart from the field names: an aggregate may not shadow the field it filters on.
    row = {
        key.removeprefix("n_"): value
        for key, value in scope.units(period)
        .aggregate(
            n_units=Count("pk"),
            n_party_orgs=Count("pk", filter=~Q(party_org_type=PartyOrgType.NONE)),
            n_org_covered=Count("pk", filter=Q(org_covered=True)),
            n_work_covered=Count("pk", filter=Q(work_covered=True)),
            n_key_targets=Count("pk", filter=Q(key_target=True)),
            n_key_targets_covered=Count("pk", filter=Q(key_target=True) & covered),
            n_party_members=Sum("party_member_count", default=0),
        )
        .items()
    }
    return {
        "figures": {
            **row,
            "org_coverage": percent(row["org_covered"], row["units"]),
            "work_coverage": percent(row["work_covered"], row["units"]),
            "key_target_coverage": percent(row["key_targets_covered"], row["key_targets"]),
        }
    }


ACTIVITY_SUMS = {
    "count": Count("pk"),
    "participants": Sum("participant_count"),
    "party_members": Sum("party_member_count"),
}


def activities(scope: Scope, period: Period, areas, *, keep_empty: bool) -> dict[str, Any]:
    """Two queries: by type (whose sums are the totals) and by region."""
    held = scope.activities().filter(_in_days("held_on", period))
    by_type = {
        row["activity_type"]: row for row in held.values("activity_type").annotate(**ACTIVITY_SUMS)
    }
    keys = tuple(ACTIVITY_SUMS)
    type_rows = _choice_rows(ActivityType, by_type, keys)
    by_region = held.values("region__path").annotate(**ACTIVITY_SUMS)
    return {
        "figures": {key: sum(row[key] for row in type_rows) for key in keys},
        "by_type": type_rows,
        "by_street": _by_area(by_region, areas, keys, keep_empty=keep_empty, rest=scope.rest),
    }


def planned_meetings(cadence: str, quarter: int) -> int:
    """Meetings an alliance's cadence calls for in a quarter: monthly 3, quarterly 1, half-yearly
    one in the second and fourth quarters, yearly one in the fourth."""
    if cadence == MeetingCadence.MONTHLY:
        return 3
    if cadence == MeetingCadence.QUARTERLY:
        return 1
    if cadence == MeetingCadence.HALF_YEARLY:
        return 1 if quarter in (2, 4) else 0
    if cadence == MeetingCadence.YEARLY:
        return 1 if quarter == 4 else 0
    return 0


def meetings(scope: Scope, period: Period) -> dict[str, Any]:
    """Three queries: active alliances by cadence, held meetings by cadence, their invitations."""
    quarter = Quarter.of(period.start).quarter
    alliances = {
        row["meeting_cadence"]: row["n"]
        for row in scope.meeting_alliances()
        .filter(_active_at(period))
        .values("meeting_cadence")
        .annotate(n=Count("pk"))
    }
    held = scope.meetings().filter(_in_time("start_at", period), status=MeetingStatus.HELD)
    history = Meeting.history.model.objects.filter(
        id=OuterRef("pk"), history_date__lte=OuterRef("end_at") + MINUTES_DUE_AFTER
    ).exclude(minutes="")
    has_minutes = ~Q(minutes="")
    by_cadence = {
        row["alliance__meeting_cadence"]: row
        for row in held.values("alliance__meeting_cadence").annotate(
            held=Count("pk"),
            minutes_filed=Count("pk", filter=has_minutes),
            minutes_on_time=Count("pk", filter=has_minutes & Exists(history)),
        )
    }
    invitations = Invitation.objects.filter(meeting__in=held.values("pk")).aggregate(
        invited=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    )
    rows = []
    for cadence in MeetingCadence.values:
        count = alliances.get(cadence, 0)
        rows.append(
            {
                "key": cadence,
                "alliances": count,
                "planned": count * planned_meetings(cadence, quarter),
                "held": by_cadence.get(cadence, {}).get("held", 0),
            }
        )
    planned = sum(row["planned"] for row in rows)
    total_held = sum(row["held"] for row in rows)
    filed = sum(row["minutes_filed"] for row in by_cadence.values())
    on_time = sum(row["minutes_on_time"] for row in by_cadence.values())
    return {
        "figures": {
            "planned": planned,
            "held": total_held,
            "held_rate": percent(total_held, planned),
            "invited": invitations["invited"],
            "attended": invitations["attended"],
            "attendance_rate": percent(invitations["attended"], invitations["invited"]),
            "minutes_filed": filed,
            "minutes_on_time": on_time,
            "minutes_on_time_rate": percent(on_time, total_held),
        },
        "by_cadence": rows,
    }


def _demand_figures(counts: dict[str, Any]) -> dict[str, Any]:
    return {
        "collected": counts["collected"],
        "resolved": counts["resolved"],
        "resolution_rate": _one_place(counts["resolution_rate"]),
        "median_days": _one_place(counts["median_days"]),
        "overdue": counts["overdue"],
        "average_satisfaction": _one_place(counts["average_satisfaction"]),
    }


def demands(scope: Scope, period: Period, areas, *, keep_empty: bool) -> dict[str, Any]:
    """Five queries: the demand loop's counts in total and by category (services.selectors.demands),
    and collected, resolved and overdue by region. Overdue is counted on the period's end."""
    raised = scope.demands(period).filter(_in_time("created_at", period))
    totals = _demand_figures(demand_counts(raised, today=period.end))
    by_category = {
        row["category"]: _demand_figures(row)
        for row in demand_counts_by_category(raised, today=period.end)
    }
    keys = ("collected", "resolved", "overdue")
    category_rows = _choice_rows(DemandCategory, by_category, (*keys, "resolution_rate"))
    for row in category_rows:
        row["resolution_rate"] = percent(row["resolved"], row["collected"])
    by_region = (
        raised.exclude(status=DemandStatus.MERGED)
        .values("region__path")
        .annotate(
            collected=Count("pk"),
            resolved=Count("pk", filter=Q(status__in=RESOLVED_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=DEMAND_OPEN_STATUSES, due_on__lt=period.end)),
        )
    )
    street_rows = _by_area(by_region, areas, keys, keep_empty=keep_empty, rest=scope.rest)
    for row in street_rows:
        row["resolution_rate"] = percent(row["resolved"], row["collected"])
    return {"figures": totals, "by_category": category_rows, "by_street": street_rows}


def projects(scope: Scope, period: Period) -> dict[str, Any]:
    """Two queries: projects, and claims."""
    new = _in_time("created_at", period)
    row = scope.projects().aggregate(
        new=Count("pk", filter=new),
        completed=Count(
            "pk", filter=Q(status=ProjectStatus.COMPLETED) & _in_time("completed_at", period)
        ),
        contract_amount=Sum(
            "contract_amount", filter=new & ~Q(status=ProjectStatus.CANCELLED), default=0
        ),
    )
    claims = scope.claims().aggregate(
        claims_made=Count("pk", filter=_in_time("created_at", period)),
        claims_accepted=Count(
            "pk", filter=Q(status=ClaimStatus.ACCEPTED) & _in_time("decided_at", period)
        ),
    )
    return {
        "figures": {
            "new": row["new"],
            "completed": row["completed"],
            "contract_amount": _money(row["contract_amount"]),
            **claims,
        }
    }


def stations(scope: Scope, period: Period) -> dict[str, Any]:
    """Two queries: open stations by kind, and the activities held at the scope's stations."""
    in_scope = scope.stations(period)
    by_kind = {
        row["kind"]: row
        for row in in_scope.filter(_open_at(period)).values("kind").annotate(count=Count("pk"))
    }
    kind_rows = _choice_rows(StationKind, by_kind, ("count",))
    hosted = Activity.objects.filter(_in_days("held_on", period))
    if scope.kind == "district":
        hosted = hosted.filter(station__isnull=False)
    else:
        hosted = hosted.filter(station__in=in_scope.values("pk"))
    return {
        "figures": {
            "stations": sum(row["count"] for row in kind_rows),
            "activities_hosted": hosted.count(),
        },
        "by_kind": kind_rows,
    }


def sections(scope: Scope, period: Period, areas) -> dict[str, dict[str, Any]]:
    """Every section's figures and breakdowns for one period: 20 queries."""
    keep_empty = scope.alliance is None
    return {
        "network": network(scope, period),
        "coverage": coverage(scope, period),
        "activities": activities(scope, period, areas, keep_empty=keep_empty),
        "meetings": meetings(scope, period),
        "demands": demands(scope, period, areas, keep_empty=keep_empty),
        "projects": projects(scope, period),
        "stations": stations(scope, period),
    }


# --- trend --------------------------------------------------------------------------------------


def _month_key(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year:04d}-{value.month:02d}"


def trend(scope: Scope, period: Period, months: int = 12) -> dict[str, Any]:
    """Activities, participants, demands collected and resolved per month, for the 12 months up to
    the period's last: three queries."""
    firsts = months_back(period.last_day, months)
    window = Period(firsts[0], period.end)
    labels = [f"{day.year:04d}-{day.month:02d}" for day in firsts]
    activity_rows = {
        _month_key(row["month"]): row
        for row in scope.activities()
        .filter(_in_days("held_on", window))
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(count=Count("pk"), participants=Sum("participant_count"))
    }
    demands_in_scope = scope.demands(period).exclude(status=DemandStatus.MERGED)
    collected = {
        _month_key(row["month"]): row["n"]
        for row in demands_in_scope.filter(_in_time("created_at", window))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    resolved = {
        _month_key(row["month"]): row["n"]
        for row in demands_in_scope.filter(
            _in_time("resolved_at", window), status__in=RESOLVED_STATUSES
        )
        .annotate(month=TruncMonth("resolved_at"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    return {
        "months": labels,
        "activities": [activity_rows.get(m, {}).get("count", 0) for m in labels],
        "participants": [activity_rows.get(m, {}).get("participants") or 0 for m in labels],
        "demands_collected": [collected.get(m, 0) for m in labels],
        "demands_resolved": [resolved.get(m, 0) for m in labels],
    }


# --- the whole ----------------------------------------------------------------------------------


def _period_json(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.last_day.isoformat()}


def compute_indicators(
    scope: Scope, period: Period, previous: Period, *, with_trend: bool = True
) -> dict[str, Any]:
    """All indicators of `period` with those of `previous` beside each figure: 44 queries."""
    areas = scope.areas()
    now = sections(scope, period, areas)
    before = sections(scope, previous, areas)
    result: dict[str, Any] = {
        "version": INDICATORS_VERSION,
        "scope": {
            "kind": scope.kind,
            "alliance": scope.alliance.pk if scope.alliance is not None else None,
            "alliance_name": scope.alliance.name if scope.alliance is not None else None,
            "region": scope.region.pk if scope.region is not None else None,
            "region_name": scope.region.name if scope.region is not None else None,
        },
        "period": _period_json(period),
        "previous_period": _period_json(previous),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "sections": {},
    }
    for section in SECTIONS:
        current, earlier = now[section.key], before[section.key]
        result["sections"][section.key] = {
            "figures": {
                figure.key: with_change(
                    current["figures"][figure.key], earlier["figures"][figure.key], figure.kind
                )
                for figure in section.figures
            },
            **{b.key: current[b.key] for b in section.breakdowns},
        }
    if with_trend:
        result["trend"] = trend(scope, period)
    return result


def quarter_indicators(scope: Scope, quarter: Quarter) -> dict[str, Any]:
    """A quarterly report's indicators: the quarter beside the quarter before it."""
    result = compute_indicators(scope, quarter.period, quarter.previous().period)
    result["quarter"] = {"year": quarter.year, "quarter": quarter.quarter}
    return result


__all__ = [
    "COUNT",
    "PERCENT",
    "Scope",
    "compute_indicators",
    "percent",
    "planned_meetings",
    "quarter_indicators",
    "with_change",
]
