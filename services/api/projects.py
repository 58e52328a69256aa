"""/api/v1/projects/ (项目清单 / 共同行动) and /api/v1/claims/ (双向认领)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from alliances.models import Alliance
from members.models import MemberUnit
from portal.api.fields import OptionalChoiceField, PageUrlField
from portal.api.steps import WRITE_ERRORS, step, write_schema
from portal.api.viewsets import (
    ExportMixin,
    HistoryActionMixin,
    ScopedModelViewSet,
    run_action,
)
from portal.core.mail import request_base_url
from portal.regions.models import Region

from ..actions import projects as actions
from ..choices import ProjectStatus
from ..filters.projects import ProjectFilterSet
from ..models import (
    Demand,
    JointProject,
    ProjectEvent,
    ProjectMilestone,
    ProjectParticipant,
)
from ..selectors.projects import (
    can_create_projects,
    is_project_owner,
    project_detail,
    project_events,
    project_list,
    project_status_counts,
)

try:
    from ..selectors.matching import suggestions_for_project
    from .matching import SuggestionSerializer
except ImportError:  # the matching module comes separately; until then there are no suggestions
    suggestions_for_project = None

    class SuggestionSerializer(serializers.Serializer):
        kind = serializers.CharField(read_only=True)
        title = serializers.CharField(read_only=True)


class ProjectParticipantSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ProjectParticipant
        fields = ["id", "unit", "unit_name", "role", "joined_on"]
        read_only_fields = fields


class ProjectMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["id", "title", "due_on", "done_on"]
        read_only_fields = ["id", "done_on"]


class MilestoneDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("The day it was done; today if left out.")
    )


class ProjectEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", read_only=True, allow_null=True)
    from_status = OptionalChoiceField(
        choices=ProjectStatus.choices,
        label=ProjectEvent._meta.get_field("from_status").verbose_name,
        help_text=_(
            "Null without a state before: the project's creation, and events that change no status."
        ),
    )
    to_status = OptionalChoiceField(
        choices=ProjectStatus.choices,
        label=ProjectEvent._meta.get_field("to_status").verbose_name,
        help_text=_(
            "Null for an event that changes no status (progress, milestones, participants, comments)."
        ),
    )

    class Meta:
        model = ProjectEvent
        fields = [
            "id",
            "kind",
            "from_status",
            "to_status",
            "progress",
            "actor",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A project as the board lists it; the same fields (less the read-only ones) are written."""

    alliance = serializers.PrimaryKeyRelatedField(
        queryset=Alliance.objects.all(),
        help_text=_("Alliance id; a unit contact publishes only for an alliance their unit leads."),
    )
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        required=False,
        help_text=_("Unit id; the alliance's lead unit if left out."),
    )
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, allow_null=True)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Region id; the lead unit's region if left out (required of secretaries)."),
    )
    region_code = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    region_name = serializers.CharField(source="region.name", read_only=True, allow_null=True)
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    contract_amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("合作金额 in yuan."),
    )
    participant_count = serializers.IntegerField(read_only=True)
    pending_claim_count = serializers.IntegerField(read_only=True)
    created_by = serializers.CharField(source="created_by.__str__", read_only=True, allow_null=True)
    url = PageUrlField("services:project-detail", help_text=_("The project's page."))

    class Meta:
        model = JointProject
        fields = [
            "id",
            "title",
            "description",
            "alliance",
            "alliance_name",
            "lead_unit",
            "lead_unit_name",
            "category",
            "region",
            "region_code",
            "region_name",
            "status",
            "starts_on",
            "ends_on",
            "budget",
            "contract_amount",
            "progress",
            "completed_at",
            "participant_count",
            "pending_claim_count",
            "created_by",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = ["status", "progress", "completed_at", "created_at", "updated_at"]

    def validate(self, attrs):
        current = self.instance
        start = attrs.get("starts_on", current.starts_on if current else None)
        end = attrs.get("ends_on", current.ends_on if current else None)
        if start and end and end < start:
            raise serializers.ValidationError(
                {"ends_on": _("The project cannot end before it starts.")}
            )
        return attrs


class ProjectDetailSerializer(ProjectSerializer):
    participants = ProjectParticipantSerializer(many=True, read_only=True)
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)
    from_demand = serializers.SerializerMethodField(
        help_text=_("The id of the demand the project was made from, if any.")
    )

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "from_demand", "participants", "milestones"]

    def get_from_demand(self, project: JointProject) -> int | None:
        demand = project.from_demand
        return demand.pk if demand else None


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class ProjectCreateSerializer(ProjectSerializer):
    milestones = serializers.ListField(
        child=MilestoneInputSerializer(),
        required=False,
        max_length=actions.MILESTONES_PER_PROJECT,
        write_only=True,
    )
    open_now = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text=_("Open the project for claiming at once instead of leaving it proposed."),
    )

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "milestones", "open_now"]


class FromDemandSerializer(ProjectCreateSerializer):
    demand = serializers.PrimaryKeyRelatedField(queryset=Demand.objects.all(), write_only=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(
        choices=JointProject._meta.get_field("category").choices, required=False
    )
    add_demand_unit = serializers.BooleanField(
        required=False,
        default=True,
        write_only=True,
        help_text=_("The unit that raised the demand takes part as a participant."),
    )

    class Meta(ProjectCreateSerializer.Meta):
        fields = ["demand", *ProjectCreateSerializer.Meta.fields, "add_demand_unit"]


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ProjectStatus.choices, help_text=_("The status to move to.")
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Required when cancelling."),
    )


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StatusCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())


PROJECT_FIELDS = set(actions.EDITABLE)


class ProjectViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """Joint projects. Staff, street secretaries (in their region) and the contacts of an alliance's lead
    unit publish them; their owners edit them and move them along the status table; the lead and
    co-organizing units report progress, milestones and amounts. Projects are cancelled, never deleted."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    search_fields = ["title", "description"]
    ordering_fields = [
        "title",
        "status",
        "starts_on",
        "ends_on",
        "budget",
        "contract_amount",
        "progress",
        "created_at",
        "updated_at",
    ]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action in {"list", "export", "counts"}:
            return project_list(user=self.request.user)
        return project_detail(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ProjectSerializer
        if self.action == "create":
            return ProjectCreateSerializer
        return ProjectDetailSerializer

    def can_create(self, user) -> bool:
        return can_create_projects(user)

    def can_change(self, user, obj) -> bool:
        # Owners, and the lead and co-organizing units for some writes: the actions decide (403).
        return True

    def get_output_queryset(self):
        return project_detail(user=self.request.user)

    @write_schema(ProjectDetailSerializer, status=201, request=ProjectCreateSerializer)
    def create(self, request, *args, **kwargs):
        """Publish a project (`proposed`, or `open` with `open_now`), with its `milestones`."""
        params = ProjectCreateSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        milestones = data.pop("milestones", [])
        open_now = data.pop("open_now", False)
        project = run_action(
            actions.project_create,
            by=request.user,
            data={k: v for k, v in data.items() if k in PROJECT_FIELDS},
            milestones=milestones,
            open_now=open_now,
            base_url=request_base_url(request),
        )
        return self.respond(project, ProjectDetailSerializer, status=status.HTTP_201_CREATED)

    @write_schema(ProjectDetailSerializer, request=ProjectSerializer)
    def update(self, request, *args, **kwargs):
        """Edit the project (its owners); the lead and co-organizing units may send only the amounts."""
        partial = kwargs.pop("partial", False)
        project = self.get_object()
        params = ProjectSerializer(
            project, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        data = {k: v for k, v in params.validated_data.items() if k in PROJECT_FIELDS}
        project = run_action(actions.project_update, project=project, by=request.user, data=data)
        return self.respond(project, ProjectDetailSerializer)

    @write_schema(ProjectDetailSerializer, request=ProjectSerializer)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @step(input=TransitionSerializer, output=ProjectDetailSerializer)
    def transition(self, request, project, status, comment=""):
        """Move the project to another `status` (its owners): proposed→open/cancelled,
        open→claimed/in_progress/cancelled, claimed→in_progress/cancelled, in_progress→completed/cancelled.
        Cancelling needs a `comment`; completing sets the progress to 100."""
        return actions.project_transition(
            project=project,
            to=status,
            comment=comment,
            by=request.user,
            base_url=request_base_url(request),
        )

    @step(input=ProgressSerializer, output=ProjectDetailSerializer)
    def progress(self, request, project, progress, comment=""):
        """Report the progress (0–100) with a comment: owners, the lead and co-organizing units."""
        return actions.project_progress(
            project=project, by=request.user, progress=progress, comment=comment
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ProjectMilestoneSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        request=MilestoneInputSerializer,
        responses={201: ProjectMilestoneSerializer, **WRITE_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def milestones(self, request, pk=None):
        """The milestones; POST adds one (owners, the lead and co-organizing units)."""
        project = self.get_object()
        if request.method == "GET":
            return Response(ProjectMilestoneSerializer(project.milestones.all(), many=True).data)
        params = MilestoneInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        milestone = run_action(
            actions.milestone_add, project=project, by=request.user, **params.validated_data
        )
        return Response(ProjectMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MilestoneDoneSerializer,
        responses={200: ProjectMilestoneSerializer, **WRITE_ERRORS},
        parameters=[OpenApiParameter("milestone_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"milestones/(?P<milestone_id>[0-9]+)/done",
    )
    def milestone_done(self, request, pk=None, milestone_id=None):
        """Mark a milestone done (today unless `done_on` is given)."""
        project = self.get_object()
        milestone = ProjectMilestone.objects.filter(project=project, pk=milestone_id).first()
        if milestone is None:
            raise NotFound(_("This project has no such milestone."))
        params = MilestoneDoneSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        milestone = run_action(
            actions.milestone_done,
            milestone=milestone,
            by=request.user,
            done_on=params.validated_data.get("done_on"),
        )
        return Response(ProjectMilestoneSerializer(milestone).data)

    @extend_schema(responses=ProjectParticipantSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def participants(self, request, pk=None):
        """The units taking part, with their roles."""
        project = self.get_object()
        return Response(ProjectParticipantSerializer(project.participants.all(), many=True).data)

    @extend_schema(responses=ProjectEventSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def events(self, request, pk=None):
        """The timeline: creation, status changes, progress, milestones, participants and claims, oldest first."""
        project = self.get_object()
        return Response(ProjectEventSerializer(project_events(project), many=True).data)

    @extend_schema(responses=SuggestionSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def suggestions(self, request, pk=None):
        """Resource offers, then units, that could serve or join the project, each with its reasons
        (its owners, as on the project's page: the units named reach beyond a contact's scope)."""
        project = self.get_object()
        if not is_project_owner(request.user, project):
            raise PermissionDenied(_("Only the project's owners see matching suggestions."))
        if suggestions_for_project is None:
            return Response([])
        return Response(SuggestionSerializer(suggestions_for_project(project), many=True).data)

    @step(
        input=FromDemandSerializer,
        output=ProjectDetailSerializer,
        status=201,
        detail=False,
        url_path="from-demand",
        filterset_class=None,
        pagination_class=None,
    )
    def from_demand(self, request, demand, **data):
        """Turn a `demand` into a project of an `alliance` (staff, the demand's street secretary).
        Title, description, category and region come from the demand unless given."""
        return actions.project_from_demand(
            demand=demand,
            by=request.user,
            data={k: v for k, v in data.items() if k in PROJECT_FIELDS},
            add_demand_unit=data.get("add_demand_unit", True),
            milestones=data.get("milestones", []),
            open_now=data.get("open_now", False),
            base_url=request_base_url(request),
        )

    @extend_schema(responses=StatusCountsSerializer)
    @action(detail=False, pagination_class=None)
    def counts(self, request):
        """How many projects of the filtered list (same parameters) are in each status."""
        counts = project_status_counts(self.filter_queryset(self.get_queryset()))
        return Response({"total": sum(counts.values()), "by_status": counts})
