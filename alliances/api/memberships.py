"""API of memberships: units in alliances, joining and leaving."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.actions.memberships import membership_add, membership_end, membership_leave
from alliances.filters import MembershipFilterSet
from alliances.models import Membership
from alliances.selectors.memberships import membership_list
from portal.api.steps import step
from portal.api.viewsets import (
    HistoryActionMixin,
    ScopedModelViewSet,
    run_action,
)


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


class MembershipViewSet(HistoryActionMixin, ScopedModelViewSet):
    """Units in alliances. A membership is never deleted: end it and the row keeps its dates."""

    filterset_class = MembershipFilterSet
    ordering_fields = ["joined_on", "left_on", "role"]
    ordering = ["-joined_on", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return membership_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action in {"update", "partial_update"}:
            return MembershipUpdateSerializer
        return MembershipSerializer

    def can_change(self, user, obj) -> bool:
        if self.action == "leave":
            # A unit contact may end their own unit's membership, and no other change.
            return bool(user.is_unit_contact and user.unit_id and obj.unit_id == user.unit_id)
        return super().can_change(user, obj)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = run_action(
            membership_add,
            alliance=data["alliance"],
            unit=data["unit"],
            role=data.get("role", "member"),
            joined_on=data.get("joined_on"),
            representative=data.get("representative", ""),
            note=data.get("note", ""),
        )

    @step(input=MembershipEndSerializer, output=MembershipSerializer)
    def end(self, request, membership, left_on=None):
        """End the membership on `left_on` (today by default)."""
        return membership_end(membership=membership, left_on=left_on)

    @step(output=MembershipSerializer)
    def leave(self, request, membership):
        """A unit contact ends their own unit's membership today (the lead unit cannot leave)."""
        return membership_leave(membership=membership, by=request.user)
