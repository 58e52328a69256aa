from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.steps import step
from portal.api.viewsets import HistoryActionMixin, ScopedModelViewSet
from portal.regions.actions import regions_import
from portal.regions.filters import RegionFilterSet
from portal.regions.models import Region
from portal.regions.selectors import region_list, region_tree


class RegionSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    children_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "level",
            "parent",
            "parent_name",
            "path",
            "depth",
            "is_active",
            "children_count",
        ]
        read_only_fields = ["path", "depth"]
        # The model's tree rules report on `parent` with the code "invalid"; declaring it documents it.
        extra_kwargs = {
            "parent": {"error_messages": {"invalid": _("This parent region is not allowed here.")}}
        }

    def validate(self, attrs):
        # Run the model's own rules (level order, no cycles) so that the API and the forms agree.
        instance = Region(**{**self._current_values(), **attrs})
        instance.pk = self.instance.pk if self.instance else None
        instance.path = self.instance.path if self.instance else ""
        instance.clean()
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            f: getattr(self.instance, f) for f in ("code", "name", "level", "parent", "is_active")
        }


class RegionTreeNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    is_active = serializers.BooleanField()
    children = serializers.ListField(
        child=serializers.DictField(), help_text=_("Nested nodes of the same shape.")
    )


class TreeQuerySerializer(serializers.Serializer):
    root = serializers.CharField(required=False, help_text=_("Code of the region to start from."))
    depth = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text=_("Levels below the root.")
    )


class RegionImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "XLSX made from the import template (GET /regions/import/template/ in the browser)."
        )
    )


class RegionImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Communities and grids created."))
    rows = serializers.IntegerField(help_text=_("Rows read from the file."))


class RegionViewSet(HistoryActionMixin, ScopedModelViewSet):
    """The region tree: provinces, cities, districts, streets and towns, communities and grids."""

    queryset = region_list()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    search_fields = ["name", "code"]
    ordering_fields = ["path", "code", "name", "level", "depth"]
    ordering = ["path"]
    anonymous_read = True

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "root", OpenApiTypes.STR, description=_("Code of the region to start from.")
            ),
            OpenApiParameter(
                "depth", OpenApiTypes.INT, description=_("Levels below the root (0–10).")
            ),
        ],
        responses={
            200: RegionTreeNodeSerializer(many=True),
            400: ValidationErrorResponseSerializer,
        },
        filters=False,
    )
    @action(detail=False, pagination_class=None, filterset_class=None)
    def tree(self, request):
        """The tree as nested nodes, from `root` (or the top) down `depth` levels."""
        params = TreeQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        visible = Region.objects.restrict(request.user)
        root = None
        if params.validated_data.get("root"):
            root = get_object_or_404(visible, code=params.validated_data["root"])
        return Response(
            region_tree(queryset=visible, root=root, max_depth=params.validated_data.get("depth"))
        )

    def _staff_only(self, request):
        if not request.user.is_district_staff:
            raise PermissionDenied()

    @step(
        input=RegionImportSerializer,
        output=RegionImportResultSerializer,
        status=201,
        detail=False,
        before=_staff_only,
        handler_errors=True,
        request={"multipart/form-data": RegionImportSerializer},
        url_path="import",
        parser_classes=[MultiPartParser],
        filterset_class=None,
    )
    def import_regions(self, request, file):
        """Create communities and grids from a filled template: all rows or none; each refused row is named."""
        try:
            result = regions_import(file, by=request.user)
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        if not result.ok:
            raise ValidationError(
                {"file": [f"{e.row}: {e.column}: {e.message}" for e in result.errors]}
            )
        return {"created": len(result.created), "rows": result.rows}
