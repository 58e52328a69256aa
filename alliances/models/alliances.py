"""Alliances (党建联盟): the network's groups of units, nested and spanning regions."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.choices import Industry
from portal.core.scoping import ScopedQuerySet

from ..choices import (
    DEFAULT_REMINDER_OFFSETS,
    AllianceKind,
    AllianceStatus,
    MeetingCadence,
)


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


class AllianceQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "AllianceQuerySet":
        # The directory is public; only district staff change alliances.
        return self if action == "view" else self.none()

    def scope_anonymous(self, action: str) -> "AllianceQuerySet":
        return self if action == "view" else self.none()

    def active(self) -> "AllianceQuerySet":
        return self.filter(status=AllianceStatus.ACTIVE)


class Alliance(models.Model):
    """A party-building alliance or community; alliances nest (Minhang's "1+4+X", biomedicine's "1+3")."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AllianceKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    lead_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_alliances",
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions"), blank=True, related_name="alliances"
    )
    industry = models.CharField(
        _("industry"), max_length=30, choices=Industry.choices, blank=True, db_index=True
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AllianceStatus.choices,
        default=AllianceStatus.ACTIVE,
        db_index=True,
    )
    meeting_cadence = models.CharField(
        _("meeting cadence"),
        max_length=20,
        choices=MeetingCadence.choices,
        default=MeetingCadence.QUARTERLY,
    )
    reminder_offsets = models.JSONField(
        _("reminder offsets (minutes before a meeting)"),
        default=default_reminder_offsets,
        blank=True,
        help_text=_("Reminders before each meeting, e.g. [4320, 120] for 3 days and 2 hours."),
    )
    description = models.TextField(_("description"), blank=True)
    mechanisms = models.JSONField(
        _("mechanisms"),
        default=list,
        blank=True,
        help_text=_("Working mechanisms, e.g. 党群联动、发展联推."),
    )

    wecom_robot_key = models.CharField(
        _("WeCom group robot key"),
        max_length=100,
        blank=True,
        help_text=_("The key of the group chat's robot webhook; notices to the alliance go there."),
    )

    history = HistoricalRecords(m2m_fields=[regions], excluded_fields=["wecom_robot_key"])
    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="alliance_not_own_parent",
                violation_error_message=_("An alliance cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(ended_on__gte=F("founded_on")),
                name="alliance_ends_after_founding",
                violation_error_message=_("An alliance cannot end before it was founded."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alliances:detail", args=[self.pk])
