"""Writes on alliances: end one, check where it sits in the tree."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import AllianceStatus
from ..models import Alliance

if TYPE_CHECKING:
    pass


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
