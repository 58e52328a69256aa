"""Reads of join requests: the scoped list and a unit's own."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import JoinRequest


def join_request_list(*, user) -> QuerySet[JoinRequest]:
    """Join requests the user may see, with what a list row shows, newest first."""
    return (
        JoinRequest.objects.restrict(user)
        .select_related("alliance", "unit", "requested_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def join_requests_for_unit(*, unit) -> QuerySet[JoinRequest]:
    """A unit's own join requests, newest first (for its contact's pages)."""
    return (
        JoinRequest.objects.filter(unit=unit)
        .select_related("alliance", "decided_by")
        .order_by("-created_at", "-id")
    )
