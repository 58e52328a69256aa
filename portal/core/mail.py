"""E-mail the portal sends: rendered in the site's language, kept in the outbox with the
transaction's data and sent once it commits (portal.core.outbox)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.core.outbox import mail_store

DEFAULT_BASE_URL = "http://localhost:8000"


def send_after_commit(
    *,
    template: str,
    context: dict[str, Any],
    to: str | list[str],
    attachments: list[tuple[str, str | bytes, str]] | None = None,
    language: str | None = None,
) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` now, send after the commit.

    `template` is a path without extension, e.g. "members/email/registration_confirm". Mail is
    in the site's language (Chinese) unless `language` is given, whoever's request caused it. The mail is written to the
    outbox in the caller's transaction: nothing is sent if it rolls back, and a mail server that
    is down fails nothing (the outbox tries again). `attachments` are (filename, content, mimetype)
    triples.
    """
    recipients = [address for address in ([to] if isinstance(to, str) else to) if address]
    if not recipients:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    mail_store(recipients=recipients, subject=subject, body=body, attachments=attachments)


def request_base_url(request) -> str:
    """The address the user reached the portal at, for links in mail sent during their request."""
    return request.build_absolute_uri("/")


def absolute_url(path: str, base_url: str | None = None) -> str:
    """`path` on the portal: the request's own address if known, else PORTAL_BASE_URL."""
    base = (base_url or getattr(settings, "PORTAL_BASE_URL", DEFAULT_BASE_URL)).rstrip("/")
    return f"{base}{path}"


def set_password_url(user, base_url: str | None = None) -> str:
    """A one-time link with which `user` sets a password (Django's password-reset confirm page)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path, base_url)
