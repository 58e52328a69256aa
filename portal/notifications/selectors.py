"""Reads for notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import NoticeDelivery, Notification


def user_notifications(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The notifications of `user`, newest first; only the unread (or read) ones if asked."""
    queryset = Notification.objects.filter(user=user)
    if unread is True:
        queryset = queryset.filter(read_at__isnull=True)
    elif unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    return queryset.order_by("-created_at", "-id")


def unread_notifications(user, *, limit: int = 10) -> list[Notification]:
    """Up to `limit` unread notifications of `user`, newest first."""
    return list(user_notifications(user, unread=True)[:limit])


def unread_notification_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notice_delivery_list():
    """The notice delivery log, newest first, with the recipient and alliance each row shows."""
    return NoticeDelivery.objects.select_related("user", "alliance").order_by("-created_at", "-id")
