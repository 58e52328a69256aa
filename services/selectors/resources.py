"""Reads of resource offers: lists in a fixed number of queries whatever the rows."""

from __future__ import annotations

from django.db.models import QuerySet

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
