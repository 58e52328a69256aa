"""/api/v1/registrations/: anyone registers; staff and street secretaries review."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from alliances.models import Alliance
from members.actions.registrations import (
    RegistrationRateLimited,
    registration_approve,
    registration_code_check,
    registration_confirm,
    registration_rate_reached,
    registration_reject,
    registration_submit,
)
from members.filters import RegistrationFilterSet
from members.models import Registration
from members.selectors import registration_detail, registration_list
from portal.api.permissions import ScopedPermission
from portal.api.steps import step, write_schema
from portal.api.viewsets import ExportMixin, ScopedViewSetMixin
from portal.core.mail import request_base_url
from portal.core.ratelimit import client_ip

FIELDS = [
    "name",
    "credit_code",
    "unit_type",
    "region",
    "address",
    "industry",
    "party_org_type",
    "party_member_count",
    "contact_name",
    "contact_phone",
    "contact_email",
    "alliances",
]


class RegistrationCreateSerializer(serializers.ModelSerializer):
    alliances = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Alliance.objects.active(),
        help_text=_("Active alliances the unit wishes to join."),
    )

    class Meta:
        model = Registration
        fields = FIELDS
        # The pending-code constraint is checked in validate_credit_code, with a clear message.
        validators = []

    def validate_credit_code(self, value):
        return registration_code_check(value)

    def validate_region(self, value):
        from members.forms import REGISTRATION_LEVELS

        if not value.is_active or value.level not in REGISTRATION_LEVELS:
            raise serializers.ValidationError(
                _("Choose an active subdistrict, community or grid."), code="invalid"
            )
        return value


class RegistrationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            *FIELDS,
            "region_code",
            "region_name",
            "status",
            "confirmed_at",
            "reject_reason",
            "decided_by",
            "decided_at",
            "unit",
            "submitter_ip",
            "created_at",
        ]
        read_only_fields = fields


class RegistrationConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text=_("The token of the e-mailed link."))


class RegistrationRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Mailed to the contact."))


class IsReviewer(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return user.is_authenticated and (user.is_district_staff or user.is_street_secretary)


class RegistrationThrottle(BaseThrottle):
    """REGISTRATION_RATE_LIMIT accepted registrations per client address, shared with the form."""

    def allow_request(self, request, view) -> bool:
        return not registration_rate_reached(ip=client_ip(request))


class RegistrationViewSet(
    ExportMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Registrations of units. Anyone may register; district staff and street secretaries (their subtree) review."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilterSet
    search_fields = ["name", "credit_code"]
    ordering_fields = ["created_at", "name"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if self.action == "retrieve":
            return registration_detail(user=self.request.user)
        return registration_list(user=self.request.user).prefetch_related("alliances")

    def get_permissions(self):
        if self.action in {"create", "confirm"}:
            return [AllowAny()]
        return [ScopedPermission(), IsReviewer()]

    def get_throttles(self):
        return [RegistrationThrottle()] if self.action == "create" else []

    def throttled(self, request, wait):
        detail = f"{gettext('Too many registrations were submitted from your address.')} {gettext('Please try again in an hour.')}"
        raise Throttled(detail=detail)

    def get_serializer_class(self):
        if self.action == "create":
            return RegistrationCreateSerializer
        return RegistrationSerializer

    @write_schema(RegistrationCreatedSerializer, status=201)
    def create(self, request, *args, **kwargs):
        """Register a unit; the contact receives a link to confirm the e-mail address."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            registration = registration_submit(
                data=serializer.validated_data,
                ip=client_ip(request),
                base_url=request_base_url(request),
            )
        except RegistrationRateLimited:
            self.throttled(request, None)
        return Response(
            {"id": registration.pk, "status": registration.status},
            status=status.HTTP_201_CREATED,
        )

    def get_output_queryset(self):
        # The confirmation answers the id and status it has: nothing to read again.
        return None if self.action == "confirm" else registration_detail(user=self.request.user)

    @step(
        input=RegistrationConfirmSerializer,
        output=RegistrationCreatedSerializer,
        detail=False,
        handler_errors=True,
        filterset_class=None,
        pagination_class=None,
    )
    def confirm(self, request, token):
        """Confirm the contact's e-mail address with the token of the e-mailed link."""
        return registration_confirm(token=token, base_url=request_base_url(request))

    @step(output=RegistrationSerializer, handler_errors=True)
    def approve(self, request, registration):
        """Approve: create the unit and its contact's account (mailed a link to set a password)."""
        return registration_approve(
            registration=registration, by=request.user, base_url=request_base_url(request)
        )

    @step(input=RegistrationRejectSerializer, output=RegistrationSerializer, handler_errors=True)
    def reject(self, request, registration, reason):
        """Reject with a reason, which is mailed to the contact."""
        return registration_reject(
            registration=registration,
            by=request.user,
            reason=reason,
            base_url=request_base_url(request),
        )
