"""Writes on memberships: a unit joins, leaves or is removed from an alliance."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import MemberUnit

from ..choices import AllianceStatus, MembershipRole
from ..models import Alliance, Membership

if TYPE_CHECKING:
    from portal.accounts.models import User


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
def membership_leave(*, membership: Membership, by: User) -> Membership:
    """A unit's contact ends the unit's current membership; the lead unit must hand over first."""
    if not (by.is_unit_contact and by.unit_id and by.unit_id == membership.unit_id):
        raise PermissionDenied(_("Only the unit's own contact can leave an alliance for it."))
    membership = (
        Membership.objects.select_for_update().select_related("alliance").get(pk=membership.pk)
    )
    if (
        membership.role == MembershipRole.LEAD
        or membership.alliance.lead_unit_id == membership.unit_id
    ):
        raise ValidationError(
            {
                "role": _(
                    "The lead unit cannot leave its alliance. Hand the lead over to another unit first; district staff do that."
                )
            }
        )
    return membership_end(membership=membership)
