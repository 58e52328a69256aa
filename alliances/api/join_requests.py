"""API of join requests: a unit asks to join, the alliance's lead or staff decide."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.filters import OrderingFilter

from alliances.actions.join_requests import (
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from alliances.filters import JoinRequestFilterSet
from alliances.models import Alliance, JoinRequest
from alliances.selectors.join_requests import join_request_list
from members.models import MemberUnit
from portal.api.steps import step, write_schema
from portal.api.viewsets import (
    HistoryActionMixin,
    ScopedViewSetMixin,
    run_action,
)
from portal.core.mail import request_base_url


class JoinRequestSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requested_by_name = serializers.CharField(
        source="requested_by", read_only=True, allow_null=True
    )
    decided_by_name = serializers.CharField(source="decided_by", read_only=True, allow_null=True)

    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "unit",
            "unit_name",
            "status",
            "message",
            "source",
            "requested_by",
            "requested_by_name",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decline_reason",
            "membership",
            "created_at",
        ]
        read_only_fields = fields


class JoinRequestCreateSerializer(serializers.Serializer):
    alliance = serializers.PrimaryKeyRelatedField(
        queryset=Alliance.objects.all(), help_text=_("The alliance to join.")
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        required=False,
        help_text=_(
            "District staff only: the unit that asks. A unit contact always asks for their own unit."
        ),
    )
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        user = self.context["request"].user
        unit = attrs.get("unit")
        if user.is_district_staff:
            if unit is None:
                raise serializers.ValidationError(
                    {"unit": _("Name the unit that asks to join.")}, code="required"
                )
        elif unit is not None and unit.pk != user.unit_id:
            raise serializers.ValidationError(
                {"unit": _("You can only ask for your own unit.")}, code="invalid"
            )
        else:
            attrs["unit"] = user.unit
        return attrs


class JoinRequestDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Mailed to the contacts of the unit that asked.")
    )


class JoinRequestViewSet(
    HistoryActionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Units ask to join alliances; the alliance's lead unit contacts or district staff accept or decline."""

    serializer_class = JoinRequestSerializer
    filterset_class = JoinRequestFilterSet
    # No text search here; without SearchFilter the schema offers no `search` parameter either.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "decided_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return join_request_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return JoinRequestCreateSerializer
        return JoinRequestSerializer

    def can_create(self, user) -> bool:
        return user.is_district_staff or bool(user.is_unit_contact and user.unit_id)

    def can_change(self, user, obj: JoinRequest) -> bool:
        if self.action == "withdraw":
            return obj.can_be_withdrawn_by(user)
        return super().can_change(user, obj)

    @write_schema(JoinRequestSerializer, status=201, request=JoinRequestCreateSerializer)
    def create(self, request, *args, **kwargs):
        """Ask to join an alliance: a unit contact for their own unit; district staff name the `unit`."""
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        join_request = run_action(
            join_request_create,
            alliance=params.validated_data["alliance"],
            unit=params.validated_data["unit"],
            by=request.user,
            message=params.validated_data.get("message", ""),
            base_url=request_base_url(request),
        )
        return self.respond(join_request, JoinRequestSerializer, status=status.HTTP_201_CREATED)

    def get_output_queryset(self):
        return join_request_list(user=self.request.user)

    @step(output=JoinRequestSerializer)
    def accept(self, request, join_request):
        """Accept the pending request: the unit becomes a member (role `member`)."""
        return join_request_accept(
            request=join_request, by=request.user, base_url=request_base_url(request)
        )

    @step(input=JoinRequestDeclineSerializer, output=JoinRequestSerializer)
    def decline(self, request, join_request, reason):
        """Decline the pending request with a `reason`, mailed to the unit's contacts."""
        return join_request_decline(
            request=join_request, by=request.user, reason=reason, base_url=request_base_url(request)
        )

    @step(output=JoinRequestSerializer)
    def withdraw(self, request, join_request):
        """The unit that asked takes its pending request back."""
        return join_request_withdraw(request=join_request, by=request.user)
