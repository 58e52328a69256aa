"""Reads of service stations: lists with their services in a fixed number of queries, the map's points."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal.core.exports import export_table, yes_no
from portal.core.scoping import CHANGE
from services.actions.stations import can_manage_stations
from services.choices import StationKind
from services.models import Activity, ServiceCategory, ServiceStation

# The map draws every matching station, not one page; this bounds the page's size at any scale.
MAP_POINTS_MAX = 5000
RECENT_ACTIVITIES = 10


def station_list(*, user) -> QuerySet[ServiceStation]:
    """Stations as lists show them: region, operator and services, in three queries whatever the rows."""
    return (
        ServiceStation.objects.restrict(user)
        .select_related("region", "operator")
        .prefetch_related(
            Prefetch("services", queryset=ServiceCategory.objects.order_by("position", "name"))
        )
        .order_by("name", "id")
    )


def station_detail(*, user) -> QuerySet[ServiceStation]:
    """A station with its region's ancestors for the region path."""
    return station_list(user=user).select_related("region__parent", "region__parent__parent")


def station_changeable_ids(*, user, stations) -> set[int]:
    """Which of `stations` (ids or rows) `user` may edit or close, in one query."""
    if not user.is_authenticated:
        return set()
    ids = [getattr(s, "pk", s) for s in stations]
    return set(
        ServiceStation.objects.restrict(user, CHANGE)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def station_map_points(*, queryset: QuerySet[ServiceStation]) -> list[dict[str, Any]]:
    """The markers of a (filtered) station list: the stations with coordinates, in one query."""
    rows = (
        queryset.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values("id", "name", "kind", "address", "latitude", "longitude", "is_open", "is_public")[
            :MAP_POINTS_MAX
        ]
    )
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "kind": row["kind"],
            "kind_label": str(StationKind(row["kind"]).label),
            "address": row["address"],
            "lat": float(row["latitude"]),
            "lng": float(row["longitude"]),
            "open": row["is_open"],
            "public": row["is_public"],
            "url": reverse("services:station-detail", args=[row["id"]]),
        }
        for row in rows
    ]


def station_recent_activities(*, user, station: ServiceStation) -> list[dict[str, Any]]:
    """The station's latest activities: title, type and date for anyone who may see the station, and a
    link to the activity for those whose scope includes it (two queries)."""
    activities = list(
        Activity.objects.filter(station=station)
        .only("id", "title", "activity_type", "held_on")
        .order_by("-held_on", "-id")[:RECENT_ACTIVITIES]
    )
    readable = set()
    if activities and user.is_authenticated:
        readable = set(
            Activity.objects.restrict(user)
            .filter(pk__in=[a.pk for a in activities])
            .values_list("pk", flat=True)
        )
    return [{"activity": a, "readable": a.pk in readable} for a in activities]


EXPORT_HEADERS = [
    gettext_lazy("name"),
    gettext_lazy("kind"),
    gettext_lazy("operator"),
    gettext_lazy("region"),
    gettext_lazy("region code"),
    gettext_lazy("address"),
    gettext_lazy("latitude"),
    gettext_lazy("longitude"),
    gettext_lazy("opening hours"),
    gettext_lazy("services"),
    gettext_lazy("phone"),
    gettext_lazy("public"),
    gettext_lazy("open"),
    gettext_lazy("closed on"),
]


@export_table(
    filename="stations",
    sheet_title=gettext_lazy("service stations"),
    headers=EXPORT_HEADERS,
    allowed=can_manage_stations,
)
def station_export(queryset: QuerySet[ServiceStation], user) -> Iterator[list[Any]]:
    """The XLSX of a (filtered) list from `station_list`; rows are streamed."""
    # iterator() with a chunk size keeps prefetch_related working while streaming.
    for station in queryset.iterator(chunk_size=1000):
        yield [
            station.name,
            station.get_kind_display(),
            station.operator.name if station.operator else "",
            station.region.name,
            station.region.code,
            station.address,
            float(station.latitude) if station.latitude is not None else None,
            float(station.longitude) if station.longitude is not None else None,
            station.opening_hours,
            "、".join(s.name for s in station.services.all()),
            station.phone,
            yes_no(station.is_public),
            yes_no(station.is_open),
            station.closed_on,
        ]
