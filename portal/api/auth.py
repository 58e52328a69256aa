"""Getting an API token with a user name and password; the tokens themselves are checked in
`portal.api.authentication` (a module of its own: DRF imports it while it defines its views)."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from portal.accounts.actions import api_token_create
from portal.accounts.api.tokens import ApiTokenCreatedSerializer
from portal.accounts.models import ApiToken
from portal.api.authentication import ApiTokenAuthentication
from portal.core.ratelimit import client_ip

__all__ = ["ApiTokenAuthentication", "ObtainTokenView", "TokenRateThrottle"]


class TokenRequestSerializer(serializers.Serializer):
    # As long as a user name can be (django-axes records the name of a failed attempt in 255 characters).
    username = serializers.CharField(label=_("user name"), write_only=True, max_length=150)
    password = serializers.CharField(
        label=_("password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )
    name = serializers.CharField(
        label=_("name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What the token is for, e.g. the dashboard screen."),
    )
    read_only = serializers.BooleanField(
        label=_("read-only"),
        required=False,
        default=False,
        help_text=_("Refuses POST, PUT, PATCH and DELETE."),
    )

    def validate(self, attrs):
        request = self.context.get("request")
        user = authenticate(
            # Django's own request: django-axes marks a lockout on it for its middleware to see.
            request=getattr(request, "_request", request),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            # A deactivated user fails here too: ModelBackend refuses inactive users.
            raise serializers.ValidationError(
                _("Unable to log in with the user name and password given."), code="invalid"
            )
        attrs["user"] = user
        return attrs


class TokenRateThrottle(SimpleRateThrottle):
    """TOKEN_RATE_LIMIT token requests per client address (e.g. "20/m")."""

    scope = "token"

    def get_rate(self):
        return settings.TOKEN_RATE_LIMIT

    def allow_request(self, request, view):
        self.rate = self.get_rate()  # read per request, so that a changed setting applies at once
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        """The client's address as the rate limits and django-axes read it (TRUSTED_PROXY_COUNT)."""
        return client_ip(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ObtainTokenView(GenericAPIView):
    """Exchange a user name and password for a NEW API token (`Authorization: Token <key>`).

    Each call issues another token; its key is in the answer once and never again. List and revoke
    your tokens at /api/v1/auth/tokens/.
    """

    serializer_class = TokenRequestSerializer
    throttle_classes = [TokenRateThrottle]
    # The user name and password are the credentials: a token or session sent along is not read.
    authentication_classes: list = []
    permission_classes: list = []
    pagination_class = None
    filter_backends: list = []

    def throttled(self, request, wait):
        raise Throttled(
            wait, detail=str(_("Too many token requests from your address; try again later."))
        )

    @extend_schema(request=TokenRequestSerializer, responses={200: ApiTokenCreatedSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token, key = api_token_create(
            user=data["user"], name=data["name"], read_only=data["read_only"]
        )
        return Response(ApiTokenCreatedSerializer(token, context={"key": key}).data)
