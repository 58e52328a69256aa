"""Reads of memberships: the scoped list, members by role, joining and leaving events."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from ..choices import ROLE_ORDER
from ..models import Membership


def membership_list(*, user) -> QuerySet[Membership]:
    return Membership.objects.restrict(user).select_related("alliance", "unit", "unit__region")


def members_by_role(memberships: list[Membership]) -> list[tuple[str, list[Membership]]]:
    """Current memberships grouped by role, lead first."""
    groups: dict[str, list[Membership]] = defaultdict(list)
    for membership in memberships:
        if membership.left_on is None:
            groups[membership.role].append(membership)
    return [(role, groups[role]) for role in sorted(groups, key=ROLE_ORDER.__getitem__)]


def membership_events(memberships: list[Membership]) -> list[dict[str, Any]]:
    """Joins and leaves of an alliance as a timeline, newest first."""
    events = []
    for m in memberships:
        events.append({"date": m.joined_on, "kind": "joined", "membership": m})
        if m.left_on:
            events.append({"date": m.left_on, "kind": "left", "membership": m})
    return sorted(events, key=lambda e: (e["date"], e["kind"] == "left"), reverse=True)
