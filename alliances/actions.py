"""Writes on alliances and memberships; each keeps the network's rules and its history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import UnitStatus
from members.models import MemberUnit
from portal.core.decisions import record_decision, required_reason
from portal.core.mail import absolute_url, send_after_commit

from .choices import AllianceStatus, JoinRequestSource, JoinRequestStatus, MembershipRole
from .models import Alliance, JoinRequest, Membership

if TYPE_CHECKING:
    from members.models import Registration
    from portal.accounts.models import User


@transaction.atomic
def membership_add(
    *,
    alliance: Alliance,
    unit: MemberUnit,
    role: str = MembershipRole.MEMBER,
    joined_on: date | None = None,
    representative: str = "",
    note: str = "",
) -> Membership:
    """Add `unit` to `alliance`; a unit has at most one open membership per alliance (the database decides)."""
    if alliance.status == AllianceStatus.DISSOLVED:
        raise ValidationError({"alliance": _("This alliance has ended; it takes no new members.")})
    if unit.status != "active":
        raise ValidationError({"unit": _("Only active units can join an alliance.")})
    membership = Membership(
        alliance=alliance,
        unit=unit,
        role=role,
        joined_on=joined_on or timezone.localdate(),
        representative=representative,
        note=note,
    )
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"unit": _("This unit is already a member of this alliance.")}
        ) from exc
    if role == MembershipRole.LEAD and alliance.lead_unit_id != unit.pk:
        alliance.lead_unit = unit
        alliance.save(update_fields=["lead_unit"])
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, left_on: date | None = None) -> Membership:
    """End a membership; the row stays with its dates."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has already ended.")})
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A unit cannot leave before it joined.")})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    return membership


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


def unit_contact_emails(unit_id: int | None) -> list[str]:
    """The addresses of a unit's active contacts."""
    if unit_id is None:
        return []
    from portal.accounts.choices import Role
    from portal.accounts.models import User

    return list(
        User.objects.filter(role=Role.UNIT_CONTACT, unit_id=unit_id, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _join_request_mail(
    *, template: str, join_request: JoinRequest, to: Iterable[str], base_url: str | None
) -> None:
    send_after_commit(
        template=f"alliances/email/{template}",
        context={
            "join_request": join_request,
            "alliance": join_request.alliance,
            "unit": join_request.unit,
            "list_url": absolute_url(reverse("alliances:join-request-list"), base_url),
            "alliance_url": absolute_url(join_request.alliance.get_absolute_url(), base_url),
        },
        to=list(to),
    )


def _pending_exists() -> ValidationError:
    return ValidationError(
        {
            "alliance": ValidationError(
                _("This unit has already asked to join this alliance; the request is pending."),
                code="unique",
            )
        }
    )


@transaction.atomic
def join_request_create(
    *,
    alliance: Alliance,
    unit: MemberUnit,
    by: User | None,
    message: str = "",
    source: str = JoinRequestSource.SELF_SERVICE,
    base_url: str | None = None,
) -> JoinRequest:
    """Ask for `unit` to join `alliance`; mail the alliance's lead unit after the commit."""
    if alliance.status == AllianceStatus.DISSOLVED:
        raise ValidationError({"alliance": _("This alliance has ended; it takes no new members.")})
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError({"unit": _("Only active units can join an alliance.")})
    if Membership.objects.current().filter(alliance=alliance, unit=unit).exists():
        raise ValidationError({"alliance": _("This unit is already a member of this alliance.")})
    if JoinRequest.objects.pending().filter(alliance=alliance, unit=unit).exists():
        raise _pending_exists()
    join_request = JoinRequest(
        alliance=alliance,
        unit=unit,
        message=(message or "").strip(),
        source=source,
        requested_by=by if by is not None and by.is_authenticated else None,
    )
    join_request.full_clean(validate_constraints=False)
    try:
        # Two requests at once: the partial unique constraint lets only one stay pending.
        with transaction.atomic():
            join_request.save()
    except IntegrityError as exc:
        raise _pending_exists() from exc
    _join_request_mail(
        template="join_request_new",
        join_request=join_request,
        to=unit_contact_emails(alliance.lead_unit_id),
        base_url=base_url,
    )
    return join_request


def _lock_pending(join_request: JoinRequest) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("alliance", "unit")
        .get(pk=join_request.pk)
    )
    if join_request.status != JoinRequestStatus.PENDING:
        raise ValidationError({"status": _("This request has already been answered or withdrawn.")})
    return join_request


@transaction.atomic
def join_request_accept(
    *, request: JoinRequest, by: User, base_url: str | None = None
) -> JoinRequest:
    """Accept: the unit becomes a member; its contacts are mailed after the commit."""
    join_request = _lock_pending(request)
    if (
        Membership.objects.current()
        .filter(alliance_id=join_request.alliance_id, unit_id=join_request.unit_id)
        .exists()
    ):
        raise ValidationError(
            {
                "unit": _(
                    "This unit has meanwhile become a member of this alliance; decline the request instead."
                )
            }
        )
    join_request.membership = membership_add(
        alliance=join_request.alliance, unit=join_request.unit, role=MembershipRole.MEMBER
    )
    record_decision(
        join_request, by=by, status=JoinRequestStatus.ACCEPTED, membership=join_request.membership
    )
    _join_request_mail(
        template="join_request_accepted",
        join_request=join_request,
        to=unit_contact_emails(join_request.unit_id),
        base_url=base_url,
    )
    return join_request


@transaction.atomic
def join_request_decline(
    *, request: JoinRequest, by: User, reason: str, base_url: str | None = None
) -> JoinRequest:
    """Decline with a reason, which is mailed to the unit's contacts."""
    reason = required_reason(reason, _("Give the reason for declining."))
    join_request = _lock_pending(request)
    record_decision(join_request, by=by, status=JoinRequestStatus.DECLINED, decline_reason=reason)
    _join_request_mail(
        template="join_request_declined",
        join_request=join_request,
        to=unit_contact_emails(join_request.unit_id),
        base_url=base_url,
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, request: JoinRequest, by: User) -> JoinRequest:
    """The unit that asked takes its pending request back."""
    if not request.can_be_withdrawn_by(by):
        raise PermissionDenied(_("Only the unit that asked can withdraw its request."))
    join_request = _lock_pending(request)
    record_decision(join_request, by=by, status=JoinRequestStatus.WITHDRAWN)
    return join_request


@transaction.atomic
def membership_leave(*, membership: Membership, by: User) -> Membership:
    """A unit's contact ends the unit's current membership; the lead unit must hand over first."""
    if not (by.is_unit_contact and by.unit_id and by.unit_id == membership.unit_id):
        raise PermissionDenied(_("Only the unit's own contact can leave an alliance for it."))
    membership = (
        Membership.objects.select_for_update().select_related("alliance").get(pk=membership.pk)
    )
    if (
        membership.role == MembershipRole.LEAD
        or membership.alliance.lead_unit_id == membership.unit_id
    ):
        raise ValidationError(
            {
                "role": _(
                    "The lead unit cannot leave its alliance. Hand the lead over to another unit first; district staff do that."
                )
            }
        )
    return membership_end(membership=membership)


@transaction.atomic
def join_requests_from_registration(
    *, registration: Registration, unit: MemberUnit, by: User, base_url: str | None = None
) -> list[JoinRequest]:
    """The alliances an approved registration asked for become pending join requests of its unit.

    Nobody is recorded as having asked (`source` says where the request came from); `by` is the
    staff member approving, who does not decide the requests by approving the registration.
    """
    return [
        join_request_create(
            alliance=alliance,
            unit=unit,
            by=None,
            source=JoinRequestSource.REGISTRATION,
            base_url=base_url,
        )
        for alliance in registration.alliances.exclude(status=AllianceStatus.DISSOLVED).order_by(
            "name"
        )
    ]
