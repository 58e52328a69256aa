from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Alliance, JoinRequest, Membership, ReminderDelivery


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "lead_unit", "status"]
    list_filter = ["kind", "status", "meeting_cadence"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent", "lead_unit"]
    autocomplete_fields = ["parent", "lead_unit", "regions"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["alliance", "unit", "role", "joined_on", "left_on"]
    list_filter = ["role"]
    search_fields = ["alliance__name", "unit__name"]
    list_select_related = ["alliance", "unit"]
    autocomplete_fields = ["alliance", "unit"]


@admin.register(JoinRequest)
class JoinRequestAdmin(SimpleHistoryAdmin):
    list_display = ["alliance", "unit", "status", "source", "created_at", "decided_by"]
    list_filter = ["status", "source"]
    search_fields = ["alliance__name", "unit__name"]
    list_select_related = ["alliance", "unit", "decided_by"]
    autocomplete_fields = ["alliance", "unit", "membership"]
    raw_id_fields = ["requested_by", "decided_by"]


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
