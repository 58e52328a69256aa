"""Writes on accounts: issuing, stamping and revoking API tokens."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, User

# A busy client would otherwise write the row on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_create(
    *,
    user: User,
    name: str = "",
    read_only: bool = False,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a new token for `user`; returns it with its key, which is never stored nor shown again."""
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(key),
        prefix=key[:8],
        read_only=read_only,
        created_at=now,
        expires_at=expires_at,
    )
    return token, key


def api_token_mark_used(*, token: ApiToken) -> None:
    """Stamp `last_used_at`, at most once a minute, without saving the rest of the row."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # The WHERE repeats the test, so that concurrent requests write the row once.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens (a 404 for anybody else's); revoking twice changes nothing."""
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    if token.revoked_at is None:
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        token.revoked_at = now
    return token


def api_tokens_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke the tokens of `tokens` that are not revoked yet (district staff in the admin); returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
