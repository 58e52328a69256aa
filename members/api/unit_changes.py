"""API of unit changes: staff read and decide what contacts propose."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from members.actions.unit_changes import (
    unit_change_approve,
    unit_change_reject,
)
from members.filters import UnitChangeFilterSet
from members.models import UnitChange
from members.selectors import unit_change_list
from portal.api.openapi import ValidationErrorResponseSerializer
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

    def _decide(self, request):
        if not request.user.is_district_staff:
            raise PermissionDenied(_("Only district staff decide profile changes."))
        return self.get_object()

    @extend_schema(
        request=None,
        responses={200: UnitChangeSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """Apply the change to the unit; its contacts are told by e-mail."""
        change = unit_change_approve(change=self._decide(request), by=request.user)
        return Response(UnitChangeSerializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(
        request=ReasonSerializer,
        responses={200: UnitChangeSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        """Refuse the change with a reason, which the unit's contacts receive by e-mail."""
        change = self._decide(request)
        params = ReasonSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        change = unit_change_reject(
            change=change, by=request.user, reason=params.validated_data["reason"]
        )
        return Response(UnitChangeSerializer(self.get_queryset().get(pk=change.pk)).data)
