"""/api/v1/demands/, /api/v1/demand-campaigns/ and /api/v1/demand-deadlines/: the demand loop (需求清单).

A demand moves only through its step endpoints (`POST /demands/{id}/accept/` …), which are the same
actions as the browser's; a step the demand's state does not allow is a 400 naming `status`.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from members.models import MemberUnit
from portal.accounts.models import User
from portal.api.fields import PageUrlField, RelatedNameField
from portal.api.parsers import BoundedJSONParser
from portal.api.renderers import OCTET, OctetStreamRenderer
from portal.api.steps import step, write_schema
from portal.api.viewsets import ExportMixin, HistoryActionMixin, ScopedModelViewSet, run_action
from portal.core.files import file_response
from portal.core.mail import request_base_url
from portal.regions.models import Region

from ..actions import campaigns as campaign_actions
from ..actions import demands as actions
from ..choices import DemandCategory, DemandSource
from ..filters.demands import DemandFilterSet
from ..models import Demand, DemandAttachment, DemandCampaign, DemandDeadline, DemandEvent
from ..selectors.demands import (
    campaign_list,
    demand_api_list,
    demand_contacts,
    demand_counts,
    demand_counts_by_category,
    demand_detail,
    demand_list,
)

try:  # Matching suggestions come with their own module; without it the list is empty.
    from ..selectors.matching import suggestions_for_demand
    from .matching import SuggestionSerializer
except ImportError:  # pragma: no cover
    suggestions_for_demand = None

    class SuggestionSerializer(serializers.Serializer):
        kind = serializers.CharField(read_only=True)
        title = serializers.CharField(read_only=True)
        url = serializers.CharField(read_only=True)


ID_MAX = 2**63 - 1


# --- output -------------------------------------------------------------------------------------


class DemandAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download address (same authentication)."))
    uploaded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = DemandAttachment
        fields = ["id", "name", "url", "uploaded_by", "uploaded_by_name", "created_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: DemandAttachment) -> str:
        path = f"/api/v1/demands/{attachment.demand_id}/attachments/{attachment.pk}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_uploaded_by_name(self, attachment: DemandAttachment) -> str:
        return str(attachment.uploaded_by) if attachment.uploaded_by_id else ""


class DemandEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = DemandEvent
        fields = [
            "id",
            "kind",
            "from_status",
            "to_status",
            "actor",
            "actor_name",
            "comment",
            "created_at",
        ]

    def get_actor_name(self, event: DemandEvent) -> str:
        return str(event.actor) if event.actor_id else ""


class DemandSerializer(serializers.ModelSerializer):
    """A demand as lists and pages show it; contact details masked outside the user's scope."""

    unit_name = RelatedNameField("unit")
    # Plain strings: a masked or empty address is not a `format: email` value.
    contact_name = serializers.CharField(read_only=True)
    contact_phone = serializers.CharField(read_only=True)
    contact_email = serializers.CharField(read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    campaign_title = RelatedNameField("campaign", "title")
    assignee_unit_name = RelatedNameField("assignee_unit")
    assignee_name = serializers.SerializerMethodField()
    url = PageUrlField("services:demand-detail", help_text=_("The demand's page."))
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("The steps the caller may take now, each a POST to …/{id}/{step}/.")
    )

    class Meta:
        model = Demand
        fields = [
            "id",
            "title",
            "description",
            "category",
            "source",
            "status",
            "unit",
            "unit_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "region",
            "region_code",
            "region_name",
            "campaign",
            "campaign_title",
            "assignee_unit",
            "assignee_unit_name",
            "assignee",
            "assignee_name",
            "due_on",
            "is_overdue",
            "resolution",
            "satisfaction",
            "satisfaction_comment",
            "merged_into",
            "project",
            "accepted_at",
            "assigned_at",
            "resolved_at",
            "closed_at",
            "rated_at",
            "created_by",
            "created_at",
            "updated_at",
            "url",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_assignee_name(self, demand: Demand) -> str:
        return str(demand.assignee) if demand.assignee_id else ""

    @extend_schema_field(
        {"type": "array", "items": {"type": "string", "enum": list(actions.ACTIONS)}}
    )
    def get_allowed_actions(self, demand: Demand) -> list[str]:
        request = self.context.get("request")
        return actions.demand_allowed_actions(request.user, demand) if request else []

    def to_representation(self, demand: Demand):
        data = super().to_representation(demand)
        request = self.context.get("request")
        if request is not None:
            data.update(demand_contacts(user=request.user, demand=demand))
        return data


class DemandDetailSerializer(DemandSerializer):
    attachments = DemandAttachmentSerializer(many=True, read_only=True)
    duplicates = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "attachments", "duplicates"]
        read_only_fields = fields


# --- input --------------------------------------------------------------------------------------


def _files(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        max_length=actions.MAX_ATTACHMENTS,
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx), JPEG or PNG files, each as a repeated field."
        ),
        **kwargs,
    )


class DemandCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000)
    category = serializers.ChoiceField(choices=DemandCategory.choices)
    source = serializers.ChoiceField(
        choices=DemandSource.choices,
        required=False,
        help_text=_("Staff and secretaries: how it came in; a unit contact's is always `online`."),
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "The raising unit (staff, secretaries); empty for a resident. A unit contact's own."
        ),
    )
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Region id; the unit's if left out."),
    )
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=DemandCampaign.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An open collection campaign; left out, the one open for the region (if any)."),
    )


class DemandUploadSerializer(DemandCreateSerializer):
    """The fields of a demand sent as multipart/form-data, with its attachments."""

    attachments = _files(required=False)


class DemandUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20000)
    category = serializers.ChoiceField(choices=DemandCategory.choices)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class OptionalCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class MergeSerializer(OptionalCommentSerializer):
    into = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text=_("The id of the open demand it duplicates.")
    )


class AssignSerializer(OptionalCommentSerializer):
    assignee_unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), required=False, allow_null=True, default=None
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A user: district staff, a secretary of the region, or a contact of the handling unit."
        ),
    )
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Left out: today plus the days set for the category."),
    )


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=10000)


class RateSerializer(OptionalCommentSerializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)


class ReopenSerializer(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=actions.REOPEN_MAX_SATISFACTION)
    comment = serializers.CharField(max_length=5000, help_text=_("What is still missing."))


class AttachmentsSerializer(serializers.Serializer):
    attachments = _files(min_length=1)


class DemandCountsSerializer(serializers.Serializer):
    collected = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolution_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    median_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    overdue = serializers.IntegerField()
    average_satisfaction = serializers.DecimalField(max_digits=2, decimal_places=1, allow_null=True)


class CategoryCountsSerializer(DemandCountsSerializer):
    category = serializers.ChoiceField(choices=DemandCategory.choices)


class DemandCountsReportSerializer(DemandCountsSerializer):
    by_category = CategoryCountsSerializer(many=True)


def _step(name: str, params: type[serializers.Serializer], doc: str):
    """The endpoint of one step of the loop: POST …/{id}/<name>/ with `params`, after the check
    that the caller's role may take it (403 before a 400 for the body)."""

    def role_check(self, request, demand):
        run_action(actions.demand_role_check, demand=demand, by=request.user, step=name)

    def take(self, request, demand, **data):
        return actions.ACTIONS[name](
            demand=demand, by=request.user, base_url=request_base_url(request), **data
        )

    take.__name__ = take.__qualname__ = name
    take.__doc__ = doc
    return step(input=params, output=DemandDetailSerializer, before=role_check)(take)


WRITE_REQUEST = {
    "application/json": DemandCreateSerializer,
    "multipart/form-data": DemandUploadSerializer,
}


class DemandViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """Demands (诉求). Unit contacts raise their unit's; staff and secretaries raise them for units or
    residents and handle them through the steps; raisers rate the resolution. Never deleted."""

    serializer_class = DemandSerializer
    filterset_class = DemandFilterSet
    parser_classes = [BoundedJSONParser, MultiPartParser]
    search_fields = ["title", "description", "unit__name"]
    ordering_fields = ["created_at", "updated_at", "due_on", "status", "category", "title"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "retrieve":
            return demand_detail(user=self.request.user)
        if self.action == "list":
            return demand_api_list(user=self.request.user)
        return demand_list(user=self.request.user)

    def get_serializer_class(self):
        return DemandDetailSerializer if self.action == "retrieve" else DemandSerializer

    def can_create(self, user) -> bool:
        return actions.can_raise_demands(user)

    def can_change(self, user, obj) -> bool:
        # Which step (or edit) the user may take is the action's to say, with its reason.
        return True

    def get_output_queryset(self):
        return demand_detail(user=self.request.user)

    @write_schema(DemandDetailSerializer, status=201, request=WRITE_REQUEST)
    def create(self, request, *args, **kwargs):
        """Raise a demand; with multipart/form-data, attach up to 10 files as `attachments`."""
        params = DemandUploadSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        files = data.pop("attachments", [])
        demand = run_action(
            actions.demand_create,
            by=request.user,
            data=data,
            attachments=files,
            base_url=request_base_url(request),
        )
        return self.respond(demand, DemandDetailSerializer, status=status.HTTP_201_CREATED)

    @write_schema(DemandDetailSerializer, request=DemandUpdateSerializer)
    def update(self, request, *args, **kwargs):
        """Correct the title, description, category or contact while the demand waits to be accepted."""
        partial = kwargs.pop("partial", False)
        demand = self.get_object()
        params = DemandUpdateSerializer(data=request.data, partial=partial)
        params.is_valid(raise_exception=True)
        demand = run_action(
            actions.demand_update, demand=demand, by=request.user, data=dict(params.validated_data)
        )
        return self.respond(demand, DemandDetailSerializer)

    @write_schema(DemandDetailSerializer, request=DemandUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    accept = _step("accept", OptionalCommentSerializer, "Accept a submitted demand (a handler).")
    reject = _step(
        "reject", RejectSerializer, "Reject a submitted or accepted demand with a `reason`."
    )
    merge = _step(
        "merge",
        MergeSerializer,
        "Merge a submitted or accepted duplicate `into` another open demand.",
    )
    assign = _step(
        "assign",
        AssignSerializer,
        "Assign to a handling unit and/or person; `due_on` defaults to the category's days.",
    )
    start = _step(
        "start", OptionalCommentSerializer, "The assignee starts work (assigned → in progress)."
    )
    progress = _step("progress", CommentSerializer, "A progress note while the demand is handled.")
    resolve = _step("resolve", ResolveSerializer, "Resolve, saying how (`resolution`).")
    rate = _step(
        "rate", RateSerializer, "The raiser rates the resolution 1–5; the demand is closed."
    )
    reopen = _step(
        "reopen",
        ReopenSerializer,
        "The raiser, rating 1 or 2, sends the resolved demand back (→ in progress).",
    )
    close = _step(
        "close",
        OptionalCommentSerializer,
        "A handler closes a resolved demand its raiser did not rate within 7 days.",
    )
    comment = _step("comment", CommentSerializer, "A comment in the timeline, by anyone concerned.")

    @extend_schema(responses=DemandEventSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def events(self, request, pk=None):
        """The demand's timeline, oldest first."""
        demand = self.get_object()
        events = (
            DemandEvent.objects.filter(demand=demand)
            .select_related("actor")
            .order_by("created_at", "id")
        )
        return Response(DemandEventSerializer(events, many=True).data)

    @extend_schema(responses=SuggestionSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def suggestions(self, request, pk=None):
        """Resource offers and units that may answer the demand, each with its reasons (handlers)."""
        demand = self.get_object()
        if not actions.is_handler(request.user, demand):
            raise PermissionDenied(_("Only the demand's handlers see matching suggestions."))
        if suggestions_for_demand is None:
            return Response([])
        items = suggestions_for_demand(demand, limit=8)
        return Response(SuggestionSerializer(items, many=True, context={"request": request}).data)

    @step(
        input=AttachmentsSerializer,
        output=DemandAttachmentSerializer,
        many=True,
        status=201,
        request={"multipart/form-data": AttachmentsSerializer},
        url_path="attachments",
        parser_classes=[MultiPartParser],
    )
    def add_attachments(self, request, demand, attachments):
        """Attach files (repeated `attachments` fields) while the demand is being worked on."""
        return actions.demand_attachments_add(demand=demand, by=request.user, files=attachments)

    @extend_schema(
        request=None,
        responses={
            (200, OCTET): OpenApiResponse(OpenApiTypes.BINARY, description=_("The file")),
            302: OpenApiResponse(
                description=_(
                    "With object storage: a redirect to a signed address of the file, valid for "
                    "AWS_QUERYSTRING_EXPIRE seconds (60 by default)"
                )
            ),
        },
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        filters=False,
    )
    @action(
        detail=True,
        url_path=r"attachments/(?P<attachment_id>[0-9]+)",
        renderer_classes=[JSONRenderer, OctetStreamRenderer],
        pagination_class=None,
    )
    def attachment(self, request, pk=None, attachment_id=None):
        """Download one of the demand's files."""
        demand = self.get_object()
        if len(str(attachment_id)) > 18:
            raise NotFound(_("This demand has no such file."))
        item = DemandAttachment.objects.filter(demand=demand, pk=int(attachment_id)).first()
        if item is None:
            raise NotFound(_("This demand has no such file."))
        try:
            return file_response(
                item.file, filename=item.name, as_attachment=True, content_type=OCTET
            )
        except FileNotFoundError as exc:
            raise NotFound(_("This demand has no such file.")) from exc

    @extend_schema(responses=DemandCountsReportSerializer)
    @action(detail=False, pagination_class=None)
    def counts(self, request):
        """Collected, resolved, resolution rate, median days, overdue and satisfaction of the filtered
        list (same parameters as the list), in total and by category."""
        queryset = self.filter_queryset(self.get_queryset())
        today = timezone.localdate()
        data = {
            **demand_counts(queryset, today=today),
            "by_category": demand_counts_by_category(queryset, today=today),
        }
        return Response(DemandCountsReportSerializer(data).data)


# --- campaigns ----------------------------------------------------------------------------------


class DemandCampaignSerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Region id; empty for a district-wide collection."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)
    is_open = serializers.SerializerMethodField(help_text=_("Open today."))
    collected = serializers.IntegerField(
        read_only=True, help_text=_("Demands it collected (your scope).")
    )
    resolved = serializers.IntegerField(read_only=True)
    url = PageUrlField("services:campaign-detail")

    class Meta:
        model = DemandCampaign
        fields = [
            "id",
            "title",
            "theme",
            "opens_on",
            "closes_on",
            "region",
            "region_name",
            "is_open",
            "collected",
            "resolved",
            "url",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_is_open(self, campaign: DemandCampaign) -> bool:
        today = timezone.localdate()
        return campaign.opens_on <= today <= campaign.closes_on

    def validate(self, attrs):
        current = self.instance
        opens = attrs.get("opens_on", current.opens_on if current else None)
        closes = attrs.get("closes_on", current.closes_on if current else None)
        if opens and closes and closes < opens:
            raise serializers.ValidationError(
                {"closes_on": _("The collection cannot close before it opens.")}
            )
        return attrs


class DemandCampaignDetailSerializer(DemandCampaignSerializer):
    counts = serializers.SerializerMethodField()

    class Meta(DemandCampaignSerializer.Meta):
        fields = [*DemandCampaignSerializer.Meta.fields, "counts"]

    @extend_schema_field(DemandCountsReportSerializer)
    def get_counts(self, campaign: DemandCampaign) -> dict:
        request = self.context["request"]
        demands = Demand.objects.restrict(request.user).filter(campaign=campaign)
        data = {**demand_counts(demands), "by_category": demand_counts_by_category(demands)}
        return DemandCountsReportSerializer(data).data


class DemandCampaignViewSet(HistoryActionMixin, ScopedModelViewSet):
    """Collection campaigns (征集): windows in which demands are collected, with their figures.
    Everyone signed in reads them; district staff open and change them."""

    serializer_class = DemandCampaignSerializer
    filterset_class = None
    search_fields = ["title", "theme"]
    ordering_fields = ["opens_on", "closes_on", "title", "created_at"]
    ordering = ["-opens_on", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return DemandCampaignDetailSerializer
        return DemandCampaignSerializer

    def can_create(self, user) -> bool:
        return campaign_actions.can_manage_campaigns(user)

    def can_change(self, user, obj) -> bool:
        return campaign_actions.can_manage_campaigns(user)

    def get_output_queryset(self):
        return campaign_list(user=self.request.user)

    @write_schema(DemandCampaignDetailSerializer, status=201)
    def create(self, request, *args, **kwargs):
        params = DemandCampaignSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        campaign = run_action(
            campaign_actions.campaign_create, by=request.user, data=dict(params.validated_data)
        )
        return self.respond(
            campaign, DemandCampaignDetailSerializer, status=status.HTTP_201_CREATED
        )

    @write_schema(DemandCampaignDetailSerializer)
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        campaign = self.get_object()
        params = DemandCampaignSerializer(campaign, data=request.data, partial=partial)
        params.is_valid(raise_exception=True)
        campaign = run_action(
            campaign_actions.campaign_update,
            campaign=campaign,
            by=request.user,
            data=dict(params.validated_data),
        )
        return self.respond(campaign, DemandCampaignDetailSerializer)

    @write_schema(DemandCampaignDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


# --- deadlines ----------------------------------------------------------------------------------


class DemandDeadlineSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    due_days = serializers.IntegerField(min_value=1, max_value=365)

    class Meta:
        model = DemandDeadline
        fields = ["category", "category_label", "due_days"]
        read_only_fields = ["category"]


class DemandDeadlineViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Days to resolve per category, from which an assignment's due date follows; staff change them."""

    serializer_class = DemandDeadlineSerializer
    lookup_field = "category"
    pagination_class = None
    filter_backends = []
    queryset = DemandDeadline.objects.order_by("category")
    http_method_names = ["get", "put", "patch", "head", "options"]

    def can_create(self, user) -> bool:
        return False

    def can_change(self, user, obj) -> bool:
        return campaign_actions.can_manage_campaigns(user)

    def perform_update(self, serializer):
        deadline = serializer.instance
        run_action(
            campaign_actions.demand_deadlines_set,
            by=self.request.user,
            days={deadline.category: serializer.validated_data.get("due_days", deadline.due_days)},
        )
        deadline.refresh_from_db()
