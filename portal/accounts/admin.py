from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .actions import api_tokens_revoke
from .models import ApiToken, ExportRecord, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "region", "email", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "region", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "region", "email")}),
    )


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The export log, read-only: nobody adds, edits or deletes a record of a download."""

    list_display = ["created_at", "user", "name", "query_string", "row_count"]
    list_filter = ["name", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "query_string"]
    date_hierarchy = "created_at"
    readonly_fields = ["user", "created_at", "name", "path", "query_string", "row_count"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's API tokens, for district staff to see and revoke; keys are never shown (only
    their digests are kept), so tokens are not added here but by their users."""

    list_display = [
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["read_only", ("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "name", "prefix"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_revoke_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_district_staff

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = api_tokens_revoke(tokens=queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
