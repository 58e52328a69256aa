"""Writes on resource offers (资源清单): publish, edit, withdraw and restore, with their rules and history.

An offer is never deleted: a withdrawn one stays, marked inactive, with its history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.scoping import CHANGE
from services.models import ResourceOffer

if TYPE_CHECKING:
    from portal.accounts.models import User

# The fields a create or an edit may set; `is_active` changes only by withdrawing and restoring.
EDITABLE = (
    "unit",
    "category",
    "title",
    "description",
    "available_from",
    "available_until",
    "region",
)


def can_offer_resources(user) -> bool:
    """Whether `user` may publish offers at all: district staff, and unit contacts for their unit."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_district_staff or bool(user.is_unit_contact and user.unit_id)


def availability_check(available_from, available_until) -> None:
    """Refuse an offer that ends before it starts, naming the field."""
    if available_from and available_until and available_until < available_from:
        raise ValidationError(
            {"available_until": _("The offer cannot end before it starts (available from).")}
        )


def offer_unit_check(*, user: User | None, unit) -> None:
    """A unit contact offers for their own unit only; staff must name the unit."""
    if user is None:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that offers this resource.")})
        return
    if user.is_district_staff:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that offers this resource.")})
        return
    if not (user.is_unit_contact and user.unit_id):
        raise PermissionDenied(_("You cannot publish resource offers."))
    if unit is not None and getattr(unit, "pk", unit) != user.unit_id:
        raise ValidationError({"unit": _("You can only publish offers of your own unit.")})


def _require_change(*, offer: ResourceOffer, by: User | None) -> None:
    if (
        by is not None
        and not ResourceOffer.objects.restrict(by, CHANGE).filter(pk=offer.pk).exists()
    ):
        raise PermissionDenied(_("You cannot change this offer."))


def _check_fields(data: dict[str, Any], name: str) -> None:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise TypeError(f"{name}() got unexpected fields: {sorted(unknown)}")


def _save(offer: ResourceOffer, *, by: User | None) -> None:
    availability_check(offer.available_from, offer.available_until)
    offer.full_clean()
    if by is not None:
        offer._history_user = by
    offer.save()


@transaction.atomic
def resource_offer_create(*, by: User | None, data: dict[str, Any]) -> ResourceOffer:
    """Publish an offer; a unit contact's is always their own unit's, staff name the unit; the region
    defaults to the unit's. `by` None is the system (the demo loader)."""
    data = dict(data)
    _check_fields(data, "resource_offer_create")
    if by is not None and not can_offer_resources(by):
        raise PermissionDenied(_("You cannot publish resource offers."))
    unit = data.get("unit")
    offer_unit_check(user=by, unit=unit)
    if by is not None and by.is_unit_contact and not by.is_district_staff:
        data["unit"] = unit = by.unit
    if data.get("region") is None:
        data["region"] = unit.region
    offer = ResourceOffer(**data, created_by=by)
    _save(offer, by=by)
    return offer


@transaction.atomic
def resource_offer_update(
    *, offer: ResourceOffer, by: User | None, data: dict[str, Any]
) -> ResourceOffer:
    """Change an offer's fields; a unit contact cannot move it to another unit."""
    data = dict(data)
    _check_fields(data, "resource_offer_update")
    _require_change(offer=offer, by=by)
    if "unit" in data:
        offer_unit_check(user=by, unit=data["unit"])
    if "region" in data and data["region"] is None:
        data["region"] = (data.get("unit") or offer.unit).region
    for name, value in data.items():
        setattr(offer, name, value)
    _save(offer, by=by)
    return offer


def _set_active(offer: ResourceOffer, *, by: User | None, active: bool) -> ResourceOffer:
    _require_change(offer=offer, by=by)
    offer = ResourceOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.is_active == active:
        message = _("This offer is active.") if active else _("This offer is already withdrawn.")
        raise ValidationError({"is_active": message})
    offer.is_active = active
    if by is not None:
        offer._history_user = by
    offer.save(update_fields=["is_active", "updated_at"])
    return offer


@transaction.atomic
def resource_offer_withdraw(*, offer: ResourceOffer, by: User | None) -> ResourceOffer:
    """Withdraw an offer: it stays in the records, marked inactive."""
    return _set_active(offer, by=by, active=False)


@transaction.atomic
def resource_offer_restore(*, offer: ResourceOffer, by: User | None) -> ResourceOffer:
    """Offer a withdrawn resource again."""
    return _set_active(offer, by=by, active=True)
