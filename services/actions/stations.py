"""Writes on service stations: create, edit, close and reopen, each with the station's rules and history.

A station is never deleted: closing it keeps the row (and its activities) with the day it closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.scoping import CHANGE
from services.choices import CHINA_LATITUDE, CHINA_LONGITUDE
from services.models import ServiceCategory, ServiceStation

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.regions.models import Region

# The fields a create or an edit may set; `is_open` and `closed_on` change only by closing and reopening.
EDITABLE = (
    "name",
    "kind",
    "operator",
    "region",
    "address",
    "latitude",
    "longitude",
    "opening_hours",
    "phone",
    "description",
    "is_public",
)


def can_manage_stations(user) -> bool:
    """Whether `user` may create stations at all: district staff anywhere, a secretary in their region."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_district_staff or bool(user.is_street_secretary and user.region_id)


def coordinates_check(latitude: Decimal | float | None, longitude: Decimal | float | None) -> None:
    """Refuse one coordinate without the other, and a point outside China (WGS-84), naming the field."""
    if latitude is None and longitude is None:
        return
    errors: dict[str, str] = {}
    if latitude is None:
        errors["latitude"] = _("Give the latitude too, or neither coordinate.")
    if longitude is None:
        errors["longitude"] = _("Give the longitude too, or neither coordinate.")
    if latitude is not None and not CHINA_LATITUDE[0] <= float(latitude) <= CHINA_LATITUDE[1]:
        errors["latitude"] = _(
            "This point is outside China: the latitude must be between %(low)s and %(high)s."
        ) % {"low": CHINA_LATITUDE[0], "high": CHINA_LATITUDE[1]}
    if longitude is not None and not CHINA_LONGITUDE[0] <= float(longitude) <= CHINA_LONGITUDE[1]:
        errors["longitude"] = _(
            "This point is outside China: the longitude must be between %(low)s and %(high)s."
        ) % {"low": CHINA_LONGITUDE[0], "high": CHINA_LONGITUDE[1]}
    if errors:
        raise ValidationError(errors)


def station_region_check(*, user: User | None, region: Region | None) -> None:
    """A street secretary places stations only inside their own region (its subtree)."""
    if user is None or region is None or user.is_district_staff:
        return
    if not (user.is_street_secretary and user.region_id):
        raise ValidationError({"region": _("You cannot place stations.")})
    if not region.path.startswith(user.region.path):
        raise ValidationError(
            {
                "region": _("Choose a region inside %(region)s: your stations stay in your region.")
                % {"region": user.region.name}
            }
        )


def services_check(*, services: Iterable[ServiceCategory], station: ServiceStation | None) -> None:
    """New services come from the active catalogue; a deactivated one may stay where it already is."""
    current = (
        set(station.services.values_list("pk", flat=True)) if station and station.pk else set()
    )
    retired = [s.name for s in services if not s.is_active and s.pk not in current]
    if retired:
        raise ValidationError(
            {
                "services": _("No longer in the catalogue: %(names)s.")
                % {"names": "、".join(retired)}
            }
        )


def _require_change(*, station: ServiceStation, by: User | None) -> None:
    if (
        by is not None
        and not ServiceStation.objects.restrict(by, CHANGE).filter(pk=station.pk).exists()
    ):
        raise PermissionDenied(_("You cannot change this station."))


def _save(
    station: ServiceStation,
    *,
    by: User | None,
    created: bool,
    services: Iterable[ServiceCategory] | None = None,
) -> None:
    """Save the row and its services as one history record, not one for the row and one per m2m step."""
    if by is not None:
        station._history_user = by
    station.skip_history_when_saving = True
    try:
        station.save()
        if services is not None:
            wanted = {s.pk for s in services}
            if wanted != set(station.services.values_list("pk", flat=True)):
                station.services.set(wanted)
    finally:
        del station.skip_history_when_saving
    # simple-history writes its record (with the services as they are now) on post_save.
    post_save.send(
        sender=ServiceStation, instance=station, created=created, raw=False, using=station._state.db
    )


def _validate(station: ServiceStation) -> None:
    coordinates_check(station.latitude, station.longitude)
    station.full_clean()


@transaction.atomic
def station_create(
    *,
    by: User | None,
    services: Iterable[ServiceCategory] = (),
    **fields: Any,
) -> ServiceStation:
    """Create a station; `by` None is the system (the demo loader), which skips the region rule."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"station_create() got unexpected fields: {sorted(unknown)}")
    if by is not None and not can_manage_stations(by):
        raise PermissionDenied(_("You cannot create stations."))
    services = list(services)
    station = ServiceStation(**fields)
    station_region_check(user=by, region=station.region if station.region_id else None)
    services_check(services=services, station=None)
    _validate(station)
    _save(station, by=by, created=True, services=services)
    return station


@transaction.atomic
def station_update(
    *,
    station: ServiceStation,
    by: User | None,
    services: Iterable[ServiceCategory] | None = None,
    **fields: Any,
) -> ServiceStation:
    """Change a station's fields and, when given, its services; a secretary keeps it inside their region."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"station_update() got unexpected fields: {sorted(unknown)}")
    _require_change(station=station, by=by)
    for name, value in fields.items():
        setattr(station, name, value)
    if "region" in fields:
        station_region_check(user=by, region=station.region)
    if services is not None:
        services = list(services)
        services_check(services=services, station=station)
    _validate(station)
    _save(station, by=by, created=False, services=services)
    return station


@transaction.atomic
def station_close(
    *, station: ServiceStation, by: User | None, closed_on: date | None = None
) -> ServiceStation:
    """Close a station: it leaves the public map and stays, marked closed, in the lists of those who manage it."""
    _require_change(station=station, by=by)
    station = ServiceStation.objects.select_for_update().get(pk=station.pk)
    if not station.is_open:
        raise ValidationError({"is_open": _("This station is already closed.")})
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A station cannot be closed in the future.")})
    station.is_open = False
    station.closed_on = closed_on
    if by is not None:
        station._history_user = by
    station.save(update_fields=["is_open", "closed_on", "updated_at"])
    return station


@transaction.atomic
def station_reopen(*, station: ServiceStation, by: User | None) -> ServiceStation:
    """Open a closed station again; the day it closed stays in its history."""
    _require_change(station=station, by=by)
    station = ServiceStation.objects.select_for_update().get(pk=station.pk)
    if station.is_open:
        raise ValidationError({"is_open": _("This station is open.")})
    station.is_open = True
    station.closed_on = None
    if by is not None:
        station._history_user = by
    station.save(update_fields=["is_open", "closed_on", "updated_at"])
    return station
