"""/api/v1/activities/ with photo upload (multipart) and the totals of a filtered list."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from alliances.models import Alliance
from members.models import MemberUnit
from portal.api.fields import LINK_HELP, RelatedNameField
from portal.api.steps import step, write_schema
from portal.api.viewsets import ExportMixin, HistoryActionMixin, ScopedModelViewSet, run_action
from portal.regions.models import Region

from ..actions.activities import (
    activity_create,
    activity_photo_remove,
    activity_photos_add,
    activity_update,
    can_record_activities,
)
from ..choices import MAX_PHOTOS
from ..filters.activities import ActivityFilterSet
from ..models import Activity, ActivityPhoto, JointProject, ServiceStation
from ..selectors.activities import (
    activity_api_list,
    activity_detail,
    activity_list,
    activity_totals,
)


class ActivityPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=LINK_HELP)

    class Meta:
        model = ActivityPhoto
        fields = ["id", "url", "position", "created_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo: ActivityPhoto) -> str:
        url = photo.image.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ActivitySerializer(serializers.ModelSerializer):
    """An activity as lists show it; the same fields (less the read-only ones) are written."""

    station = serializers.PrimaryKeyRelatedField(
        queryset=ServiceStation.objects.all(), required=False, allow_null=True
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        required=False,
        help_text=_("Defaults to the station's region."),
    )
    alliance = serializers.PrimaryKeyRelatedField(
        queryset=Alliance.objects.all(), required=False, allow_null=True
    )
    organizer = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), required=False, allow_null=True
    )
    project = serializers.PrimaryKeyRelatedField(
        queryset=JointProject.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A joint project (claimed, in progress or completed) the activity belongs to."),
    )
    station_name = RelatedNameField("station")
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    alliance_name = RelatedNameField("alliance")
    organizer_name = RelatedNameField("organizer")
    recorded_by = serializers.CharField(source="recorded_by.__str__", read_only=True)
    photo_count = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "activity_type",
            "held_on",
            "station",
            "station_name",
            "place",
            "region",
            "region_code",
            "region_name",
            "alliance",
            "alliance_name",
            "organizer",
            "organizer_name",
            "project",
            "participant_count",
            "party_member_count",
            "description",
            "photo_count",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_photo_count(self, activity: Activity) -> int:
        count = getattr(activity, "photo_count", None)
        return count if count is not None else len(activity.photos.all())


class ActivityDetailSerializer(ActivitySerializer):
    photos = ActivityPhotoSerializer(many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "photos"]


def _photo_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        max_length=MAX_PHOTOS,
        help_text=_("Images (JPEG, PNG, GIF or WebP), each as a repeated `photos` file field."),
        **kwargs,
    )


class ActivityUploadSerializer(ActivitySerializer):
    """The fields of an activity sent as multipart/form-data, with its photos."""

    photos = _photo_list(required=False, write_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "photos"]


class ActivityPhotosAddSerializer(serializers.Serializer):
    photos = _photo_list(min_length=1)


class ActivityTotalsSerializer(serializers.Serializer):
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    party_members = serializers.IntegerField()


WRITE_REQUEST = {
    "application/json": ActivitySerializer,
    "multipart/form-data": ActivityUploadSerializer,
}


class ActivityViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """The activity log. Activities are corrected, never deleted; their photos are added and removed."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    parser_classes = [JSONParser, MultiPartParser]
    search_fields = ["title"]
    ordering_fields = ["held_on", "participant_count", "party_member_count", "created_at", "title"]
    ordering = ["-held_on", "-id"]
    # No DELETE of an activity: it is corrected, and the reports count it.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return activity_api_list(user=self.request.user)
        if self.action in {"totals", "export"}:
            return activity_list(user=self.request.user)
        return activity_detail(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ActivitySerializer
        if self.action in {"create", "update", "partial_update"}:
            return ActivityUploadSerializer
        return ActivityDetailSerializer

    def can_create(self, user) -> bool:
        return can_record_activities(user)

    def get_output_queryset(self):
        return activity_detail(user=self.request.user)

    @write_schema(ActivityDetailSerializer, status=201, request=WRITE_REQUEST)
    def create(self, request, *args, **kwargs):
        """Log an activity; with multipart/form-data, attach up to 9 `photos`."""
        params = ActivityUploadSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        photos = data.pop("photos", [])
        activity = run_action(activity_create, by=request.user, data=data, photos=photos)
        return self.respond(activity, ActivityDetailSerializer, status=status.HTTP_201_CREATED)

    @write_schema(ActivityDetailSerializer, request=WRITE_REQUEST)
    def update(self, request, *args, **kwargs):
        """Correct an activity; `photos` sent with multipart/form-data are added to it."""
        partial = kwargs.pop("partial", False)
        activity = self.get_object()
        params = ActivityUploadSerializer(
            activity, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        photos = data.pop("photos", [])
        activity = run_action(
            activity_update, activity=activity, by=request.user, data=data, add_photos=photos
        )
        return self.respond(activity, ActivityDetailSerializer)

    @write_schema(ActivityDetailSerializer, request=WRITE_REQUEST)
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @step(
        input=ActivityPhotosAddSerializer,
        output=ActivityDetailSerializer,
        status=201,
        request={"multipart/form-data": ActivityPhotosAddSerializer},
        url_path="photos",
        parser_classes=[MultiPartParser],
    )
    def add_photos(self, request, activity, photos):
        """Add photos (repeated `photos` file fields); an activity keeps at most 9."""
        return activity_photos_add(activity=activity, by=request.user, photos=photos)

    @extend_schema(
        request=None,
        responses={204: None},
        parameters=[OpenApiParameter("photo_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        filters=False,
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"photos/(?P<photo_id>[0-9]+)",
        http_method_names=["delete", "options"],
    )
    def remove_photo(self, request, pk=None, photo_id=None):
        """Remove one photo of the activity."""
        activity = self.get_object()
        if not activity.photos.filter(pk=photo_id).exists():
            raise NotFound(_("This activity has no such photo."))
        run_action(
            activity_photo_remove, activity=activity, by=request.user, photo_id=int(photo_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=ActivityTotalsSerializer)
    @action(detail=False, pagination_class=None)
    def totals(self, request):
        """Activities, participants and party members of the filtered list (same parameters as the list)."""
        queryset = self.filter_queryset(self.get_queryset())
        return Response(ActivityTotalsSerializer(activity_totals(queryset)).data)
