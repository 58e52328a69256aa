from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.viewsets import HistoryActionMixin, ScopedModelViewSet
from portal.regions.filters import RegionFilterSet
from portal.regions.models import Region
from portal.regions.selectors import region_list, region_tree

from .serializers import RegionSerializer, RegionTreeNodeSerializer


class TreeQuerySerializer(serializers.Serializer):
    root = serializers.CharField(required=False, help_text=_("Code of the region to start from."))
    depth = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text=_("Levels below the root.")
    )


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
