"""API of member units: the scoped list and detail, writes by staff, the XLSX import."""

from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser

from alliances.models import Membership
from members.actions import imports
from members.actions.units import unit_deactivate
from members.choices import UnitStatus
from members.credit_code import CreditCodeValidator
from members.filters import MemberUnitFilterSet
from members.models import MemberUnit
from members.selectors import unit_contacts, unit_detail, unit_list
from portal.api.steps import step
from portal.api.viewsets import ExportMixin, HistoryActionMixin, ScopedModelViewSet


class UnitMembershipSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "role",
            "joined_on",
            "left_on",
            "representative",
        ]


class MemberUnitSerializer(serializers.ModelSerializer):
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        read_only=True,
        help_text=_("Code of the unit's region."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    alliance_count = serializers.IntegerField(
        read_only=True, default=None, allow_null=True, help_text=_("Current alliances.")
    )

    class Meta:
        model = MemberUnit
        fields = [
            "id",
            "name",
            "credit_code",
            "unit_type",
            "region",
            "region_code",
            "region_name",
            "address",
            "industry",
            "employee_count",
            "party_org_type",
            "party_member_count",
            "org_covered",
            "work_covered",
            "instructor",
            "key_target",
            "contact_name",
            "contact_phone",
            "contact_email",
            "status",
            "alliance_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            # Model rules (credit code required for enterprises, coverage) report with the code "invalid".
            # The checksum only: uniqueness is checked in validate_credit_code, with the existing unit named.
            "credit_code": {
                "validators": [CreditCodeValidator()],
                "error_messages": {"invalid": _("Enter a valid unified social credit code.")},
            },
            "org_covered": {"error_messages": {"invalid": _("Not allowed for this unit.")}},
        }

    def validate(self, attrs):
        instance = MemberUnit(**{**self._current_values(), **attrs})
        instance.pk = self.instance.pk if self.instance else None
        instance.clean()
        attrs["credit_code"] = instance.credit_code
        return attrs

    def validate_credit_code(self, value):
        code = (value or "").strip().upper() or None
        if code:
            existing = (
                MemberUnit.objects.filter(credit_code=code)
                .exclude(pk=getattr(self.instance, "pk", None))
                .first()
            )
            if existing:
                raise serializers.ValidationError(
                    _("This credit code already belongs to unit %(name)s (id %(id)s).")
                    % {"name": existing.name, "id": existing.pk},
                    code="unique",
                )
        return code

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        names = [
            f.name
            for f in MemberUnit._meta.concrete_fields
            if f.name not in {"id", "created_at", "updated_at"}
        ]
        return {f: getattr(self.instance, f) for f in names}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            data.update(unit_contacts(user=request.user, unit=instance))
        return data


class MemberUnitDetailSerializer(MemberUnitSerializer):
    memberships = UnitMembershipSerializer(
        many=True, read_only=True, help_text=_("Current and past memberships.")
    )

    class Meta(MemberUnitSerializer.Meta):
        fields = [*MemberUnitSerializer.Meta.fields, "memberships"]


class UnitImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="XLSX or CSV made from the import template (at most 10 MB)."
    )

    def validate_file(self, upload):
        if upload.size > imports.MAX_FILE_SIZE:
            raise imports.too_large()
        return upload


class UnitImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    total_rows = serializers.IntegerField()


# validate_credit_code() refuses a code that another unit holds.
@extend_validation_errors(["unique"], field_name="credit_code", methods=["post", "put", "patch"])
class MemberUnitViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """Member units. Units are never deleted: set `status` to `inactive` to deactivate one."""

    serializer_class = MemberUnitSerializer
    filterset_class = MemberUnitFilterSet
    search_fields = ["name", "credit_code"]
    ordering_fields = [
        "name",
        "credit_code",
        "party_member_count",
        "employee_count",
        "created_at",
        "alliance_count",
    ]
    ordering = ["name", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "retrieve":
            return unit_detail(user=self.request.user)
        return unit_list(user=self.request.user)

    def perform_update(self, serializer):
        was_active = serializer.instance.status == UnitStatus.ACTIVE
        unit = serializer.save()
        if was_active and unit.status == UnitStatus.INACTIVE:
            unit_deactivate(unit=unit)

    def get_serializer_class(self):
        return MemberUnitDetailSerializer if self.action == "retrieve" else MemberUnitSerializer

    def _staff_only(self, request):
        if not request.user.is_district_staff:
            raise PermissionDenied()

    @step(
        input=UnitImportSerializer,
        output=UnitImportResultSerializer,
        status=201,
        detail=False,
        before=_staff_only,
        handler_errors=True,
        request={"multipart/form-data": UnitImportSerializer},
        url_path="import",
        parser_classes=[MultiPartParser],
        filterset_class=None,
    )
    def import_units(self, request, file):
        """Import units from an XLSX or CSV made from the template: all rows or none; each refused row is named."""
        try:
            result = imports.import_units(file, user=request.user)
        except imports.ImportFileError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        if not result.ok:
            raise ValidationError({"file": [str(error) for error in result.errors]})
        return result
