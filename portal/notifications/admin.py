from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, OutgoingMail, PendingTask


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "delivery"]
    search_fields = ["title", "user__username"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The mail outbox, read-only: staff see what is stuck and why, and may send it again now."""

    list_display = ["subject", "recipient_list", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "recipients",
        "subject",
        "body",
        "attachment_names",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    exclude = ["attachments"]
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("recipients"))
    def recipient_list(self, obj: OutgoingMail) -> str:
        return ", ".join(obj.recipients)

    @admin.display(description=_("attachments"))
    def attachment_names(self, obj: OutgoingMail) -> str:
        return ", ".join(item["filename"] for item in obj.attachments)

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset) -> None:
        from portal.core.outbox import mail_retry_now

        result = mail_retry_now(queryset)
        level = messages.SUCCESS if not (result.failed or result.given_up) else messages.WARNING
        self.message_user(
            request,
            ngettext(
                "%(sent)d e-mail sent; %(left)d still not sent (see the last error).",
                "%(sent)d e-mails sent; %(left)d still not sent (see the last error).",
                result.sent,
            )
            % {"sent": result.sent, "left": result.failed + result.given_up},
            level,
        )


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    """Tasks kept while the broker was unreachable; they leave once it takes them."""

    list_display = ["task", "args", "created_at", "attempts", "last_error"]
    readonly_fields = ["task", "args", "created_at", "attempts", "last_error"]

    def has_add_permission(self, request) -> bool:
        return False
