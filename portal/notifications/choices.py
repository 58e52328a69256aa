import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryKind(models.TextChoices):
    BEFORE = "before", _("Before the meeting")
    MINUTES_DUE_2D = "minutes_due_2d", _("Minutes due, 2 days after")
    MINUTES_DUE_7D = "minutes_due_7d", _("Minutes due, 7 days after")


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


# After a meeting the organizer is reminded of missing minutes or attendance this long after its end.
AFTER_MEETING_DELAYS = {
    DeliveryKind.MINUTES_DUE_2D: datetime.timedelta(days=2),
    DeliveryKind.MINUTES_DUE_7D: datetime.timedelta(days=7),
}


class OutgoingMailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
