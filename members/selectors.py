from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from alliances.models import Alliance, Membership
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.core.exports import export_table, yes_no
from portal.core.masking import mask_email, mask_phone

from .models import MemberUnit, Registration, UnitChange


def unit_list(*, user) -> QuerySet[MemberUnit]:
    """Units as lists show them: region and the number of current alliances, in one query.

    The count is a correlated subquery, not a join with GROUP BY: the database then reads the page's
    rows in name order from the index and counts memberships for those rows only.
    """
    current = (
        Membership.objects.filter(unit=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        MemberUnit.objects.restrict(user)
        .select_related("region")
        .annotate(alliance_count=Coalesce(Subquery(current, output_field=IntegerField()), 0))
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


def registration_list(*, user) -> QuerySet[Registration]:
    """Registrations as the review queue shows them, in one query."""
    return Registration.objects.restrict(user).select_related("region", "decided_by")


REGISTRATION_EXPORT_HEADERS = [
    gettext_lazy("unit name"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("unit type"),
    gettext_lazy("region"),
    gettext_lazy("region code"),
    gettext_lazy("address"),
    gettext_lazy("industry"),
    gettext_lazy("party organization"),
    gettext_lazy("party members"),
    gettext_lazy("contact name"),
    gettext_lazy("mobile phone"),
    gettext_lazy("contact e-mail"),
    gettext_lazy("status"),
    gettext_lazy("Submitted on"),
    gettext_lazy("e-mail confirmed"),
    gettext_lazy("decided by"),
    gettext_lazy("decided"),
    gettext_lazy("reason for rejection"),
]


@export_table(
    filename="registrations",
    sheet_title=gettext_lazy("registrations"),
    headers=REGISTRATION_EXPORT_HEADERS,
)
def registration_export(queryset: QuerySet[Registration], user) -> Iterator[list[Any]]:
    """The XLSX of a (filtered) review queue from `registration_list`; streamed."""
    for registration in queryset.iterator(chunk_size=2000):
        yield [
            registration.name,
            registration.credit_code,
            registration.get_unit_type_display(),
            registration.region.name,
            registration.region.code,
            registration.address,
            registration.get_industry_display(),
            registration.get_party_org_type_display(),
            registration.party_member_count,
            registration.contact_name,
            registration.contact_phone,
            registration.contact_email,
            registration.get_status_display(),
            registration.created_at,
            registration.confirmed_at,
            str(registration.decided_by) if registration.decided_by_id else "",
            registration.decided_at,
            registration.reject_reason,
        ]


def registration_detail(*, user) -> QuerySet[Registration]:
    return (
        registration_list(user=user)
        .select_related("region__parent", "unit")
        .prefetch_related(Prefetch("alliances", queryset=Alliance.objects.order_by("name")))
    )


def registration_similar_units(*, registration: Registration) -> QuerySet[MemberUnit]:
    """Existing units that may be the same: the same credit code, or the same region and name start."""
    similar = Q(credit_code=registration.credit_code)
    prefix = registration.name.strip()[:4]
    if prefix:
        similar |= Q(region_id=registration.region_id, name__startswith=prefix)
    return MemberUnit.objects.filter(similar).select_related("region").order_by("name")[:10]


def unit_change_list(*, user) -> QuerySet[UnitChange]:
    """Profile changes as the review queue shows them, with their unit, in one query."""
    return UnitChange.objects.restrict(user).select_related(
        "unit", "unit__region", "requested_by", "decided_by"
    )


def unit_contact_users(*, unit: MemberUnit) -> QuerySet[User]:
    """The accounts that speak for `unit`."""
    return User.objects.filter(unit=unit, role=Role.UNIT_CONTACT).order_by("date_joined", "id")


def unit_pending_change(*, unit: MemberUnit) -> UnitChange | None:
    return UnitChange.objects.filter(unit=unit).pending().first()


UNIT_EXPORT_HEADERS = [
    gettext_lazy("name"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("unit type"),
    gettext_lazy("region"),
    gettext_lazy("industry"),
    gettext_lazy("party organization"),
    gettext_lazy("party members"),
    gettext_lazy("organization coverage"),
    gettext_lazy("work coverage"),
    gettext_lazy("key target"),
    gettext_lazy("current alliances"),
    gettext_lazy("contact name"),
    gettext_lazy("contact phone"),
    gettext_lazy("contact e-mail"),
    gettext_lazy("status"),
]


@export_table(
    filename="units", sheet_title=gettext_lazy("member units"), headers=UNIT_EXPORT_HEADERS
)
def unit_export(queryset: QuerySet[MemberUnit], user) -> Iterator[list[Any]]:
    """The XLSX of a (filtered) list from `unit_list` (with `alliance_count`); contacts masked outside scope."""
    for unit in queryset.iterator(chunk_size=2000):
        contacts = unit_contacts(user=user, unit=unit)
        yield [
            unit.name,
            unit.credit_code or "",
            unit.get_unit_type_display(),
            unit.region.name,
            unit.get_industry_display(),
            unit.get_party_org_type_display(),
            unit.party_member_count,
            yes_no(unit.org_covered),
            yes_no(unit.work_covered),
            yes_no(unit.key_target),
            unit.alliance_count,
            unit.contact_name,
            contacts["contact_phone"],
            contacts["contact_email"],
            unit.get_status_display(),
        ]
