"""/api/v1/notice-deliveries/: the notice delivery log, for district staff."""

from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from portal.core.masking import mask_phone

from ..filters import NoticeDeliveryFilterSet
from ..models import NoticeDelivery
from ..selectors import notice_delivery_list


class IsDistrictStaff(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_authenticated and request.user.is_district_staff)


class NoticeDeliverySerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True, allow_null=True)
    phone = serializers.SerializerMethodField(help_text="The recipient's mobile number, masked.")
    alliance_name = serializers.CharField(source="alliance.name", read_only=True, allow_null=True)

    class Meta:
        model = NoticeDelivery
        fields = [
            "id",
            "kind",
            "notice_key",
            "channel",
            "user",
            "username",
            "phone",
            "alliance",
            "alliance_name",
            "text",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "provider_message_id",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields

    def get_phone(self, delivery: NoticeDelivery) -> str:
        return mask_phone(delivery.user.phone) if delivery.user else ""


class NoticeDeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NoticeDeliverySerializer
    permission_classes = [IsDistrictStaff]
    filterset_class = NoticeDeliveryFilterSet
    search_fields: list[str] = []
    lookup_value_regex = r"\d+"
    ordering_fields = ["created_at", "sent_at"]

    def get_queryset(self):
        return notice_delivery_list()
