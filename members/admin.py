from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MemberUnit, Registration, UnitChange


@admin.register(MemberUnit)
class MemberUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "unit_type", "region", "status"]
    list_filter = ["status", "unit_type", "party_org_type", "key_target"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "region", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["name", "credit_code", "contact_email"]
    list_select_related = ["region", "decided_by"]
    autocomplete_fields = ["region", "unit"]
    raw_id_fields = ["decided_by"]
    readonly_fields = ["confirm_token", "status_token", "submitter_ip", "created_at"]


@admin.register(UnitChange)
class UnitChangeAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "name", "credit_code", "unit_type", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["unit__name", "name", "credit_code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["requested_by", "decided_by"]
