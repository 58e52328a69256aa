from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ActivityPhoto, ResourceOffer, ServiceCategory, ServiceStation


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(ServiceStation)
class ServiceStationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "operator", "is_public", "is_open"]
    list_filter = ["kind", "is_public", "is_open"]
    search_fields = ["name", "address"]
    list_select_related = ["region", "operator"]
    autocomplete_fields = ["region", "operator"]
    filter_horizontal = ["services"]


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "activity_type", "held_on", "region", "station", "participant_count"]
    list_filter = ["activity_type"]
    date_hierarchy = "held_on"
    search_fields = ["title", "place"]
    list_select_related = ["region", "station"]
    autocomplete_fields = ["region", "station", "alliance", "organizer"]
    raw_id_fields = ["recorded_by"]
    inlines = [ActivityPhotoInline]


@admin.register(ResourceOffer)
class ResourceOfferAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "unit", "region", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["title", "description", "unit__name"]
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit", "region"]
    raw_id_fields = ["created_by"]
