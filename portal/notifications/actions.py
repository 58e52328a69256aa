"""Writes on notifications: telling people (a notification and a mail), marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.core.mail import send_after_commit

from .models import Notification


def notify(*, users, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put one notification in the portal for each distinct active user, in one INSERT."""
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, title=title[:200], body=body, url=url[:500]))
    return Notification.objects.bulk_create(rows)


def recipient_language(user) -> str:
    """The language `user` is told in. Accounts keep no language of their own (the switch in the
    navigation bar is a cookie of one browser), so this is the site's language, Chinese; it is the
    one place to change when they do."""
    return settings.LANGUAGE_CODE


def tell(
    users: Iterable,
    template: str | None,
    context: dict[str, Any],
    url: str,
    mail: bool = True,
    *,
    title=None,
    body="",
    exclude=None,
    together: bool = False,
) -> list:
    """Tell each distinct active user of `users` (but `exclude`) something: a notification in the
    portal linking to `url` and, if `mail`, one e-mail per person after the commit (through the
    outbox: units told together need not see each other's addresses), both in the recipient's
    language (`recipient_language`).

    `template` is e.g. "services/email/claim_new": the mail is `<template>.txt` with
    `<template>_subject.txt`, rendered with `context`; the subject is also the notification's title
    unless `title` (a string or a lazy translation) is given. `body` is the notification's text.
    `together` sends one mail to them all instead (a demand's news to the colleagues of one unit, as
    it always did). Returns the users told.
    """
    skip = getattr(exclude, "pk", exclude)
    recipients, seen = [], set()
    for user in users:
        if user is None or not user.is_active or user.pk == skip or user.pk in seen:
            continue
        seen.add(user.pk)
        recipients.append(user)
    by_language: dict[str, list] = {}
    for user in recipients:
        by_language.setdefault(recipient_language(user), []).append(user)
    for language, group in by_language.items():
        with translation.override(language):
            if title is None:
                heading = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            else:
                heading = str(title)
            notify(users=group, title=heading, body=str(body), url=url)
        if not mail:
            continue
        addresses = list(dict.fromkeys(u.email for u in group if u.email))
        for to in [addresses] if together else addresses:
            send_after_commit(template=template, context=context, to=to, language=language)
    return recipients


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (a 404 for anybody else's); idempotent."""
    notification = get_object_or_404(Notification, pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
