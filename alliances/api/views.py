from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliances import actions
from alliances.filters import AllianceFilterSet, MembershipFilterSet
from alliances.selectors import alliance_detail, alliance_list, alliance_tree, membership_list
from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.viewsets import HistoryActionMixin, ScopedModelViewSet

from .serializers import (
    AllianceDetailSerializer,
    AllianceEndSerializer,
    AllianceSerializer,
    AllianceTreeNodeSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    PublicAllianceSerializer,
)


def _run(action, **kwargs):
    """Call an action and turn its model-level refusal into the API's 400."""
    try:
        return action(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc


class AllianceViewSet(HistoryActionMixin, ScopedModelViewSet):
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
    @action(detail=True, pagination_class=None, filterset_class=None)
    def tree(self, request, pk=None):
        """This alliance with the alliances nested inside it and the current member units of each."""
        alliance = self.get_object()
        with_members = request.user.is_authenticated
        return Response(alliance_tree(user=request.user, root=alliance, with_members=with_members))

    @extend_schema(
        request=AllianceEndSerializer,
        responses={200: AllianceSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def end(self, request, pk=None):
        """Dissolve the alliance: its current memberships end on `ended_on` (today by default)."""
        alliance = self.get_object()
        params = AllianceEndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        alliance = _run(
            actions.alliance_end, alliance=alliance, ended_on=params.validated_data.get("ended_on")
        )
        return Response(
            AllianceSerializer(alliance_list(user=request.user).get(pk=alliance.pk)).data
        )


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

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _run(
            actions.membership_add,
            alliance=data["alliance"],
            unit=data["unit"],
            role=data.get("role", "member"),
            joined_on=data.get("joined_on"),
            representative=data.get("representative", ""),
            note=data.get("note", ""),
        )

    @extend_schema(
        request=MembershipEndSerializer,
        responses={200: MembershipSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def end(self, request, pk=None):
        """End the membership on `left_on` (today by default)."""
        membership = self.get_object()
        params = MembershipEndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        membership = _run(
            actions.membership_end,
            membership=membership,
            left_on=params.validated_data.get("left_on"),
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_200_OK)
