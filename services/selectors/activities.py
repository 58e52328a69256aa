"""Reads of the activity log: the scoped lists with their totals, an activity's page, the export rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from portal.core.exports import export_table
from portal.core.scoping import CHANGE, VIEW

from ..models import Activity, ActivityPhoto
from . import related_value


def activity_list(*, user) -> QuerySet[Activity]:
    """Activities as lists show them: their places and the number of photos, in one query."""
    photo_count = (
        ActivityPhoto.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Activity.objects.restrict(user)
        .select_related("region", "station", "alliance", "organizer", "recorded_by")
        .annotate(photo_count=Coalesce(Subquery(photo_count, output_field=IntegerField()), 0))
        .order_by("-held_on", "-id")
    )


def activity_api_list(*, user) -> QuerySet[Activity]:
    """Activities as the API lists them: what a row shows, and nothing more, in one query.

    The names of the station, alliance and organizer are subqueries that PostgreSQL runs for the 50
    rows of a page only, where joins made it plan a six-table query for every page and build four
    model instances per row; of the region and the recorder only the columns a row shows are read.
    At Pudong's size a street's page went from about 16 to 9 ms (docs/benchmarks.md).
    """
    from alliances.models import Alliance
    from members.models import MemberUnit

    from ..models import ServiceStation

    own = [f.name for f in Activity._meta.concrete_fields]
    shown = ["region__code", "region__name", "recorded_by__username"]
    recorder = ["recorded_by__first_name", "recorded_by__last_name"]  # str(user)
    return (
        activity_list(user=user)
        .select_related(None)
        .select_related("region", "recorded_by")
        .only(*own, *shown, *recorder)
        .annotate(
            station_name=related_value(ServiceStation, "station_id"),
            alliance_name=related_value(Alliance, "alliance_id"),
            organizer_name=related_value(MemberUnit, "organizer_id"),
        )
    )


def activity_detail(*, user) -> QuerySet[Activity]:
    return (
        Activity.objects.restrict(user)
        .select_related(
            "region", "region__parent", "station", "alliance", "organizer", "recorded_by"
        )
        .prefetch_related(
            Prefetch("photos", queryset=ActivityPhoto.objects.order_by("position", "id"))
        )
    )


def activity_totals(queryset: QuerySet[Activity]) -> dict[str, int]:
    """Activities, participants and party members of a (filtered) list, in one aggregate query.

    Straight over the list's own query; only a list made DISTINCT (a filter across a to-many
    relation) is first reduced to its ids, which at a district's size costs a second pass.
    """
    rows = queryset.order_by()
    if rows.query.distinct:
        rows = Activity.objects.filter(pk__in=rows.values("pk"))
    totals = rows.aggregate(
        activities=Count("pk"),
        participants=Coalesce(Sum("participant_count"), 0),
        party_members=Coalesce(Sum("party_member_count"), 0),
    )
    return {key: int(value or 0) for key, value in totals.items()}


def activity_can_change(*, user, activity: Activity) -> bool:

    if not user.is_authenticated:
        return False
    return Activity.objects.restrict(user, CHANGE).filter(pk=activity.pk).exists()


EXPORT_HEADERS = [
    gettext_lazy("held on"),
    gettext_lazy("title"),
    gettext_lazy("type"),
    gettext_lazy("region"),
    gettext_lazy("region code"),
    gettext_lazy("station"),
    gettext_lazy("place"),
    gettext_lazy("alliance"),
    gettext_lazy("organizer"),
    gettext_lazy("participants (人次)"),
    gettext_lazy("party members among them"),
    gettext_lazy("photos"),
    gettext_lazy("description"),
]


@export_table(filename="activities", sheet_title=gettext_lazy("activities"), headers=EXPORT_HEADERS)
def activity_export(queryset: QuerySet[Activity], user) -> Iterator[list[Any]]:
    """The rows of the XLSX of a filtered list (from `activity_list`), streamed."""
    for activity in queryset.iterator(chunk_size=2000):
        yield [
            activity.held_on,
            activity.title,
            activity.get_activity_type_display(),
            activity.region.name,
            activity.region.code,
            activity.station.name if activity.station_id else "",
            activity.place,
            activity.alliance.name if activity.alliance_id else "",
            activity.organizer.name if activity.organizer_id else "",
            activity.participant_count,
            activity.party_member_count,
            activity.photo_count,
            activity.description,
        ]


def activity_photo_readable(user, path: str) -> bool:
    """Whether `path` is the photo of an activity that `user` may read (one query)."""
    return ActivityPhoto.objects.filter(
        image=path, activity__in=Activity.objects.restrict(user, VIEW)
    ).exists()
