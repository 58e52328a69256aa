from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from alliances.models import Membership
from portal.core.masking import mask_email, mask_phone

from .models import MemberUnit


def unit_list(*, user) -> QuerySet[MemberUnit]:
    """Units as lists show them: region and the number of current alliances, in one query."""
    return (
        MemberUnit.objects.restrict(user)
        .select_related("region")
        .annotate(alliance_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
    )


def unit_detail(*, user) -> QuerySet[MemberUnit]:
    memberships = Membership.objects.select_related("alliance").order_by("left_on", "-joined_on")
    return (
        MemberUnit.objects.restrict(user)
        .select_related("region", "region__parent")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )


def contacts_visible(*, user, unit: MemberUnit) -> bool:
    """Whether `user` may read the unit's phone and e-mail unmasked (DESIGN.md §4)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_district_staff:
        return True
    if user.is_street_secretary and user.region_id:
        return unit.region.path.startswith(user.region.path)
    if user.is_unit_contact:
        return unit.pk == user.unit_id
    return False


def unit_contacts(*, user, unit: MemberUnit) -> dict[str, str]:
    """The contact details of `unit` as `user` may see them."""
    if contacts_visible(user=user, unit=unit):
        return {"contact_phone": unit.contact_phone, "contact_email": unit.contact_email}
    return {
        "contact_phone": mask_phone(unit.contact_phone),
        "contact_email": mask_email(unit.contact_email),
    }
