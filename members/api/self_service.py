"""API of a unit contact's own unit: its profile (changes go to review) and its contacts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from members.actions.unit_changes import (
    unit_profile_update,
)
from members.actions.units import unit_contact_invite
from members.choices import SELF_SERVICE_FIELDS
from members.credit_code import CreditCodeValidator
from members.models import MemberUnit
from members.selectors import unit_contact_users, unit_pending_change
from portal.accounts.models import User
from portal.api.steps import write_schema
from portal.core.validators import mobile_phone_validator

from .unit_changes import UnitChangeSerializer


class IsUnitContact(BasePermission):
    message = _("Only a unit contact has a unit of their own.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.is_unit_contact and user.unit_id)


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


class MyUnitView(generics.RetrieveUpdateAPIView):
    """The signed-in unit contact's unit. PATCH applies at once, except name, credit code and
    unit type, which go to district staff as a pending change (see `pending_change`)."""

    serializer_class = UnitProfileSerializer
    permission_classes = [IsAuthenticated, IsUnitContact]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return MemberUnit.objects.get(pk=self.request.user.unit_id)

    @write_schema(UnitProfileSerializer)
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

    @write_schema(ContactSerializer, status=201)
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
