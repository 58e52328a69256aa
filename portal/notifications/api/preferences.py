"""/api/v1/notice-preferences/: the signed-in user's channels per kind of notice, their mobile
number (shown masked) and WeCom user id."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.core.masking import mask_phone

from ..choices import NoticeKind
from ..notices import CHOOSABLE, notice_preferences, notice_preferences_set


class ChannelsByKindSerializer(serializers.Serializer):
    """One list of channels per kind of notice."""

    def get_fields(self):
        return {
            kind.value: serializers.MultipleChoiceField(
                choices=list(CHOOSABLE), required=False, help_text=str(kind.label)
            )
            for kind in NoticeKind
        }


class NoticePreferencesSerializer(serializers.Serializer):
    phone = serializers.CharField(
        required=False, allow_blank=True, help_text="A mainland mobile number; answered masked."
    )
    wecom_userid = serializers.CharField(required=False, allow_blank=True, max_length=64)
    preferences = ChannelsByKindSerializer(
        required=False, allow_null=True, help_text="Channels per kind of notice (sms, wecom)."
    )


def _answer(user) -> dict:
    return {
        "phone": mask_phone(user.phone),
        "wecom_userid": user.wecom_userid,
        "preferences": notice_preferences(user),
    }


class NoticePreferencesView(generics.GenericAPIView):
    serializer_class = NoticePreferencesSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        """The signed-in user's own preferences (what OPTIONS asks about for PUT)."""
        return self.request.user

    @extend_schema(responses=NoticePreferencesSerializer)
    def get(self, request):
        """Your channels per kind of notice (your choice, else your role's default)."""
        return Response(_answer(request.user))

    @extend_schema(responses=NoticePreferencesSerializer)
    def put(self, request):
        """Change your channels (the kinds given), mobile number or WeCom user id."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            notice_preferences_set(
                user=request.user,
                # A set in the request: kept in the order of CHOOSABLE.
                preferences={
                    kind: [c for c in CHOOSABLE if c in chosen]
                    for kind, chosen in (data.get("preferences") or {}).items()
                },
                phone=data.get("phone"),
                wecom_userid=data.get("wecom_userid"),
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return Response(_answer(request.user))
