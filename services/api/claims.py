"""API of claims: make one, accept, decline or withdraw it; the claims a user may see."""

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets

from members.models import MemberUnit
from portal.api.steps import step, write_schema
from portal.api.viewsets import (
    HistoryActionMixin,
    ScopedViewSetMixin,
    run_action,
)
from portal.core.mail import request_base_url

from ..actions import claims as claim_actions
from ..actions.claims import CLAIM_ROLES
from ..choices import ClaimKind, ParticipantRole
from ..filters.claims import ClaimFilterSet
from ..models import (
    Claim,
    Demand,
    JointProject,
    ResourceOffer,
)
from ..selectors.claims import claim_can_decide, claim_can_withdraw, claim_list


class ClaimSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True, allow_null=True)
    demand_title = serializers.CharField(source="demand.title", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    resource_offer_title = serializers.CharField(
        source="resource_offer.title", read_only=True, allow_null=True
    )
    created_by = serializers.CharField(source="created_by.__str__", read_only=True, allow_null=True)
    decided_by = serializers.CharField(source="decided_by.__str__", read_only=True, allow_null=True)
    can_decide = serializers.SerializerMethodField(
        help_text=_("Whether you may accept or decline it.")
    )
    can_withdraw = serializers.SerializerMethodField(help_text=_("Whether you may withdraw it."))

    class Meta:
        model = Claim
        fields = [
            "id",
            "kind",
            "project",
            "project_title",
            "demand",
            "demand_title",
            "unit",
            "unit_name",
            "resource_offer",
            "resource_offer_title",
            "role",
            "message",
            "status",
            "created_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "can_decide",
            "can_withdraw",
        ]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_can_decide(self, claim: Claim) -> bool:
        return claim_can_decide(self._user(), claim)

    def get_can_withdraw(self, claim: Claim) -> bool:
        return claim_can_withdraw(self._user(), claim)


class ClaimCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    project = serializers.PrimaryKeyRelatedField(
        queryset=JointProject.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("For unit_claims_project, project_invites_unit, project_requests_resource."),
    )
    demand = serializers.PrimaryKeyRelatedField(
        queryset=Demand.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("For unit_claims_demand, demand_requests_resource."),
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "The invited unit; for a claim, staff name the claiming unit (a contact's is their own)."
        ),
    )
    resource_offer = serializers.PrimaryKeyRelatedField(
        queryset=ResourceOffer.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("For the requests for a resource."),
    )
    role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in CLAIM_ROLES],
        required=False,
        default=ParticipantRole.PARTICIPANT,
        help_text=_("The role in the project (ignored for demands and resource requests)."),
    )
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ClaimDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Why; told to the other side."))


class ClaimViewSet(
    HistoryActionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """双向认领: units claim projects and demands; projects invite units and request resource offers.
    The other side accepts or declines (with a reason); the side that made a claim may withdraw it."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    search_fields = ["unit__name", "project__title", "demand__title"]
    ordering_fields = ["created_at", "decided_at", "status", "kind"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return claim_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ClaimCreateSerializer
        return ClaimSerializer

    def can_create(self, user) -> bool:
        return bool(
            user.is_district_staff
            or (user.is_street_secretary and user.region_id)
            or (user.is_unit_contact and user.unit_id)
        )

    def can_change(self, user, obj) -> bool:
        # Who answers and who withdraws depends on the kind: the actions decide (403).
        return True

    def get_output_queryset(self):
        return claim_list(user=self.request.user)

    @write_schema(ClaimSerializer, status=201, request=ClaimCreateSerializer)
    def create(self, request, *args, **kwargs):
        """Make a claim (`unit_claims_project`, `unit_claims_demand`), an invitation
        (`project_invites_unit`) or a request for a resource (`project_requests_resource`,
        `demand_requests_resource`)."""
        params = ClaimCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        claim = run_action(
            claim_actions.claim_create,
            by=request.user,
            base_url=request_base_url(request),
            **params.validated_data,
        )
        return self.respond(claim, ClaimSerializer, status=status.HTTP_201_CREATED)

    @step(output=ClaimSerializer)
    def accept(self, request, claim):
        """Accept: the unit joins the project with the role (a demand: the unit handles it)."""
        return claim_actions.claim_accept(
            claim=claim, by=request.user, base_url=request_base_url(request)
        )

    @step(input=ClaimDeclineSerializer, output=ClaimSerializer)
    def decline(self, request, claim, reason):
        """Decline with a `reason`, told to the side that made the claim."""
        return claim_actions.claim_decline(
            claim=claim, by=request.user, reason=reason, base_url=request_base_url(request)
        )

    @step(output=ClaimSerializer)
    def withdraw(self, request, claim):
        """Take back a pending claim, invitation or request (the side that made it)."""
        return claim_actions.claim_withdraw(
            claim=claim, by=request.user, base_url=request_base_url(request)
        )
