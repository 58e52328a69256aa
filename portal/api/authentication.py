"""How the API knows a program: `Authorization: Token <key>` with one of the portal's API tokens."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from portal.accounts.actions import api_token_mark_used
from portal.accounts.selectors import api_token_for_key


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with one of the portal's tokens.

    A revoked or expired token is refused (401). A read-only token is refused for any method that
    writes (403) here, in the authentication, so that every view gets the rule whatever its
    permission classes.
    """

    keyword = "Token"

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[1].read_only and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                _("This API token is read-only: it can read, but not create, change or delete.")
            )
        return result

    def authenticate_credentials(self, key: str) -> tuple:
        token = api_token_for_key(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(
                _("This API token has been revoked; create a new one under “API tokens”.")
            )
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise AuthenticationFailed(
                _("This API token expired on %(date)s; create a new one under “API tokens”.")
                % {"date": formats.date_format(timezone.localtime(token.expires_at), "Y-m-d H:i")}
            )
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        api_token_mark_used(token=token)
        return token.user, token
