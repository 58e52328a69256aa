"""Unit changes: a contact's proposed corrections of reviewed fields, waiting for staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.decisions import Decision, decision_columns
from portal.core.scoping import ScopedQuerySet

from ..choices import (
    ChangeStatus,
    UnitType,
)
from ..credit_code import CreditCodeValidator
from .units import MemberUnit


class UnitChangeQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "UnitChangeQuerySet":
        # A unit contact follows the changes asked for their unit; district staff decide them.
        if user.is_unit_contact and user.unit_id and action == "view":
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def pending(self) -> "UnitChangeQuerySet":
        return self.filter(status=ChangeStatus.PENDING)


class UnitChange(Decision):
    """A unit contact's change to the unit's name, credit code or type, waiting for staff's review."""

    undecided_status = ChangeStatus.PENDING
    already_decided = _("Only a change awaiting review can be approved or rejected.")

    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="changes"
    )
    name = models.CharField(_("new name"), max_length=200)
    credit_code = models.CharField(  # noqa: DJ001 — NULL like MemberUnit.credit_code
        _("new unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        validators=[CreditCodeValidator()],
    )
    unit_type = models.CharField(_("new unit type"), max_length=30, choices=UnitType.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChangeStatus.choices,
        default=ChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="requested_unit_changes",
    )
    decided_by, decided_at = decision_columns("decided_unit_changes")
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = UnitChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status=ChangeStatus.PENDING),
                name="unit_change_one_pending",
                violation_error_message=_("A change of this unit is already awaiting review."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="unit_change_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.credit_code = (self.credit_code or "").strip().upper() or None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:change-list") + f"?unit={self.unit_id}"

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, current value, proposed value) for each field this change alters."""
        unit = self.unit
        rows = []
        for field in ("name", "credit_code", "unit_type"):
            current, proposed = getattr(unit, field), getattr(self, field)
            if (current or None) != (proposed or None):
                if field == "unit_type":
                    current = unit.get_unit_type_display()
                    proposed = self.get_unit_type_display()
                label = MemberUnit._meta.get_field(field).verbose_name
                rows.append((label, current or "—", proposed or "—"))
        return rows
