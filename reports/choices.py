from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportScope(models.TextChoices):
    DISTRICT = "district", _("District")
    ALLIANCE = "alliance", _("Alliance")


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
