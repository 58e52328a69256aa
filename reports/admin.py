from django.contrib import admin

from .models import QuarterlyReport, ReportDelivery, ReportSubscription


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "scope",
        "year",
        "quarter",
        "generated_at",
        "rebuilt_at",
        "build_count",
        "build_seconds",
    ]
    list_filter = ["scope", "year", "quarter"]
    list_select_related = ["alliance"]
    search_fields = ["alliance__name"]
    raw_id_fields = ["alliance", "built_by"]
    readonly_fields = ["generated_at", "rebuilt_at", "build_count", "build_seconds", "built_by"]

    def get_queryset(self, request):
        # The list shows no indicators: leave the JSON in the database.
        return super().get_queryset(request).defer("indicators")


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "scope", "alliance", "created_at"]
    list_filter = ["scope"]
    list_select_related = ["user", "alliance"]
    raw_id_fields = ["user", "alliance"]
    search_fields = ["user__username", "alliance__name"]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin):
    list_display = ["report", "user", "email", "status", "sent_at", "attempts"]
    list_filter = ["status"]
    list_select_related = ["report__alliance", "user"]
    raw_id_fields = ["report", "user"]
    readonly_fields = ["claim_token", "claimed_at", "sent_at", "attempts", "error"]
