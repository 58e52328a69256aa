from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    ActivityPhoto,
    Claim,
    Demand,
    DemandAttachment,
    DemandCampaign,
    DemandDeadline,
    DemandEvent,
    JointProject,
    ProjectEvent,
    ProjectMilestone,
    ProjectParticipant,
    ResourceOffer,
    ServiceCategory,
    ServiceStation,
)


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


@admin.register(DemandCampaign)
class DemandCampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "opens_on", "closes_on", "region"]
    date_hierarchy = "opens_on"
    search_fields = ["title", "theme"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["created_by"]


@admin.register(DemandDeadline)
class DemandDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["category", "due_days"]
    list_editable = ["due_days"]


class DemandEventInline(admin.TabularInline):
    model = DemandEvent
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "comment"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["actor"]


class DemandAttachmentInline(admin.TabularInline):
    model = DemandAttachment
    extra = 0
    fields = ["name", "file", "uploaded_by", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["uploaded_by"]


@admin.register(Demand)
class DemandAdmin(SimpleHistoryAdmin):
    """Corrections by hand; the loop's steps belong to the portal's pages, which keep the timeline."""

    list_display = ["title", "category", "status", "unit", "region", "due_on", "is_overdue"]
    list_filter = ["status", "category", "source", "is_overdue"]
    date_hierarchy = "created_at"
    search_fields = ["title", "description", "unit__name", "contact_name"]
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit", "region", "assignee_unit", "campaign"]
    raw_id_fields = ["assignee", "created_by", "merged_into", "project"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [DemandEventInline, DemandAttachmentInline]


class ProjectParticipantInline(admin.TabularInline):
    model = ProjectParticipant
    extra = 0
    autocomplete_fields = ["unit"]


class ProjectMilestoneInline(admin.TabularInline):
    model = ProjectMilestone
    extra = 0


class ProjectEventInline(admin.TabularInline):
    model = ProjectEvent
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "progress", "actor", "comment"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["actor"]


@admin.register(JointProject)
class JointProjectAdmin(SimpleHistoryAdmin):
    """Corrections by hand; status changes and claims belong to the portal's pages, which keep the timeline."""

    list_display = ["title", "alliance", "lead_unit", "status", "progress", "contract_amount"]
    list_filter = ["status", "category"]
    date_hierarchy = "created_at"
    search_fields = ["title", "description", "lead_unit__name", "alliance__name"]
    list_select_related = ["alliance", "lead_unit"]
    autocomplete_fields = ["alliance", "lead_unit", "region"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at", "completed_at"]
    inlines = [ProjectParticipantInline, ProjectMilestoneInline, ProjectEventInline]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "role", "status", "created_at", "decided_at"]
    list_filter = ["kind", "status"]
    date_hierarchy = "created_at"
    search_fields = ["unit__name", "project__title", "demand__title", "message"]
    list_select_related = ["unit", "project", "demand"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["project", "demand", "resource_offer", "created_by", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]
