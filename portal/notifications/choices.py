from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
