from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from alliances import actions
from alliances.filters import AllianceFilterSet, JoinRequestFilterSet, MembershipFilterSet
from alliances.models import JoinRequest
from alliances.selectors import (
    alliance_detail,
    alliance_list,
    alliance_tree,
    join_request_list,
    membership_list,
)
from portal.api.openapi import ValidationErrorResponseSerializer
from portal.api.viewsets import (
    HistoryActionMixin,
    ScopedModelViewSet,
    ScopedViewSetMixin,
    run_action,
)
from portal.core.mail import request_base_url

from .serializers import (
    AllianceDetailSerializer,
    AllianceEndSerializer,
    AllianceSerializer,
    AllianceTreeNodeSerializer,
    JoinRequestCreateSerializer,
    JoinRequestDeclineSerializer,
    JoinRequestSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    PublicAllianceSerializer,
)


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
        alliance = run_action(
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

    def can_change(self, user, obj) -> bool:
        if self.action == "leave":
            # A unit contact may end their own unit's membership, and no other change.
            return bool(user.is_unit_contact and user.unit_id and obj.unit_id == user.unit_id)
        return super().can_change(user, obj)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = run_action(
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
        membership = run_action(
            actions.membership_end,
            membership=membership,
            left_on=params.validated_data.get("left_on"),
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_200_OK)

    @extend_schema(
        request=None,
        responses={200: MembershipSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def leave(self, request, pk=None):
        """A unit contact ends their own unit's membership today (the lead unit cannot leave)."""
        membership = run_action(
            actions.membership_leave, membership=self.get_object(), by=request.user
        )
        return Response(MembershipSerializer(membership).data)


class JoinRequestViewSet(
    HistoryActionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Units ask to join alliances; the alliance's lead unit contacts or district staff accept or decline."""

    serializer_class = JoinRequestSerializer
    filterset_class = JoinRequestFilterSet
    # No text search here; without SearchFilter the schema offers no `search` parameter either.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "decided_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return join_request_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return JoinRequestCreateSerializer
        return JoinRequestSerializer

    def can_create(self, user) -> bool:
        return user.is_district_staff or bool(user.is_unit_contact and user.unit_id)

    def can_change(self, user, obj: JoinRequest) -> bool:
        if self.action == "withdraw":
            return obj.can_be_withdrawn_by(user)
        return super().can_change(user, obj)

    @extend_schema(
        request=JoinRequestCreateSerializer,
        responses={201: JoinRequestSerializer, 400: ValidationErrorResponseSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Ask to join an alliance: a unit contact for their own unit; district staff name the `unit`."""
        params = self.get_serializer(data=request.data)
        params.is_valid(raise_exception=True)
        join_request = run_action(
            actions.join_request_create,
            alliance=params.validated_data["alliance"],
            unit=params.validated_data["unit"],
            by=request.user,
            message=params.validated_data.get("message", ""),
            base_url=request_base_url(request),
        )
        return Response(self._out(join_request), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: JoinRequestSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        """Accept the pending request: the unit becomes a member (role `member`)."""
        join_request = run_action(
            actions.join_request_accept,
            request=self.get_object(),
            by=request.user,
            base_url=request_base_url(request),
        )
        return Response(self._out(join_request))

    @extend_schema(
        request=JoinRequestDeclineSerializer,
        responses={200: JoinRequestSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decline(self, request, pk=None):
        """Decline the pending request with a `reason`, mailed to the unit's contacts."""
        join_request = self.get_object()
        params = JoinRequestDeclineSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        join_request = run_action(
            actions.join_request_decline,
            request=join_request,
            by=request.user,
            reason=params.validated_data["reason"],
            base_url=request_base_url(request),
        )
        return Response(self._out(join_request))

    @extend_schema(
        request=None,
        responses={200: JoinRequestSerializer, 400: ValidationErrorResponseSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request, pk=None):
        """The unit that asked takes its pending request back."""
        join_request = run_action(
            actions.join_request_withdraw, request=self.get_object(), by=request.user
        )
        return Response(self._out(join_request))

    def _out(self, join_request: JoinRequest) -> dict:
        return JoinRequestSerializer(
            join_request_list(user=self.request.user).get(pk=join_request.pk)
        ).data
