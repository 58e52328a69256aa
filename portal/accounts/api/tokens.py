"""/api/v1/auth/tokens/: the signed-in user's own API tokens — list, create, revoke."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api.viewsets import run_action

from ..actions import api_token_create, api_token_revoke
from ..models import ApiToken, ApiTokenStatus
from ..selectors import user_api_tokens


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never its key, which only its digest keeps."""

    status = serializers.ChoiceField(choices=ApiTokenStatus.choices, read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "read_only",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "status",
        ]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at", "status"]
        # A name is what tells one's tokens apart when one of them is to be revoked.
        extra_kwargs = {"name": {"required": True, "allow_blank": False}}


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """A token just created, with its key: the only answer that ever holds it."""

    token = serializers.SerializerMethodField(
        help_text=_("The key, for `Authorization: Token <key>`; it is shown this once only.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields

    def get_token(self, obj) -> str:
        return self.context["key"]


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your API tokens. Each user sees only their own, district staff included (the admin shows all)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = None
    search_fields: list[str] = []
    ordering_fields = ["created_at", "last_used_at"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return user_api_tokens(self.request.user)

    @extend_schema(responses={201: ApiTokenCreatedSerializer})
    def create(self, request, *args, **kwargs):
        """Create a token; the answer holds its key, once — keep it now."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = run_action(api_token_create, user=request.user, **serializer.validated_data)
        return Response(
            ApiTokenCreatedSerializer(token, context={"key": key}).data,
            status=status.HTTP_201_CREATED,
        )

    def destroy(self, request, *args, **kwargs):
        """Revoke one of your tokens: it is refused from then on, and stays listed as revoked."""
        api_token_revoke(user=request.user, token_id=kwargs["pk"])
        return Response(status=status.HTTP_204_NO_CONTENT)
