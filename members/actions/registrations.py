"""Writes on registrations: submit, confirm the e-mail address, approve or reject."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.actions.join_requests import join_requests_from_registration
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.core.decisions import decide, lock_undecided, record_decision, required_reason
from portal.core.mail import absolute_url, send_after_commit, set_password_url
from portal.core.ratelimit import rate_exceeded, rate_reached

from ..choices import RegistrationStatus, UnitStatus
from ..credit_code import normalize
from ..models import MemberUnit, Registration


class RegistrationRateLimited(Exception):
    """`ip` has made REGISTRATION_RATE_LIMIT registrations already; nothing was saved."""


def _registration_rate() -> str:
    return getattr(settings, "REGISTRATION_RATE_LIMIT", "5/h")


def registration_rate_reached(*, ip: str | None) -> bool:
    """True once `ip` has made REGISTRATION_RATE_LIMIT (e.g. "5/h") accepted registrations."""
    return rate_reached("registration", ip, _registration_rate())


def confirm_cutoff() -> datetime:
    """Registrations made before this moment can no longer be confirmed (REGISTRATION_CONFIRM_HOURS)."""
    hours = getattr(settings, "REGISTRATION_CONFIRM_HOURS", 48)
    return timezone.now() - timedelta(hours=hours)


def registration_code_check(code: str) -> str:
    """The normalized code, refused when a unit or a pending registration already holds it."""
    code = normalize(code)
    if MemberUnit.objects.filter(credit_code=code).exists():
        raise ValidationError(
            _("This credit code already belongs to a member unit of the network."), code="unique"
        )
    pending = Registration.objects.pending().exclude(
        pk__in=Registration.objects.unconfirmed_since(confirm_cutoff()).values("pk")
    )
    if pending.filter(credit_code=code).exists():
        raise ValidationError(
            _("A registration with this credit code is already under review."), code="unique"
        )
    return code


def _pending_duplicate() -> ValidationError:
    return ValidationError(
        {
            "credit_code": ValidationError(
                _("A registration with this credit code is already under review."), code="unique"
            )
        }
    )


def _mail(*, template: str, context: dict[str, Any], to: str) -> None:
    send_after_commit(template=f"members/email/{template}", context=context, to=to)


def _absolute(base_url: str | None, path: str) -> str:
    return absolute_url(path, base_url)


def status_url(registration: Registration, base_url: str | None = None) -> str:
    return _absolute(
        base_url, reverse("members:registration-status", args=[registration.status_token])
    )


@transaction.atomic
def registration_submit(
    *, data: dict[str, Any], ip: str | None, base_url: str | None = None
) -> Registration:
    """Record a registration, unconfirmed, and mail its contact the confirmation link.

    Only accepted registrations count against REGISTRATION_RATE_LIMIT: the count is taken last,
    inside the transaction, and the one over the limit is rolled back (RegistrationRateLimited).
    """
    data = dict(data)
    alliances = data.pop("alliances", None) or []
    data["credit_code"] = normalize(data.get("credit_code", ""))
    if MemberUnit.objects.filter(credit_code=data["credit_code"]).exists():
        raise ValidationError(
            {
                "credit_code": ValidationError(
                    _("This credit code already belongs to a member unit of the network."),
                    code="unique",
                )
            }
        )
    # A registration never confirmed in time gives its code up, so that a typo in an e-mail address
    # cannot block a unit for good.
    for stale in Registration.objects.unconfirmed_since(confirm_cutoff()).filter(
        credit_code=data["credit_code"]
    ):
        stale.status = RegistrationStatus.REJECTED
        stale.reject_reason = _("The e-mail address was not confirmed in time.")
        stale.decided_at = timezone.now()
        stale.save(update_fields=["status", "reject_reason", "decided_at"])
    registration = Registration(**data, submitter_ip=ip, status=RegistrationStatus.UNCONFIRMED)
    registration.full_clean(validate_constraints=False)
    try:
        # A concurrent registration of the same code loses here: the partial unique constraint decides.
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise _pending_duplicate() from exc
    registration.alliances.set(alliances)
    if rate_exceeded("registration", ip, _registration_rate()):
        raise RegistrationRateLimited
    confirm_url = _absolute(
        base_url, reverse("members:registration-confirm", args=[registration.confirm_token])
    )
    _mail(
        template="registration_confirm",
        context={"registration": registration, "confirm_url": confirm_url},
        to=registration.contact_email,
    )
    return registration


@transaction.atomic
def registration_confirm(*, token: str, base_url: str | None = None) -> Registration:
    """The contact followed the link: the registration goes to review (again following it changes nothing)."""
    registration = (
        Registration.objects.select_for_update().filter(confirm_token=token or "").first()
        if token
        else None
    )
    if registration is None:
        raise ValidationError({"token": _("This confirmation link is not valid.")})
    if registration.status != RegistrationStatus.UNCONFIRMED:
        return registration
    if registration.created_at < confirm_cutoff():
        raise ValidationError(
            {"token": _("This confirmation link has expired; please register again.")}
        )
    registration.status = RegistrationStatus.SUBMITTED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    _mail(
        template="registration_submitted",
        context={"registration": registration, "status_url": status_url(registration, base_url)},
        to=registration.contact_email,
    )
    return registration


def username_for(email: str) -> str:
    """A free user name made from the e-mail address."""
    base = email.strip().lower()[:140]
    username, number = base, 1
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def registration_approve(
    *, registration: Registration, by: User, base_url: str | None = None
) -> Registration:
    """Create the unit and its contact's account; mail the contact a link to set a password."""
    registration = lock_undecided(registration)
    unit = MemberUnit(
        name=registration.name,
        credit_code=registration.credit_code,
        unit_type=registration.unit_type,
        region_id=registration.region_id,
        address=registration.address,
        industry=registration.industry,
        party_org_type=registration.party_org_type,
        party_member_count=registration.party_member_count,
        contact_name=registration.contact_name,
        contact_phone=registration.contact_phone,
        contact_email=registration.contact_email,
        status=UnitStatus.ACTIVE,
    )
    try:
        # A unit may have been created with this code since the registration arrived.
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "credit_code": _(
                    "A member unit with this credit code was created meanwhile; reject this registration instead."
                )
            }
        ) from exc
    contact = User(
        username=username_for(registration.contact_email),
        email=registration.contact_email,
        last_name=registration.contact_name,
        role=Role.UNIT_CONTACT,
        unit=unit,
        phone=registration.contact_phone,
    )
    contact.set_unusable_password()
    contact.save()
    record_decision(registration, by=by, status=RegistrationStatus.APPROVED, unit=unit)
    join_requests_from_registration(registration=registration, unit=unit, by=by, base_url=base_url)
    password_url = set_password_url(contact, base_url)
    _mail(
        template="registration_approved",
        context={
            "registration": registration,
            "username": contact.username,
            "password_url": password_url,
            "alliances": list(registration.alliances.order_by("name")),
        },
        to=registration.contact_email,
    )
    return registration


@transaction.atomic
def registration_reject(
    *, registration: Registration, by: User, reason: str, base_url: str | None = None
) -> Registration:
    """Refuse the registration and mail the contact the reason."""
    reason = required_reason(reason, _("Give the reason for the rejection."))
    registration = decide(
        registration, by=by, status=RegistrationStatus.REJECTED, reject_reason=reason
    )
    _mail(
        template="registration_rejected",
        context={"registration": registration, "status_url": status_url(registration, base_url)},
        to=registration.contact_email,
    )
    return registration
