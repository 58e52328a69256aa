"""Memberships: a unit in an alliance, from the day it joined to the day it left."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import (
    MembershipRole,
)
from .alliances import Alliance


class MembershipQuerySet(ScopedQuerySet):
    def current(self) -> "MembershipQuerySet":
        return self.filter(left_on__isnull=True)

    def scope_for(self, user, action: str) -> "MembershipQuerySet":
        if user.is_street_secretary:
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id and action == "view":
            alliances = (
                Membership.objects.current().filter(unit_id=user.unit_id).values("alliance_id")
            )
            return self.filter(Q(unit_id=user.unit_id) | Q(alliance_id__in=alliances))
        return self.none()


class Membership(models.Model):
    """A unit in an alliance with a role; leaving keeps the row with its dates."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["alliance", "role", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "unit"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_unit",
                violation_error_message=_("This unit is already a member of this alliance."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_leaves_after_joining",
                violation_error_message=_("A unit cannot leave before it joined."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "left_on"], name="membership_unit_open_idx"),
            models.Index(fields=["alliance", "left_on"], name="membership_alliance_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.alliance}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None
