"""Random tokens for links that stand for a secret (confirmation, status, check-in, calendar feeds)."""

import secrets


def new_token() -> str:
    """A URL-safe random token of 32 bytes (43 characters)."""
    return secrets.token_urlsafe(32)
