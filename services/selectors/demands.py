"""Reads of demands: the board in a fixed number of queries, a demand's page, and the counts reports use.

The counts (`demand_counts`, `demand_counts_by_category`, `demand_counts_by_region`) take any demand
queryset (already scoped and filtered by the caller) and define, for a quarterly report or a campaign:

- collected: the demands raised, duplicates merged into another left out (they count once);
- resolved: those resolved or closed;
- resolution_rate: resolved / collected as a percentage with one decimal (None when nothing was
  collected);
- median_days: the median of (resolved_at − raised) in days, one decimal, over demands with a
  resolution time (None when there are none);
- overdue: open demands past their due date on `today`;
- average_satisfaction: the mean rating (1–5) with one decimal over rated demands (None when none).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.core.exports import export_table, yes_no
from portal.core.masking import mask_email, mask_phone
from portal.regions.models import Region

from ..actions.demands import ASSIGNEE, HANDLER, RAISER, roles_of
from ..choices import DEMAND_OPEN_STATUSES, DemandStatus
from ..models import Demand, DemandAttachment, DemandCampaign, DemandEvent
from . import related_value

RESOLVED_STATUSES = (DemandStatus.RESOLVED, DemandStatus.CLOSED)
ONE_PLACE = Decimal("0.1")


def demand_list(*, user) -> QuerySet[Demand]:
    """Demands as the board shows them, with their unit, region, campaign and assignees, in one query.

    Only the relations a row shows are joined: PostgreSQL plans a join of eight tables by trying
    their orders, which took 25 ms for each page of 50 demands at Pudong's size (4 ms to run it);
    five take a few milliseconds. The page of one demand adds what it shows (`demand_detail`).
    """
    return (
        Demand.objects.restrict(user)
        .select_related("unit", "region", "campaign", "assignee_unit", "assignee")
        .order_by("-created_at", "-id")
    )


def demand_api_list(*, user) -> QuerySet[Demand]:
    """Demands as the API lists them: the names of the unit, campaign and assigned unit as
    subqueries run for the page's rows only, and of the region and the assignee the columns a row
    shows (and the region's path, which says whether a secretary handles the demand): one join
    instead of five (docs/benchmarks.md)."""
    from members.models import MemberUnit

    own = [f.name for f in Demand._meta.concrete_fields]
    return (
        Demand.objects.restrict(user)
        .select_related("region", "assignee")
        .only(
            *own,
            *("region__code", "region__name", "region__path"),
            *("assignee__username", "assignee__first_name", "assignee__last_name"),
        )
        .annotate(
            unit_name=related_value(MemberUnit, "unit_id"),
            campaign_title=related_value(DemandCampaign, "campaign_id", "title"),
            assignee_unit_name=related_value(MemberUnit, "assignee_unit_id"),
        )
        .order_by("-created_at", "-id")
    )


def demand_detail(*, user) -> QuerySet[Demand]:
    """Demands for their page: with the timeline, the attachments and the duplicates merged into them."""
    return (
        demand_list(user=user)
        .select_related("created_by", "project", "merged_into", "region__parent")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=DemandEvent.objects.select_related("actor").order_by("created_at", "id"),
            ),
            Prefetch(
                "attachments",
                queryset=DemandAttachment.objects.select_related("uploaded_by").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "duplicates",
                queryset=Demand.objects.order_by("pk").only("pk", "title", "merged_into"),
            ),
        )
    )


def demand_status_counts(queryset: QuerySet[Demand]) -> dict[str, int]:
    """How many demands of `queryset` are in each status (every status present, zero or not); one query."""
    counts = dict.fromkeys(DemandStatus.values, 0)
    rows = queryset.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    for status, n in rows:
        counts[status] = n
    return counts


def contacts_visible(*, user, demand: Demand) -> bool:
    """Whether `user` reads the demand's contact details unmasked: its handlers, raiser and assignee."""
    return bool(roles_of(user, demand) & {HANDLER, RAISER, ASSIGNEE})


def demand_contacts(*, user, demand: Demand) -> dict[str, str]:
    """The contact details of a demand as `user` may see them (DESIGN.md §4)."""
    if contacts_visible(user=user, demand=demand):
        return {
            "contact_name": demand.contact_name,
            "contact_phone": demand.contact_phone,
            "contact_email": demand.contact_email,
        }
    return {
        "contact_name": demand.contact_name[:1] + "*" * max(len(demand.contact_name) - 1, 0),
        "contact_phone": mask_phone(demand.contact_phone),
        "contact_email": mask_email(demand.contact_email),
    }


def campaign_list(*, user) -> QuerySet[DemandCampaign]:
    """Campaigns with how many demands (of the user's scope) each collected and resolved, in one query."""
    scoped = Demand.objects.restrict(user).exclude(status=DemandStatus.MERGED)
    return (
        DemandCampaign.objects.restrict(user)
        .select_related("region")
        .annotate(
            collected=Count("demands", filter=Q(demands__in=scoped), distinct=True),
            resolved=Count(
                "demands",
                filter=Q(demands__in=scoped, demands__status__in=RESOLVED_STATUSES),
                distinct=True,
            ),
        )
        .order_by("-opens_on", "-id")
    )


# --- counts -------------------------------------------------------------------------------------


class DemandCounts(TypedDict):
    collected: int
    resolved: int
    resolution_rate: Decimal | None
    median_days: Decimal | None
    overdue: int
    average_satisfaction: Decimal | None


def _one_place(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def resolution_rate(collected: int, resolved: int) -> Decimal | None:
    """resolved / collected as a percentage, one decimal: 3,287 of 4,092 → 80.3."""
    if not collected:
        return None
    return (Decimal(resolved) * 100 / Decimal(collected)).quantize(
        ONE_PLACE, rounding=ROUND_HALF_UP
    )


class _Median(Aggregate):
    """PostgreSQL's median (an ordered-set aggregate) of the resolution times in seconds."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class _EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def _collected(queryset: QuerySet[Demand]) -> QuerySet[Demand]:
    return queryset.exclude(status=DemandStatus.MERGED).order_by()


def _aggregates(today: datetime.date) -> dict[str, Any]:
    return {
        "collected": Count("pk"),
        "resolved": Count("pk", filter=Q(status__in=RESOLVED_STATUSES)),
        "overdue": Count("pk", filter=Q(status__in=DEMAND_OPEN_STATUSES, due_on__lt=today)),
        "average_satisfaction": Avg("satisfaction"),
    }


def _medians(queryset: QuerySet[Demand], key: str | None) -> dict[Any, Decimal | None]:
    """Median days to resolve per `key` value (or under None for the whole), in one query."""
    timed = _collected(queryset).filter(resolved_at__isnull=False)
    if connection.vendor == "postgresql":
        seconds = _Median(_EpochSeconds(F("resolved_at") - F("created_at")))
        if key is None:
            value = timed.aggregate(m=seconds)["m"]
            return {None: _one_place(value / 86400) if value is not None else None}
        rows = timed.values(key).annotate(m=seconds).values_list(key, "m")
        return {k: _one_place(m / 86400) if m is not None else None for k, m in rows}
    # Elsewhere (SQLite: the demo and the quick tests) the durations are read in one query.
    durations: dict[Any, list[float]] = {}
    fields = ("created_at", "resolved_at") if key is None else (key, "created_at", "resolved_at")
    for row in timed.values_list(*fields).iterator(chunk_size=2000):
        group = None if key is None else row[0]
        created, resolved = row[-2], row[-1]
        durations.setdefault(group, []).append((resolved - created).total_seconds() / 86400)
    return {k: _one_place(statistics.median(v)) for k, v in durations.items()}


def _finish(row: dict[str, Any], median: Decimal | None) -> DemandCounts:
    return DemandCounts(
        collected=row["collected"],
        resolved=row["resolved"],
        resolution_rate=resolution_rate(row["collected"], row["resolved"]),
        median_days=median,
        overdue=row["overdue"],
        average_satisfaction=_one_place(row["average_satisfaction"]),
    )


def demand_counts(
    queryset: QuerySet[Demand], *, today: datetime.date | None = None
) -> DemandCounts:
    """The loop's figures for a set of demands (see the module's docstring); two queries."""
    today = today or timezone.localdate()
    row = _collected(queryset).aggregate(**_aggregates(today))
    return _finish(row, _medians(queryset, None).get(None))


def demand_counts_by_category(
    queryset: QuerySet[Demand], *, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """`demand_counts` per category that has demands, most collected first; two queries."""
    today = today or timezone.localdate()
    rows = _collected(queryset).values("category").annotate(**_aggregates(today))
    medians = _medians(queryset, "category")
    result = [
        {"category": row["category"], **_finish(row, medians.get(row["category"]))} for row in rows
    ]
    result.sort(key=lambda r: (-r["collected"], r["category"]))
    return result


def demand_counts_by_region(
    queryset: QuerySet[Demand], *, within: Region | None = None, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """`demand_counts` per region: per child of `within` (each street of a district, say) with
    everything below it rolled up, or, without `within`, per region the demands name. Four queries."""
    today = today or timezone.localdate()
    collected = _collected(queryset)
    if within is not None:
        collected = collected.filter(region__path__startswith=within.path)
    rows = list(
        collected.values("region_id", "region__path").annotate(
            **_aggregates(today), rated=Count("satisfaction")
        )
    )
    group_of: dict[int, int] = {}
    if within is None:
        group_of = {row["region_id"]: row["region_id"] for row in rows}
    else:
        depth = within.path.count("/") + 1
        children = dict(Region.objects.filter(parent=within).values_list("path", "pk"))
        for row in rows:
            prefix = "/".join(row["region__path"].split("/")[:depth]) + "/"
            group_of[row["region_id"]] = children.get(prefix, within.pk)
    totals: dict[int, dict[str, Any]] = {}
    for row in rows:
        total = totals.setdefault(
            group_of[row["region_id"]],
            {"collected": 0, "resolved": 0, "overdue": 0, "rated": 0, "rating_sum": 0.0},
        )
        for name in ("collected", "resolved", "overdue", "rated"):
            total[name] += row[name]
        if row["rated"]:
            total["rating_sum"] += float(row["average_satisfaction"]) * row["rated"]
    durations: dict[int, list[float]] = {}
    timed = collected.filter(resolved_at__isnull=False).values_list(
        "region_id", "created_at", "resolved_at"
    )
    for region_id, created, resolved in timed.iterator(chunk_size=2000):
        durations.setdefault(group_of[region_id], []).append(
            (resolved - created).total_seconds() / 86400
        )
    regions = {
        pk: (name, code)
        for pk, name, code in Region.objects.filter(pk__in=list(totals)).values_list(
            "pk", "name", "code"
        )
    }
    result = []
    for group, total in totals.items():
        times = durations.get(group)
        average = total["rating_sum"] / total["rated"] if total["rated"] else None
        result.append(
            {
                "region": group,
                "region_name": regions.get(group, ("", ""))[0],
                "region_code": regions.get(group, ("", ""))[1],
                **_finish(
                    {**total, "average_satisfaction": average},
                    _one_place(statistics.median(times)) if times else None,
                ),
            }
        )
    result.sort(key=lambda r: (-r["collected"], r["region_code"]))
    return result


# --- export -------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    gettext_lazy("No."),
    gettext_lazy("raised"),
    gettext_lazy("title"),
    gettext_lazy("category"),
    gettext_lazy("source"),
    gettext_lazy("status"),
    gettext_lazy("unit"),
    gettext_lazy("contact name"),
    gettext_lazy("contact phone"),
    gettext_lazy("region"),
    gettext_lazy("region code"),
    gettext_lazy("collection campaign"),
    gettext_lazy("handling unit"),
    gettext_lazy("assignee"),
    gettext_lazy("due on"),
    gettext_lazy("overdue"),
    gettext_lazy("resolved"),
    gettext_lazy("satisfaction"),
    gettext_lazy("resolution"),
    gettext_lazy("description"),
]


@export_table(filename="demands", sheet_title=gettext_lazy("demands"), headers=EXPORT_HEADERS)
def demand_export(queryset: QuerySet[Demand], user) -> Iterator[list[Any]]:
    """The rows of the XLSX of a filtered board (from `demand_list`), streamed; contacts as `user` may see them."""
    for demand in queryset.iterator(chunk_size=1000):
        contacts = demand_contacts(user=user, demand=demand)
        yield [
            demand.pk,
            demand.created_at,
            demand.title,
            demand.get_category_display(),
            demand.get_source_display(),
            demand.get_status_display(),
            demand.unit.name if demand.unit_id else "",
            contacts["contact_name"],
            contacts["contact_phone"],
            demand.region.name,
            demand.region.code,
            demand.campaign.title if demand.campaign_id else "",
            demand.assignee_unit.name if demand.assignee_unit_id else "",
            str(demand.assignee) if demand.assignee_id else "",
            demand.due_on,
            yes_no(demand.is_overdue),
            demand.resolved_at,
            demand.satisfaction,
            demand.resolution,
            demand.description,
        ]
