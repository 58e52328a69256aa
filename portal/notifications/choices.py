from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class NoticeKind(models.TextChoices):
    """The kinds of notice a user chooses channels for (password links stay e-mail only)."""

    MEETING_INVITATION = "meeting_invitation", _("Meeting invitation")
    MEETING_CHANGED = "meeting_changed", _("Meeting rescheduled")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    MINUTES_DUE = "minutes_due", _("Minutes reminder")
    DEMAND_STEP = "demand_step", _("Demand progress")


class ChannelName(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom message")
    WECOM_ROBOT = "wecom_robot", _("WeCom group robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
