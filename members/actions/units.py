"""Writes on units: deactivate one, invite a contact."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Membership
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.core.mail import send_after_commit, set_password_url

from ..choices import (
    UnitStatus,
)
from ..models import MemberUnit
from .registrations import username_for


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


@transaction.atomic
def unit_contact_invite(
    *,
    unit: MemberUnit,
    by: User,
    name: str,
    email: str,
    phone: str = "",
    base_url: str | None = None,
) -> User:
    """Give a colleague an account for the same unit; they receive a link to set a password."""
    unit = MemberUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError({"email": _("Only an active unit can invite contacts.")})
    email = (email or "").strip()
    limit = getattr(settings, "UNIT_CONTACTS_MAX", 5)
    if User.objects.filter(unit=unit, role=Role.UNIT_CONTACT, is_active=True).count() >= limit:
        raise ValidationError(
            {"email": _("A unit can have at most %(n)s contacts.") % {"n": limit}}
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This e-mail address already has an account in the portal.")}
        )
    contact = User(
        username=username_for(email),
        email=email,
        last_name=(name or "").strip(),
        phone=(phone or "").strip(),
        role=Role.UNIT_CONTACT,
        unit=unit,
    )
    contact.set_unusable_password()
    contact.full_clean(exclude=["password"], validate_constraints=False)
    contact._history_user = by
    contact.save()
    send_after_commit(
        template="members/email/contact_invited",
        context={
            "unit": unit,
            "inviter": by,
            "username": contact.username,
            "password_url": set_password_url(contact, base_url),
        },
        to=email,
    )
    return contact
