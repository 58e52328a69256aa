from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("user name"), write_only=True)
    password = serializers.CharField(
        label=_("password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )
    token = serializers.CharField(label=_("token"), read_only=True)

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

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ObtainTokenView(ObtainAuthToken):
    """Exchange a user name and password for the user's API token (`Authorization: Token <key>`)."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [TokenRateThrottle]

    def throttled(self, request, wait):
        raise Throttled(
            wait, detail=str(_("Too many token requests from your address; try again later."))
        )

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
