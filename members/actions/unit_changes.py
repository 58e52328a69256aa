"""Writes on unit changes: a contact proposes, district staff approve or reject."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.selectors import unit_contacts
from portal.core.decisions import decide, lock_undecided, record_decision, required_reason
from portal.core.mail import send_after_commit

from ..choices import (
    REVIEWED_FIELDS,
    SELF_SERVICE_FIELDS,
    ChangeStatus,
    PartyOrgType,
)
from ..credit_code import normalize
from ..models import MemberUnit, Registration, UnitChange


def _reviewed_values(unit: MemberUnit) -> dict[str, Any]:
    return {field: getattr(unit, field) for field in REVIEWED_FIELDS}


def _check_proposed_code(*, unit: MemberUnit, code: str | None) -> None:
    if not code:
        return
    if MemberUnit.objects.filter(credit_code=code).exclude(pk=unit.pk).exists():
        raise ValidationError(
            {
                "credit_code": ValidationError(
                    _("This credit code already belongs to another member unit."), code="unique"
                )
            }
        )
    if Registration.objects.pending().filter(credit_code=code).exists():
        raise ValidationError(
            {
                "credit_code": ValidationError(
                    _("A registration with this credit code is already under review."),
                    code="unique",
                )
            }
        )


@transaction.atomic
def unit_profile_update(*, unit: MemberUnit, by: User, data: dict[str, Any]) -> UnitChange | None:
    """Apply a unit contact's profile edit.

    Name, credit code and unit type go to staff as one pending `UnitChange` (a newer edit replaces
    the pending one); every other field applies at once. Returns the pending change, if any.
    """
    unit = MemberUnit.objects.select_for_update().get(pk=unit.pk)
    unknown = set(data) - set(SELF_SERVICE_FIELDS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    proposed = _reviewed_values(unit)
    proposed.update({f: data[f] for f in REVIEWED_FIELDS if f in data})
    proposed["credit_code"] = normalize(proposed["credit_code"] or "") or None
    proposed["name"] = (proposed["name"] or "").strip()
    # The whole proposed profile must be valid, so that approving it later cannot fail on a rule.
    candidate = copy.copy(unit)
    if data.get("party_org_type") == PartyOrgType.NONE:
        candidate.org_covered = False
    for field, value in {**data, **proposed}.items():
        setattr(candidate, field, value)
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    if proposed["credit_code"] != unit.credit_code:
        _check_proposed_code(unit=unit, code=proposed["credit_code"])

    immediate = {f: data[f] for f in data if f not in REVIEWED_FIELDS}
    if immediate.get("party_org_type", unit.party_org_type) == PartyOrgType.NONE:
        # Without a party organization the unit is no longer organization-covered.
        immediate["org_covered"] = False
    changed = [f for f, value in immediate.items() if getattr(unit, f) != value]
    if changed:
        for field in changed:
            setattr(unit, field, immediate[field])
        unit._history_user = by
        unit.save(update_fields=[*changed, "updated_at"])

    pending = UnitChange.objects.select_for_update().filter(unit=unit).pending().first()
    if proposed == _reviewed_values(unit):
        return pending
    change = pending or UnitChange(unit=unit)
    for field, value in proposed.items():
        setattr(change, field, value)
    change.requested_by = by
    change._history_user = by
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as exc:  # another edit of the same unit created one meanwhile
        raise ValidationError(
            {"name": _("A change of this unit is already awaiting review; reload the page.")}
        ) from exc
    return change


@transaction.atomic
def unit_change_approve(*, change: UnitChange, by: User) -> UnitChange:
    """Apply the name, credit code and unit type of a pending change to its unit."""
    change = lock_undecided(change, queryset=UnitChange.objects.select_related("unit"))
    unit = MemberUnit.objects.select_for_update().get(pk=change.unit_id)
    for field in REVIEWED_FIELDS:
        setattr(unit, field, getattr(change, field))
    unit.full_clean(validate_constraints=False)
    _check_proposed_code(unit=unit, code=unit.credit_code)
    unit._history_user = by
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"credit_code": _("This credit code already belongs to another member unit.")}
        ) from exc
    record_decision(change, by=by, status=ChangeStatus.APPROVED)
    for contact in unit_contacts([unit.pk]):
        send_after_commit(
            template="members/email/unit_change_approved",
            context={"change": change, "unit": unit},
            to=contact.email,
        )
    return change


@transaction.atomic
def unit_change_reject(*, change: UnitChange, by: User, reason: str) -> UnitChange:
    """Refuse a pending change; the unit's contacts receive the reason."""
    reason = required_reason(reason, _("Give the reason for the rejection."))
    change = decide(
        change,
        by=by,
        status=ChangeStatus.REJECTED,
        queryset=UnitChange.objects.select_related("unit"),
        reject_reason=reason,
    )
    for contact in unit_contacts([change.unit_id]):
        send_after_commit(
            template="members/email/unit_change_rejected",
            context={"change": change, "unit": change.unit},
            to=contact.email,
        )
    return change
