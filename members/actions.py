from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alliances.models import Membership

from .choices import UnitStatus
from .models import MemberUnit


@transaction.atomic
def unit_deactivate(*, unit: MemberUnit) -> MemberUnit:
    """Deactivate a unit; it leaves its alliances today and its records stay."""
    unit = MemberUnit.objects.select_for_update().get(pk=unit.pk)
    today = timezone.localdate()
    for membership in Membership.objects.current().filter(unit=unit):
        membership.left_on = max(today, membership.joined_on)
        membership.save(update_fields=["left_on"])
    unit.status = UnitStatus.INACTIVE
    unit.save(update_fields=["status", "updated_at"])
    return unit
