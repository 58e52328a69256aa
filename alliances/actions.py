"""Writes on alliances and memberships; each keeps the network's rules and its history."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import MemberUnit

from .choices import AllianceStatus, MembershipRole
from .models import Alliance, Membership


@transaction.atomic
def membership_add(
    *,
    alliance: Alliance,
    unit: MemberUnit,
    role: str = MembershipRole.MEMBER,
    joined_on: date | None = None,
    representative: str = "",
    note: str = "",
) -> Membership:
    """Add `unit` to `alliance`; a unit has at most one open membership per alliance (the database decides)."""
    if alliance.status == AllianceStatus.DISSOLVED:
        raise ValidationError({"alliance": _("This alliance has ended; it takes no new members.")})
    if unit.status != "active":
        raise ValidationError({"unit": _("Only active units can join an alliance.")})
    membership = Membership(
        alliance=alliance,
        unit=unit,
        role=role,
        joined_on=joined_on or timezone.localdate(),
        representative=representative,
        note=note,
    )
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"unit": _("This unit is already a member of this alliance.")}
        ) from exc
    if role == MembershipRole.LEAD and alliance.lead_unit_id != unit.pk:
        alliance.lead_unit = unit
        alliance.save(update_fields=["lead_unit"])
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, left_on: date | None = None) -> Membership:
    """End a membership; the row stays with its dates."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has already ended.")})
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A unit cannot leave before it joined.")})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    return membership


@transaction.atomic
def alliance_end(*, alliance: Alliance, ended_on: date | None = None) -> Alliance:
    """Dissolve an alliance: it stays in the directory as dissolved and its current memberships end."""
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    if alliance.status == AllianceStatus.DISSOLVED:
        raise ValidationError({"status": _("This alliance has already ended.")})
    ended_on = ended_on or timezone.localdate()
    if alliance.founded_on and ended_on < alliance.founded_on:
        raise ValidationError({"ended_on": _("An alliance cannot end before it was founded.")})
    if alliance.children.exclude(status=AllianceStatus.DISSOLVED).exists():
        raise ValidationError({"status": _("End or move the alliances inside it first.")})
    for membership in alliance.memberships.current():
        membership.left_on = max(ended_on, membership.joined_on)
        membership.save(update_fields=["left_on"])
    alliance.status = AllianceStatus.DISSOLVED
    alliance.ended_on = ended_on
    alliance.save(update_fields=["status", "ended_on"])
    return alliance


def alliance_parent_check(*, alliance: Alliance, parent: Alliance | None) -> None:
    """Refuse a parent that would put the alliance inside itself."""
    seen = set()
    node = parent
    while node is not None:
        if node.pk == alliance.pk:
            raise ValidationError({"parent": _("An alliance cannot be placed inside itself.")})
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = node.parent
