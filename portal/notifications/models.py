from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ChannelName, DeliveryStatus, NoticeKind, OutgoingMailStatus


class Notification(models.Model):
    """A message in the portal for one user, shown on their home page until they mark it read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.OneToOneField(
        "alliances.ReminderDelivery",
        verbose_name=_("reminder delivery"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification",
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "read_at", "created_at"], name="notification_user_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutgoingMail(models.Model):
    """One e-mail the portal owes someone: written in the transaction whose news it carries, sent
    after the commit and, while the mail server refuses, again with growing pauses (docs/operations.md).
    """

    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"))
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Each a filename, a MIME type and the content (text, or base64 for bytes)."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OutgoingMailStatus.choices,
        default=OutgoingMailStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The runner reads the pending rows that are due, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_mail_due_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class PendingTask(models.Model):
    """A Celery task the broker could not take when it was queued; sent again once it answers."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.task


class NoticeDelivery(models.Model):
    """One notice owed to one recipient on one channel (SMS, WeCom, …): written with the news it
    carries, sent by the notice sweep (portal.notifications.notices), at most once per notice key,
    recipient and channel, enforced by the database."""

    kind = models.CharField(_("kind of notice"), max_length=30, choices=NoticeKind.choices)
    notice_key = models.CharField(
        _("notice"), max_length=200, help_text=_("Names the notice: the same key is sent once.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notice_deliveries",
        null=True,
        blank=True,
    )
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.CASCADE,
        related_name="notice_deliveries",
        null=True,
        blank=True,
        help_text=_("For a group robot: the alliance whose group chat is told."),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=ChannelName.choices)
    text = models.TextField(_("text"), blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice_key", "user", "channel"],
                name="notice_delivery_once",
                violation_error_message=_("This notice was already sent on this channel."),
            ),
            models.UniqueConstraint(
                fields=["notice_key", "channel"],
                condition=Q(user__isnull=True),
                name="notice_delivery_once_group",
            ),
        ]
        indexes = [
            # The sweep reads the pending rows of one channel that are due, oldest first.
            models.Index(
                fields=["channel", "next_attempt_at"],
                condition=Q(status="pending"),
                name="notice_delivery_due_idx",
            ),
            # The rate limit counts a channel's recent sends; the log filters by these.
            models.Index(fields=["channel", "sent_at"], name="notice_delivery_sent_idx"),
            models.Index(fields=["status", "created_at"], name="notice_delivery_status_idx"),
            models.Index(fields=["kind", "created_at"], name="notice_delivery_kind_idx"),
            models.Index(fields=["created_at"], name="notice_delivery_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_key}/{self.user_id or self.alliance_id}/{self.channel}"


class NoticePreference(models.Model):
    """The channels (beside e-mail) on which one user takes one kind of notice; without a row the
    role's default applies (portal.notifications.notices.DEFAULT_CHANNELS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_preferences",
    )
    kind = models.CharField(_("kind of notice"), max_length=30, choices=NoticeKind.choices)
    channels = models.JSONField(_("channels"), default=list, blank=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.kind}"
