"""Reads of resource offers: lists in a fixed number of queries whatever the rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from portal.core.exports import export_table, yes_no
from portal.core.scoping import CHANGE
from services.models import ResourceOffer


def resource_offer_list(*, user) -> QuerySet[ResourceOffer]:
    """Offers as lists show them, with their unit and region, in one query."""
    return (
        ResourceOffer.objects.restrict(user)
        .select_related("unit", "region", "created_by")
        .order_by("-created_at", "-id")
    )


def resource_offer_changeable_ids(*, user, offers) -> set[int]:
    """Which of `offers` (ids or rows) `user` may edit, withdraw or restore, in one query at most."""
    if not user.is_authenticated:
        return set()
    ids = [getattr(o, "pk", o) for o in offers]
    if not ids:
        return set()
    return set(
        ResourceOffer.objects.restrict(user, CHANGE).filter(pk__in=ids).values_list("pk", flat=True)
    )


EXPORT_HEADERS = [
    gettext_lazy("title"),
    gettext_lazy("category"),
    gettext_lazy("unit"),
    gettext_lazy("region"),
    gettext_lazy("region code"),
    gettext_lazy("available from"),
    gettext_lazy("available until"),
    gettext_lazy("active"),
    gettext_lazy("description"),
    gettext_lazy("published on"),
]


@export_table(
    filename="resource-offers",
    sheet_title=gettext_lazy("resource offers"),
    headers=EXPORT_HEADERS,
)
def resource_offer_export(queryset: QuerySet[ResourceOffer], user) -> Iterator[list[Any]]:
    """The XLSX of a (filtered) list from `resource_offer_list`; streamed."""
    for offer in queryset.iterator(chunk_size=2000):
        yield [
            offer.title,
            offer.get_category_display(),
            offer.unit.name,
            offer.region.name if offer.region_id else "",
            offer.region.code if offer.region_id else "",
            offer.available_from,
            offer.available_until,
            yes_no(offer.is_active),
            offer.description,
            offer.created_at,
        ]
