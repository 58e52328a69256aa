from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.actions import alliance_parent_check
from alliances.meeting_actions import MAX_REMINDER_OFFSET
from alliances.models import Alliance, JoinRequest, Membership
from members.models import MemberUnit
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
        ]
        read_only_fields = ["ended_on", "status"]
        extra_kwargs = {
            "parent": {
                "error_messages": {"invalid": _("This parent alliance is not allowed here.")}
            }
        }

    def validate_reminder_offsets(self, value):
        return sorted(set(value), reverse=True)

    def validate(self, attrs):
        if self.instance is not None and "parent" in attrs:
            alliance_parent_check(alliance=self.instance, parent=attrs["parent"])
        return attrs


class AllianceDetailSerializer(AllianceSerializer):
    region_details = AllianceRegionSerializer(source="regions", many=True, read_only=True)

    class Meta(AllianceSerializer.Meta):
        fields = [*AllianceSerializer.Meta.fields, "region_details"]


class AllianceEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, help_text=_("Defaults to today."))


class MembershipSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "unit",
            "unit_name",
            "role",
            "joined_on",
            "left_on",
            "representative",
            "note",
        ]
        read_only_fields = ["left_on"]
        extra_kwargs = {
            "alliance": {"error_messages": {"invalid": _("This alliance takes no new members.")}},
            "unit": {"error_messages": {"invalid": _("This unit cannot join.")}},
        }


class MembershipUpdateSerializer(MembershipSerializer):
    class Meta(MembershipSerializer.Meta):
        read_only_fields = ["alliance", "unit", "left_on"]


class MembershipEndSerializer(serializers.Serializer):
    left_on = serializers.DateField(required=False, help_text=_("Defaults to today."))


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


class JoinRequestSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requested_by_name = serializers.CharField(
        source="requested_by", read_only=True, allow_null=True
    )
    decided_by_name = serializers.CharField(source="decided_by", read_only=True, allow_null=True)

    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "unit",
            "unit_name",
            "status",
            "message",
            "source",
            "requested_by",
            "requested_by_name",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decline_reason",
            "membership",
            "created_at",
        ]
        read_only_fields = fields


class JoinRequestCreateSerializer(serializers.Serializer):
    alliance = serializers.PrimaryKeyRelatedField(
        queryset=Alliance.objects.all(), help_text=_("The alliance to join.")
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        required=False,
        help_text=_(
            "District staff only: the unit that asks. A unit contact always asks for their own unit."
        ),
    )
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        user = self.context["request"].user
        unit = attrs.get("unit")
        if user.is_district_staff:
            if unit is None:
                raise serializers.ValidationError(
                    {"unit": _("Name the unit that asks to join.")}, code="required"
                )
        elif unit is not None and unit.pk != user.unit_id:
            raise serializers.ValidationError(
                {"unit": _("You can only ask for your own unit.")}, code="invalid"
            )
        else:
            attrs["unit"] = user.unit
        return attrs


class JoinRequestDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Mailed to the contacts of the unit that asked.")
    )
