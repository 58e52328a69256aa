"""API of unit changes: staff read and decide what contacts propose."""

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from members.actions.unit_changes import (
    unit_change_approve,
    unit_change_reject,
)
from members.filters import UnitChangeFilterSet
from members.models import UnitChange
from members.selectors import unit_change_list
from portal.api.steps import step
from portal.api.viewsets import ScopedViewSetMixin


class UnitChangeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = UnitChange
        fields = [
            "id",
            "unit",
            "unit_name",
            "name",
            "credit_code",
            "unit_type",
            "status",
            "requested_by",
            "created_at",
            "decided_by",
            "decided_at",
            "reject_reason",
        ]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Mailed to the unit's contacts."))


class UnitChangeViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Changes of name, credit code or unit type that unit contacts asked for.

    District staff see and decide all; a unit contact sees those of their unit."""

    serializer_class = UnitChangeSerializer
    filterset_class = UnitChangeFilterSet
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return unit_change_list(user=self.request.user)

    def get_object(self):
        # Deciding is for district staff, whether or not the change is theirs to see.
        if self.action in {"approve", "reject"} and not self.request.user.is_district_staff:
            raise PermissionDenied(_("Only district staff decide profile changes."))
        return super().get_object()

    def get_output_queryset(self):
        return self.get_queryset()

    @step(output=UnitChangeSerializer, handler_errors=True)
    def approve(self, request, change):
        """Apply the change to the unit; its contacts are told by e-mail."""
        return unit_change_approve(change=change, by=request.user)

    @step(input=ReasonSerializer, output=UnitChangeSerializer, handler_errors=True)
    def reject(self, request, change, reason):
        """Refuse the change with a reason, which the unit's contacts receive by e-mail."""
        return unit_change_reject(change=change, by=request.user, reason=reason)
