"""/api/v1/my-unit/ (a unit contact keeps their unit) and /api/v1/unit-changes/ (staff review)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from members.actions import (
    unit_change_approve,
    unit_change_reject,
    unit_contact_invite,
    unit_profile_update,
)
from members.choices import SELF_SERVICE_FIELDS
from members.credit_code import CreditCodeValidator
from members.filters import UnitChangeFilterSet
from members.models import MemberUnit, UnitChange
from members.selectors import unit_change_list, unit_contact_users, unit_pending_change
from portal.accounts.models import User
from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.viewsets import ScopedViewSetMixin
from portal.core.validators import mobile_phone_validator


class IsUnitContact(BasePermission):
    message = _("Only a unit contact has a unit of their own.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_unit_contact and user.unit_id)


class UnitChangeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = UnitChange
        fields = [
            "id",
            "unit",
            "unit_name",
            "name",
            "credit_code",
            "unit_type",
            "status",
            "requested_by",
            "created_at",
            "decided_by",
            "decided_at",
            "reject_reason",
        ]
        read_only_fields = fields


class UnitProfileSerializer(serializers.ModelSerializer):
    """The profile a unit contact keeps; `pending_change` shows what awaits review."""

    pending_change = serializers.SerializerMethodField()

    class Meta:
        model = MemberUnit
        fields = ["id", *SELF_SERVICE_FIELDS, "status", "pending_change", "updated_at"]
        read_only_fields = ["id", "status", "pending_change", "updated_at"]
        extra_kwargs = {
            # The checksum only; uniqueness (against units and registrations) is the action's.
            "credit_code": {"validators": [CreditCodeValidator()]},
        }

    def get_pending_change(self, unit) -> dict | None:
        change = unit_pending_change(unit=unit)
        return UnitChangeSerializer(change).data if change else None


class ContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="last_name", max_length=50)
    phone = serializers.CharField(
        max_length=11, required=False, allow_blank=True, validators=[mobile_phone_validator]
    )
    invited = serializers.SerializerMethodField(
        help_text=_("True until the contact has set a password.")
    )

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "phone", "is_active", "invited"]
        read_only_fields = ["id", "username", "is_active", "invited"]
        extra_kwargs = {"email": {"required": True, "allow_blank": False, "validators": []}}

    def get_invited(self, user) -> bool:
        return not user.has_usable_password()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Mailed to the unit's contacts."))


class MyUnitView(generics.RetrieveUpdateAPIView):
    """The signed-in unit contact's unit. PATCH applies at once, except name, credit code and
    unit type, which go to district staff as a pending change (see `pending_change`)."""

    serializer_class = UnitProfileSerializer
    permission_classes = [IsAuthenticated, IsUnitContact]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return MemberUnit.objects.get(pk=self.request.user.unit_id)

    @extend_schema(responses={200: UnitProfileSerializer, 400: ValidationErrorResponseSerializer})
    def patch(self, request, *args, **kwargs):
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        unit_profile_update(unit=unit, by=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(self.get_object()).data)


class MyUnitContactsView(generics.ListCreateAPIView):
    """The accounts that speak for the unit; POST invites a colleague (mailed a link to set a password)."""

    serializer_class = ContactSerializer
    permission_classes = [IsAuthenticated, IsUnitContact]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return unit_contact_users(unit=MemberUnit(pk=self.request.user.unit_id))

    @extend_schema(responses={201: ContactSerializer, 400: ValidationErrorResponseSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        contact = unit_contact_invite(
            unit=MemberUnit.objects.get(pk=request.user.unit_id),
            by=request.user,
            name=data["last_name"],
            email=data["email"],
            phone=data.get("phone", ""),
            base_url=request.build_absolute_uri("/"),
        )
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


class UnitChangeViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Changes of name, credit code or unit type that unit contacts asked for.

    District staff see and decide all; a unit contact sees those of their unit."""

    serializer_class = UnitChangeSerializer
    filterset_class = UnitChangeFilterSet
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return unit_change_list(user=self.request.user)

    def _decide(self, request):
        if not request.user.is_district_staff:
            raise PermissionDenied(_("Only district staff decide profile changes."))
        return self.get_object()

    @extend_schema(
        request=None,
        responses={200: UnitChangeSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """Apply the change to the unit; its contacts are told by e-mail."""
        change = unit_change_approve(change=self._decide(request), by=request.user)
        return Response(UnitChangeSerializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: UnitChangeSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        """Refuse the change with a reason, which the unit's contacts receive by e-mail."""
        change = self._decide(request)
        params = ReasonSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        change = unit_change_reject(
            change=change, by=request.user, reason=params.validated_data["reason"]
        )
        return Response(UnitChangeSerializer(self.get_queryset().get(pk=change.pk)).data)
