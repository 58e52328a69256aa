"""Join requests: a unit asks to join an alliance, its lead or district staff decide."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.decisions import Decision, decision_columns
from portal.core.scoping import ScopedQuerySet

from ..choices import (
    JoinRequestSource,
    JoinRequestStatus,
)
from .alliances import Alliance
from .memberships import Membership


class JoinRequestQuerySet(ScopedQuerySet):
    def pending(self) -> "JoinRequestQuerySet":
        return self.filter(status=JoinRequestStatus.PENDING)

    def scope_for(self, user, action: str) -> "JoinRequestQuerySet":
        if user.is_street_secretary:
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id:
            # The lead unit's contacts answer the requests to their alliances; a unit follows its own.
            to_mine = Q(alliance__lead_unit_id=user.unit_id)
            if action == "view":
                return self.filter(to_mine | Q(unit_id=user.unit_id))
            return self.filter(to_mine)
        return self.none()


class JoinRequest(Decision):
    """A unit asks to join an alliance; the alliance's lead unit or district staff accept or decline."""

    undecided_status = JoinRequestStatus.PENDING
    already_decided = _("This request has already been answered or withdrawn.")

    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        related_name="join_requests",
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="join_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    message = models.TextField(_("message"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=JoinRequestSource.choices,
        default=JoinRequestSource.SELF_SERVICE,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_requests_made",
    )
    decided_by, decided_at = decision_columns("join_requests_decided")
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()
    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "unit"],
                condition=Q(status=JoinRequestStatus.PENDING),
                name="joinrequest_one_pending_per_unit",
                violation_error_message=_(
                    "This unit has already asked to join this alliance; the request is pending."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="joinrequest_status_idx"),
            models.Index(fields=["alliance", "-created_at"], name="joinrequest_alliance_idx"),
            models.Index(fields=["unit", "-created_at"], name="joinrequest_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.alliance}"

    def get_absolute_url(self) -> str:
        return f"{reverse('alliances:join-request-list')}?alliance={self.alliance_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING

    def can_be_decided_by(self, user) -> bool:
        """District staff, or a contact of the alliance's lead unit (the row's alliance must be loaded)."""
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_district_staff:
            return True
        return bool(
            user.is_unit_contact and user.unit_id and user.unit_id == self.alliance.lead_unit_id
        )

    def can_be_withdrawn_by(self, user) -> bool:
        """Only a contact of the unit that asked."""
        return bool(
            user.is_authenticated
            and user.is_active
            and user.is_unit_contact
            and user.unit_id
            and user.unit_id == self.unit_id
        )
