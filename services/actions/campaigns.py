"""Writes on collection campaigns (征集) and on the deadlines by category; district staff only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import DemandCategory
from ..models import DemandCampaign, DemandDeadline

if TYPE_CHECKING:
    from portal.accounts.models import User

CAMPAIGN_FIELDS = ("title", "theme", "opens_on", "closes_on", "region")


def can_manage_campaigns(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_district_staff)


def _require_staff(by: User | None) -> None:
    if by is not None and not can_manage_campaigns(by):
        raise PermissionDenied(_("Only district staff manage collection campaigns and deadlines."))


def campaign_window_check(opens_on, closes_on) -> None:
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("The collection cannot close before it opens.")})


def _save(campaign: DemandCampaign, by: User | None) -> DemandCampaign:
    campaign.title = (campaign.title or "").strip()
    campaign_window_check(campaign.opens_on, campaign.closes_on)
    campaign.full_clean(exclude=["created_by"])
    if by is not None:
        campaign._history_user = by
    campaign.save()
    return campaign


@transaction.atomic
def campaign_create(*, by: User | None, data: dict[str, Any]) -> DemandCampaign:
    """Open a collection window; demands raised in it (and its region, if it has one) count against it."""
    _require_staff(by)
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_create() got unexpected fields: {sorted(unknown)}")
    return _save(DemandCampaign(**data, created_by=by), by)


@transaction.atomic
def campaign_update(
    *, campaign: DemandCampaign, by: User | None, data: dict[str, Any]
) -> DemandCampaign:
    """Change a campaign's title, theme, window or region; demands already counted stay with it."""
    _require_staff(by)
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"campaign_update() got unexpected fields: {sorted(unknown)}")
    campaign = DemandCampaign.objects.select_for_update().get(pk=campaign.pk)
    for name, value in data.items():
        setattr(campaign, name, value)
    return _save(campaign, by)


@transaction.atomic
def demand_deadlines_set(*, by: User | None, days: dict[str, int]) -> list[DemandDeadline]:
    """Set the days to resolve per category (1–365); categories left out keep theirs."""
    _require_staff(by)
    errors = {}
    for category, value in days.items():
        if category not in DemandCategory.values:
            errors[category] = _("Unknown category.")
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
            errors[category] = _("Give between 1 and 365 days.")
    if errors:
        raise ValidationError(errors)
    existing = {d.category: d for d in DemandDeadline.objects.select_for_update()}
    changed = []
    for category, value in days.items():
        deadline = existing.get(category) or DemandDeadline(category=category)
        if deadline.pk and deadline.due_days == value:
            continue
        deadline.due_days = value
        if by is not None:
            deadline._history_user = by
        deadline.save()
        changed.append(deadline)
    return changed
