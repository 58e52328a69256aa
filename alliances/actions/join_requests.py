"""Writes on join requests: ask, accept, decline, withdraw; those a registration brings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from members.choices import UnitStatus
from members.models import MemberUnit
from portal.accounts.selectors import unit_contacts
from portal.core.decisions import decide, lock_undecided, record_decision, required_reason
from portal.core.mail import absolute_url, send_after_commit

from ..choices import AllianceStatus, JoinRequestSource, JoinRequestStatus, MembershipRole
from ..models import Alliance, JoinRequest, Membership

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from members.models import Registration
    from portal.accounts.models import User
from .memberships import membership_add


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
        to=[user.email for user in unit_contacts([alliance.lead_unit_id])],
        base_url=base_url,
    )
    return join_request


def _answering() -> QuerySet[JoinRequest]:
    """The request with what answering it reads; the alliance and unit rows are locked with it."""
    return JoinRequest.objects.select_related("alliance", "unit")


@transaction.atomic
def join_request_accept(
    *, request: JoinRequest, by: User, base_url: str | None = None
) -> JoinRequest:
    """Accept: the unit becomes a member; its contacts are mailed after the commit."""
    join_request = lock_undecided(request, queryset=_answering())
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
        to=[user.email for user in unit_contacts([join_request.unit_id])],
        base_url=base_url,
    )
    return join_request


@transaction.atomic
def join_request_decline(
    *, request: JoinRequest, by: User, reason: str, base_url: str | None = None
) -> JoinRequest:
    """Decline with a reason, which is mailed to the unit's contacts."""
    reason = required_reason(reason, _("Give the reason for declining."))
    join_request = decide(
        request,
        by=by,
        status=JoinRequestStatus.DECLINED,
        queryset=_answering(),
        decline_reason=reason,
    )
    _join_request_mail(
        template="join_request_declined",
        join_request=join_request,
        to=[user.email for user in unit_contacts([join_request.unit_id])],
        base_url=base_url,
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, request: JoinRequest, by: User) -> JoinRequest:
    """The unit that asked takes its pending request back."""
    if not request.can_be_withdrawn_by(by):
        raise PermissionDenied(_("Only the unit that asked can withdraw its request."))
    return decide(request, by=by, status=JoinRequestStatus.WITHDRAWN, queryset=_answering())


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
