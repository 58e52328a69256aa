"""Signing in the way a person does: through the login form (django-axes sees every attempt); and
API keys for test clients."""

from django.conf import settings
from django.utils import timezone

from portal.accounts.actions import api_token_create
from portal.accounts.models import ApiToken


def sign_in(client, username: str, password: str, **extra) -> bool:
    """Post the login form; True when the client is now signed in."""
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, **extra
    )
    return response.status_code == 302 and settings.SESSION_COOKIE_NAME in client.cookies


def api_key_for(user, **options) -> str:
    """A new API key of `user` (options: name, read_only, expires_at), marked as used just now.

    The mark keeps the first request of a test from stamping `last_used_at` (one UPDATE, at most
    once a minute), so that pinned query counts count what the request itself does.
    """
    token, key = api_token_create(user=user, **options)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return key
