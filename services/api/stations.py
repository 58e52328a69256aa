"""/api/v1/stations/ and /api/v1/service-categories/."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from members.models import MemberUnit
from portal.api.steps import step
from portal.api.viewsets import ExportMixin, HistoryActionMixin, ScopedModelViewSet, run_action
from portal.regions.models import Region
from services.actions import stations as actions
from services.filters.stations import ServiceCategoryFilterSet, StationFilterSet
from services.models import ServiceCategory, ServiceStation
from services.selectors.stations import MAP_POINTS_MAX, station_list

SIX_PLACES = Decimal("0.000001")


class ServiceCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["id", "code", "name", "position", "is_active"]
        extra_kwargs = {
            "code": {"help_text": _("Letters, digits and hyphens, with at least one letter.")}
        }

    def validate_code(self, value: str) -> str:
        if value.isdigit():
            raise serializers.ValidationError(
                _("A code needs at least one letter (digits alone are ids)."), code="invalid"
            )
        return value


class ServiceReferenceField(serializers.SlugRelatedField):
    """A service of the catalogue by its code (`legal-aid`) or its id; answered as the code."""

    default_error_messages = {
        "does_not_exist": _("Unknown service: {value}."),
        "invalid": _("Give a service code or id."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        text = str(data).strip()
        if text.isascii() and text.isdigit() and len(text) < 19:
            try:
                return self.get_queryset().get(pk=int(text))
            except ServiceCategory.DoesNotExist:
                self.fail("does_not_exist", slug_name="id", value=text)
        try:
            return self.get_queryset().get(code=text)
        except ServiceCategory.DoesNotExist:
            self.fail("does_not_exist", slug_name="code", value=text)


class StationSerializer(serializers.ModelSerializer):
    operator = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), allow_null=True, required=False
    )
    operator_name = serializers.CharField(source="operator.name", read_only=True, allow_null=True)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(is_active=True),
        help_text=_("Region id; a street secretary may only choose one inside their own region."),
    )
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    latitude = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        coerce_to_string=False,
        allow_null=True,
        required=False,
        # Bounds before validate() rounds: 1e30 would make quantize() raise (issue 23.3).
        min_value=Decimal(-90),
        max_value=Decimal(90),
        help_text=_("WGS-84 degrees, 3–54 (inside China); give both coordinates or neither."),
    )
    longitude = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        coerce_to_string=False,
        allow_null=True,
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        help_text=_("WGS-84 degrees, 73–136 (inside China); give both coordinates or neither."),
    )
    services = ServiceReferenceField(
        many=True,
        required=False,
        queryset=ServiceCategory.objects.all(),
        help_text=_("Codes of the catalogue's services (ids are accepted too); answered as codes."),
    )
    service_names = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=_("The station's page."))

    class Meta:
        model = ServiceStation
        fields = [
            "id",
            "name",
            "kind",
            "operator",
            "operator_name",
            "region",
            "region_code",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "services",
            "service_names",
            "phone",
            "description",
            "is_public",
            "is_open",
            "closed_on",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_open", "closed_on", "created_at", "updated_at"]

    def get_service_names(self, station: ServiceStation) -> list[str]:
        return [s.name for s in station.services.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, station: ServiceStation) -> str:
        request = self.context.get("request")
        path = station.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def validate(self, attrs):
        for name in ("latitude", "longitude"):
            if attrs.get(name) is not None:
                attrs[name] = attrs[name].quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
        current = self.instance
        latitude = attrs.get("latitude", current.latitude if current else None)
        longitude = attrs.get("longitude", current.longitude if current else None)
        errors: dict = {}
        checks = [
            lambda: actions.coordinates_check(latitude, longitude),
            lambda: actions.station_region_check(
                user=self.context["request"].user, region=attrs.get("region")
            ),
        ]
        if "services" in attrs:
            checks.append(
                lambda: actions.services_check(services=attrs["services"], station=current)
            )
        for check in checks:
            try:
                check()
            except DjangoValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class StationCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, help_text=_("Defaults to today."))


class GeometrySerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Point")
    coordinates = serializers.ListField(
        child=serializers.FloatField(), help_text=_("[longitude, latitude], WGS-84.")
    )


class FeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Feature")
    id = serializers.IntegerField()
    geometry = GeometrySerializer()
    properties = serializers.DictField(
        help_text=_(
            "name, kind, address, opening_hours, services (codes), phone, is_public, is_open, url."
        )
    )


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="FeatureCollection")
    features = FeatureSerializer(many=True)


class ServiceStationViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """Service stations. Anyone reads the public, open ones; district staff and street secretaries (in
    their region) create and edit them. A station is never deleted: close it and it keeps its records."""

    serializer_class = StationSerializer
    filterset_class = StationFilterSet
    search_fields = ["name", "address"]
    ordering_fields = ["name", "kind", "created_at", "updated_at"]
    ordering = ["name", "id"]
    anonymous_read = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return station_list(user=self.request.user)

    def can_create(self, user) -> bool:
        return actions.can_manage_stations(user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        services = data.pop("services", [])
        serializer.instance = run_action(
            actions.station_create, by=self.request.user, services=services, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        services = data.pop("services", None)
        serializer.instance = run_action(
            actions.station_update,
            station=serializer.instance,
            by=self.request.user,
            services=services,
            **data,
        )

    def get_output_queryset(self):
        return station_list(user=self.request.user)

    @step(input=StationCloseSerializer, output=StationSerializer)
    def close(self, request, station, closed_on=None):
        """Close the station on `closed_on` (today by default): it leaves the public map, its records stay."""
        return actions.station_close(station=station, by=request.user, closed_on=closed_on)

    @step(output=StationSerializer)
    def reopen(self, request, station):
        """Open a closed station again."""
        return actions.station_reopen(station=station, by=request.user)

    @extend_schema(responses=FeatureCollectionSerializer)
    @action(detail=False, pagination_class=None)
    def geojson(self, request):
        """The filtered list (same parameters as the list, not paginated) as a GeoJSON FeatureCollection
        of the stations with coordinates, for GIS tools."""
        queryset = self.filter_queryset(self.get_queryset()).filter(
            latitude__isnull=False, longitude__isnull=False
        )[:MAP_POINTS_MAX]
        features = [
            {
                "type": "Feature",
                "id": station.pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(station.longitude), float(station.latitude)],
                },
                "properties": {
                    "name": station.name,
                    "kind": station.kind,
                    "address": station.address,
                    "opening_hours": station.opening_hours,
                    "services": [s.code for s in station.services.all()],
                    "phone": station.phone,
                    "is_public": station.is_public,
                    "is_open": station.is_open,
                    "url": request.build_absolute_uri(station.get_absolute_url()),
                },
            }
            for station in queryset
        ]
        return Response({"type": "FeatureCollection", "features": features})


class ServiceCategoryViewSet(HistoryActionMixin, ScopedModelViewSet):
    """The catalogue of services stations offer. Anyone reads it; district staff add, edit and
    deactivate (`is_active: false`) services. A service is never deleted."""

    queryset = ServiceCategory.objects.all()
    serializer_class = ServiceCategorySerializer
    filterset_class = ServiceCategoryFilterSet
    search_fields = ["name", "code"]
    ordering_fields = ["position", "name", "code"]
    ordering = ["position", "name"]
    anonymous_read = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
