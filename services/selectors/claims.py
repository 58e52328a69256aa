"""Reads of claims: who may decide or withdraw one, the claims a user sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from portal.accounts.selectors import region_handlers, unit_contacts
from portal.core.mail import absolute_url

from ..choices import ClaimKind, ClaimStatus
from ..models import (
    Claim,
)
from .projects import _demand_handler, _signed_in, is_project_owner, project_owner_users

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


# --- who hears of a claim, and what they read ---------------------------------------------------


def _claims_url(base_url: str | None, query: str = "") -> str:
    return absolute_url(reverse("services:claim-list") + query, base_url)


def claim_page_path(claim: Claim) -> str:
    """Where a claim is looked at: its project's page, or the claims page for a demand's."""
    if claim.project_id:
        return claim.project.get_absolute_url()
    return reverse("services:claim-list")


def _demand_path(demand) -> str:
    try:
        return demand.get_absolute_url()
    except NoReverseMatch:
        return reverse("services:claim-list")


def _claim_context(claim: Claim, base_url: str | None) -> dict[str, Any]:
    target = claim.project or claim.demand
    return {
        "claim": claim,
        "kind_label": claim.get_kind_display(),
        "role_label": claim.get_role_display(),
        "target": target,
        "unit": claim.unit,
        "offer": claim.resource_offer,
        "target_url": absolute_url(
            claim.project.get_absolute_url() if claim.project_id else _demand_path(claim.demand),
            base_url,
        ),
        "claims_url": _claims_url(base_url),
    }


def _side_users(claim: Claim, *, initiators: bool) -> list:
    """The people on one side of a claim: those who made it, or those who answer it."""
    unit_side = claim.kind in UNIT_INITIATED
    if claim.kind == ClaimKind.DEMAND_REQUESTS_RESOURCE:
        unit_side = False
    if not initiators:
        unit_side = not unit_side
    if unit_side:
        return unit_contacts([claim.unit_id])
    if claim.project_id:
        return project_owner_users(claim.project)
    return region_handlers(claim.demand.region)


def claim_notice(claim: Claim, *, to_initiators: bool, template: str, base_url: str | None) -> dict:
    """What `tell()` needs to tell one side of a claim: its people, the mail and the page.

    Those who made the claim hear the answer (its reason as the notice's text); those who answer
    it hear of a new or withdrawn claim (its message). Projects use it too, when closing declines
    the claims still waiting, so neither actions module imports the other for it.
    """
    return {
        "users": _side_users(claim, initiators=to_initiators),
        "template": f"services/email/{template}",
        "context": _claim_context(claim, base_url),
        "url": claim_page_path(claim)
        if to_initiators
        else reverse("services:claim-list") + "?todo=true",
        "body": claim.decision_reason if to_initiators else claim.message,
    }
