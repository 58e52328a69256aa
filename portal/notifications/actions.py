"""Writes on notifications: creating them and marking them read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone

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
