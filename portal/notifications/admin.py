from django.contrib import admin

from .models import Notification, ReminderDelivery


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "meeting",
        "user",
        "kind",
        "offset_minutes",
        "scheduled_for",
        "status",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["meeting", "user"]
    raw_id_fields = ["meeting", "user"]
    readonly_fields = ["claim_token", "claimed_at", "sent_at", "attempts", "error"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "delivery"]
    search_fields = ["title", "user__username"]
