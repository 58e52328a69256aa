"""Reads of claims: who may decide or withdraw one, the claims a user sees."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..choices import ClaimKind, ClaimStatus
from ..models import (
    Claim,
)
from .projects import _demand_handler, _signed_in, is_project_owner

# Claims that a unit makes, and those that a project (or a demand's handlers) makes to a unit.
UNIT_INITIATED = (ClaimKind.UNIT_CLAIMS_PROJECT, ClaimKind.UNIT_CLAIMS_DEMAND)


PROJECT_KINDS = (
    ClaimKind.UNIT_CLAIMS_PROJECT,
    ClaimKind.PROJECT_INVITES_UNIT,
    ClaimKind.PROJECT_REQUESTS_RESOURCE,
)


DEMAND_KINDS = (ClaimKind.UNIT_CLAIMS_DEMAND, ClaimKind.DEMAND_REQUESTS_RESOURCE)


def _speaks_for(user, unit_id: int | None) -> bool:
    return bool(
        _signed_in(user) and user.is_unit_contact and user.unit_id and user.unit_id == unit_id
    )


def claim_can_decide(user, claim: Claim) -> bool:
    """Whether `user` may accept or decline the pending `claim` (the other side from who made it)."""
    if claim.status != ClaimStatus.PENDING or not _signed_in(user):
        return False
    if user.is_district_staff:
        return True
    if claim.kind == ClaimKind.UNIT_CLAIMS_PROJECT:
        return is_project_owner(user, claim.project)
    if claim.kind == ClaimKind.UNIT_CLAIMS_DEMAND:
        return _demand_handler(user, claim.demand)
    # Invitations and requests for a resource are answered by the unit they are made to.
    return _speaks_for(user, claim.unit_id)


def claim_can_withdraw(user, claim: Claim) -> bool:
    """Whether `user` may take back the pending `claim` (the side that made it)."""
    if claim.status != ClaimStatus.PENDING or not _signed_in(user):
        return False
    if user.is_district_staff:
        return True
    if claim.kind in UNIT_INITIATED:
        return _speaks_for(user, claim.unit_id)
    if claim.kind == ClaimKind.DEMAND_REQUESTS_RESOURCE:
        return _demand_handler(user, claim.demand)
    return is_project_owner(user, claim.project)


def claims_to_decide(user) -> Q:
    """The pending claims `user` must answer, as a filter (the SQL twin of `claim_can_decide`)."""
    pending = Q(status=ClaimStatus.PENDING)
    if not _signed_in(user):
        return Q(pk__in=[])
    if user.is_district_staff:
        return pending
    if user.is_street_secretary and user.region_id:
        path = user.region.path
        owned = Q(project__created_by_id=user.pk) | Q(project__region__path__startswith=path)
        return pending & (
            Q(kind=ClaimKind.UNIT_CLAIMS_PROJECT) & owned
            | Q(kind=ClaimKind.UNIT_CLAIMS_DEMAND, demand__region__path__startswith=path)
        )
    if user.is_unit_contact and user.unit_id:
        unit = user.unit_id
        owned = Q(project__lead_unit_id=unit) | Q(project__alliance__lead_unit_id=unit)
        return pending & (
            Q(kind=ClaimKind.UNIT_CLAIMS_PROJECT) & owned
            | Q(
                kind__in=[
                    ClaimKind.PROJECT_INVITES_UNIT,
                    ClaimKind.PROJECT_REQUESTS_RESOURCE,
                    ClaimKind.DEMAND_REQUESTS_RESOURCE,
                ],
                unit_id=unit,
            )
        )
    return Q(pk__in=[])


def claims_made_by_side(user) -> Q:
    """The claims `user`'s side made: their unit's claims, their projects' invitations and requests."""
    if not _signed_in(user):
        return Q(pk__in=[])
    mine = Q(created_by_id=user.pk)
    if user.is_unit_contact and user.unit_id:
        unit = user.unit_id
        owned = Q(project__lead_unit_id=unit) | Q(project__alliance__lead_unit_id=unit)
        mine |= Q(kind__in=UNIT_INITIATED, unit_id=unit) | (
            Q(kind__in=[ClaimKind.PROJECT_INVITES_UNIT, ClaimKind.PROJECT_REQUESTS_RESOURCE])
            & owned
        )
    return mine


def claim_list(*, user) -> QuerySet[Claim]:
    """Claims as the claims page and API list show them, with everything a row names, in one query."""
    return (
        Claim.objects.restrict(user)
        .select_related(
            "project",
            "project__alliance",
            "project__region",
            "demand",
            "demand__region",
            "unit",
            "resource_offer",
            "created_by",
            "decided_by",
        )
        .order_by("-created_at", "-id")
    )
