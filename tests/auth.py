"""Signing in the way a person does: through the login form (django-axes sees every attempt)."""

from django.conf import settings


def sign_in(client, username: str, password: str, **extra) -> bool:
    """Post the login form; True when the client is now signed in."""
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, **extra
    )
    return response.status_code == 302 and settings.SESSION_COOKIE_NAME in client.cookies
