from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from members import imports
from members.actions import unit_deactivate
from members.choices import UnitStatus
from members.exports import unit_export
from members.filters import MemberUnitFilterSet
from members.selectors import unit_detail, unit_list
from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.viewsets import HistoryActionMixin, ScopedModelViewSet

from .serializers import MemberUnitDetailSerializer, MemberUnitSerializer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class MemberUnitViewSet(HistoryActionMixin, ScopedModelViewSet):
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

    @extend_schema(
        responses={(200, XLSX): OpenApiTypes.BINARY},
        description="The filtered list (same parameters as the list) as an XLSX workbook; contact details masked outside your scope.",
    )
    @action(detail=False, pagination_class=None)
    def export(self, request):
        """Download the filtered list as XLSX."""
        queryset = self.filter_queryset(self.get_queryset())
        return unit_export(queryset=queryset, request=request)

    @extend_schema(
        request={"multipart/form-data": UnitImportSerializer},
        responses={201: UnitImportResultSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        filterset_class=None,
    )
    def import_units(self, request):
        """Import units from an XLSX or CSV made from the template: all rows or none; each refused row is named."""
        if not request.user.is_district_staff:
            raise PermissionDenied()
        params = UnitImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            result = imports.import_units(params.validated_data["file"], user=request.user)
        except imports.ImportFileError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        if not result.ok:
            raise ValidationError({"file": [str(error) for error in result.errors]})
        return Response(
            {"created": result.created, "total_rows": result.total_rows},
            status=status.HTTP_201_CREATED,
        )
