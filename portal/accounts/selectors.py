"""Reads on accounts: a user's API tokens and the token behind a key."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken, User


def user_api_tokens(user: User) -> QuerySet[ApiToken]:
    """The tokens of `user`, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose key is `key`, with its user (one query), or None."""
    return ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
