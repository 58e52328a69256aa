"""Reminder deliveries: the proof, per meeting, person, kind and offset, that a reminder went once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import DeliveryKind, DeliveryStatus


class ReminderDelivery(models.Model):
    """The proof that one reminder went (or is going) to one person: one row per meeting, person,
    kind, offset and meeting time, enforced by the database."""

    meeting = models.ForeignKey(
        "alliances.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliveryKind.choices)
    offset_minutes = models.PositiveIntegerField(_("offset (minutes)"), default=0)
    scheduled_for = models.DateTimeField(
        _("meeting time reminded"),
        help_text=_("The meeting's start (or end, after it) when the reminder was due."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.CLAIMED
    )
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        # Kept from the notifications app, where the table was first made.
        db_table = "notifications_reminderdelivery"
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "kind", "offset_minutes", "scheduled_for"],
                name="reminder_delivery_once",
                violation_error_message=_("This reminder was already sent to this person."),
            ),
        ]
        indexes = [
            # The sweep's stale-claim pass reads only unfinished rows.
            models.Index(
                fields=["claimed_at"],
                condition=Q(status=DeliveryStatus.CLAIMED),
                name="reminder_delivery_claimed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.user_id}/{self.kind}/{self.offset_minutes}"
