"""API of alliances: the public directory, the network's alliances, their tree."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances.actions.alliances import alliance_end, alliance_parent_check
from alliances.actions.meetings import MAX_REMINDER_OFFSET, calendar_feed_for
from alliances.filters import AllianceFilterSet
from alliances.models import Alliance
from alliances.selectors.alliances import (
    alliance_detail,
    alliance_list,
    alliance_tree,
)
from alliances.selectors.meetings import can_schedule
from portal.api.steps import step
from portal.api.viewsets import ExportMixin, HistoryActionMixin, ScopedModelViewSet
from portal.core.mail import absolute_url, request_base_url
from portal.core.masking import mask_secret
from portal.regions.models import Region


class AllianceRegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level"]


class PublicAllianceSerializer(serializers.ModelSerializer):
    """What the public directory shows: no people, no contact details."""

    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "lead_unit_name",
            "industry",
            "status",
            "description",
            "member_count",
        ]


class AllianceSerializer(serializers.ModelSerializer):
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, allow_null=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    regions = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), many=True, required=False
    )
    mechanisms = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30
    )
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_REMINDER_OFFSET),
        required=False,
        max_length=10,
        help_text=_(
            "Meeting reminders, in minutes before the start: [4320, 120] is 3 days and 2 hours."
        ),
    )

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "parent_name",
            "lead_unit",
            "lead_unit_name",
            "regions",
            "industry",
            "founded_on",
            "ended_on",
            "status",
            "meeting_cadence",
            "description",
            "mechanisms",
            "reminder_offsets",
            "member_count",
            "wecom_robot_key",
            "wecom_robot",
        ]
        read_only_fields = ["ended_on", "status"]
        extra_kwargs = {
            "parent": {
                "error_messages": {"invalid": _("This parent alliance is not allowed here.")}
            }
        }

    wecom_robot_key = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The group robot's webhook key (write only; empty removes it)."),
    )
    wecom_robot = serializers.SerializerMethodField(
        help_text=_("The group robot's key, masked, for district staff; null for everyone else.")
    )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_wecom_robot(self, alliance: Alliance) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.is_district_staff:
            return None
        return mask_secret(alliance.wecom_robot_key)

    def validate_reminder_offsets(self, value):
        return sorted(set(value), reverse=True)

    def validate(self, attrs):
        if self.instance is not None and "parent" in attrs:
            alliance_parent_check(alliance=self.instance, parent=attrs["parent"])
        return attrs


class AllianceDetailSerializer(AllianceSerializer):
    region_details = AllianceRegionSerializer(source="regions", many=True, read_only=True)
    calendar_url = serializers.SerializerMethodField(
        help_text=_(
            "The alliance's meeting feed (iCalendar, a secret address that opens without signing "
            "in), for those who schedule its meetings; null for everyone else."
        )
    )

    class Meta(AllianceSerializer.Meta):
        fields = [*AllianceSerializer.Meta.fields, "region_details", "calendar_url"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_calendar_url(self, alliance: Alliance) -> str | None:
        request = self.context.get("request")
        if request is None or not can_schedule(request.user, alliance):
            return None
        feed = calendar_feed_for(alliance=alliance)
        return absolute_url(feed.get_absolute_url(), request_base_url(request))


class AllianceEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, help_text=_("Defaults to today."))


class AllianceTreeNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    lead_unit = serializers.CharField(allow_null=True)
    member_count = serializers.IntegerField()
    members = serializers.ListField(
        child=serializers.DictField(), help_text=_("Current member units: id, name, role.")
    )
    children = serializers.ListField(
        child=serializers.DictField(), help_text=_("Nested alliances of the same shape.")
    )


class AllianceViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """The alliance directory: public to read (without people); district staff create, edit and end."""

    filterset_class = AllianceFilterSet
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "founded_on", "member_count", "kind"]
    ordering = ["name"]
    anonymous_read = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "retrieve":
            return alliance_detail(user=self.request.user)
        return alliance_list(user=self.request.user)

    def get_serializer_class(self):
        if not self.request.user.is_authenticated:
            return PublicAllianceSerializer
        if self.action == "retrieve":
            return AllianceDetailSerializer
        return AllianceSerializer

    @extend_schema(responses=AllianceTreeNodeSerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def tree(self, request, pk=None):
        """This alliance with the alliances nested inside it and the current member units of each."""
        alliance = self.get_object()
        with_members = request.user.is_authenticated
        return Response(alliance_tree(user=request.user, root=alliance, with_members=with_members))

    def get_output_queryset(self):
        return alliance_list(user=self.request.user)

    @step(input=AllianceEndSerializer, output=AllianceSerializer)
    def end(self, request, alliance, ended_on=None):
        """Dissolve the alliance: its current memberships end on `ended_on` (today by default)."""
        return alliance_end(alliance=alliance, ended_on=ended_on)
