"""Notices on every channel (docs/notifications.md, "Channels"): the outbox of NoticeDelivery rows.

`notice_store()` writes, in the caller's transaction, one row per recipient and channel the recipient
takes for that kind of notice (and one for an alliance's group robot), rendered now in the
recipient's language from `templates/notices/<kind>.sms.txt` and `<kind>.wecom.md`; the unique
(notice key, recipient, channel) lets each notice go once whoever writes it again. E-mail keeps
today's path (`tell()`, `send_after_commit`), so the rows carry the other channels.

`notices_send()` (the beat task `send_pending_notices`, every minute) claims due rows of each
channel with SELECT … FOR UPDATE SKIP LOCKED, sends them and records the outcome in the same
transaction, so two sweeps never send one row; a failure waits 1, 2, 4 … minutes (at most an hour)
until NOTICE_MAX_ATTEMPTS, a provider that does not answer stops its channel for the run, a
channel sends at most NOTICE_RATE_LIMITS[channel] a minute and SMS waits out SMS_QUIET_HOURS.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.choices import Role
from portal.core.outbox import retry_delay

from .actions import recipient_language
from .channels import Channel, get_channel
from .choices import ChannelName, DeliveryStatus, NoticeKind
from .models import NoticeDelivery, NoticePreference

logger = logging.getLogger(__name__)

BATCH = 50
MOBILE = re.compile(r"1[3-9]\d{9}")  # a mainland mobile number
SMS_LIMIT = 70  # characters in one SMS segment of Chinese text

# The channels each role takes per kind of notice until the user chooses (e-mail besides, as ever).
DEFAULT_CHANNELS: dict[str, dict[str, list[str]]] = {
    Role.STREET_SECRETARY: {
        NoticeKind.MEETING_REMINDER: [ChannelName.WECOM, ChannelName.SMS],
        NoticeKind.MEETING_INVITATION: [ChannelName.WECOM],
        NoticeKind.MEETING_CHANGED: [ChannelName.WECOM],
        NoticeKind.MEETING_CANCELLED: [ChannelName.WECOM],
        NoticeKind.DEMAND_STEP: [ChannelName.WECOM],
    },
    Role.UNIT_CONTACT: {
        NoticeKind.MEETING_REMINDER: [ChannelName.SMS],
        NoticeKind.MEETING_INVITATION: [ChannelName.SMS],
        NoticeKind.MEETING_CHANGED: [ChannelName.SMS],
        NoticeKind.MEETING_CANCELLED: [ChannelName.SMS],
        NoticeKind.DEMAND_STEP: [ChannelName.SMS],
    },
    Role.DISTRICT_STAFF: {
        NoticeKind.MEETING_REMINDER: [ChannelName.WECOM],
        NoticeKind.MINUTES_DUE: [ChannelName.WECOM],
    },
}


@dataclass
class NoticeResult:
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# The channels a user may choose for a notice (e-mail always goes its own way).
CHOOSABLE = (ChannelName.SMS, ChannelName.WECOM)


def default_channels(user, kind: str) -> list[str]:
    return [c for c in DEFAULT_CHANNELS.get(user.role, {}).get(kind, []) if c in CHOOSABLE]


def user_channels(user, kind: str, chosen: dict[int, list[str]] | None = None) -> list[str]:
    """The channels beside e-mail on which `user` takes notices of `kind`: their choice (`chosen`,
    by user id, as `chosen_channels` reads it), else their role's default."""
    if chosen is not None and user.pk in chosen:
        return [c for c in chosen[user.pk] if c in CHOOSABLE]
    return default_channels(user, kind)


def chosen_channels(user_ids: Iterable[int], kind: str) -> dict[int, list[str]]:
    """The users' own choices for `kind`, by user id, in one query."""
    ids = [pk for pk in user_ids if pk]
    if not ids:
        return {}
    return dict(
        NoticePreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "channels"
        )
    )


def notice_preferences(user) -> dict[str, list[str]]:
    """Every kind's channels for `user` (their choice or the default), for the page and the API."""
    chosen = dict(NoticePreference.objects.filter(user=user).values_list("kind", "channels"))
    return {
        kind: [c for c in chosen[kind] if c in CHOOSABLE]
        if kind in chosen
        else default_channels(user, kind)
        for kind in NoticeKind.values
    }


@transaction.atomic
def notice_preferences_set(
    *, user, preferences: dict[str, list[str]], phone=None, wecom_userid=None
) -> dict[str, list[str]]:
    """Save `user`'s channels per kind (the kinds given; unknown kinds or channels refused) and,
    when given, their mobile number (a mainland one, or empty) and WeCom user id."""
    errors = {}
    for kind, channels in preferences.items():
        if kind not in NoticeKind.values:
            errors[kind] = [_("Not a kind of notice.")]
        elif not isinstance(channels, list) or any(c not in CHOOSABLE for c in channels):
            errors[kind] = [_("Choose among SMS and WeCom.")]
    fields = []
    if phone is not None:
        phone = "".join(str(phone).split())
        if phone and not MOBILE.fullmatch(phone):
            errors["phone"] = [_("Give a mainland mobile number of 11 digits (1[3-9]…).")]
        user.phone = phone
        fields.append("phone")
    if wecom_userid is not None:
        user.wecom_userid = str(wecom_userid).strip()[:64]
        fields.append("wecom_userid")
    if errors:
        raise ValidationError(errors)
    if fields:
        user.save(update_fields=fields)
    for kind, channels in preferences.items():
        NoticePreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channels": list(dict.fromkeys(channels))}
        )
    return notice_preferences(user)


def render_notice(kind: str, channel: str, context: dict[str, Any], language: str) -> str:
    """The notice's text for `channel` in `language`: the SMS text (at most SMS_LIMIT characters
    where the template allows) or the WeCom markdown card."""
    name = "sms.txt" if channel == ChannelName.SMS else "wecom.md"
    with translation.override(language):
        text = render_to_string(f"notices/{kind}.{name}", context).strip()
    if channel == ChannelName.SMS:
        text = " ".join(text.split())
    return text


def notice_store(**notice: Any) -> list[NoticeDelivery]:
    """Write the rows of one notice (`notice_rows`) in one INSERT; a row already written for the
    same key, recipient and channel stays as it is."""
    rows = notice_rows(**notice)
    if not rows:
        return []
    return NoticeDelivery.objects.bulk_create(rows, ignore_conflicts=True)


def notice_rows(
    *,
    kind: str,
    key: str,
    users: Iterable = (),
    context: dict[str, Any],
    alliance=None,
    now: datetime.datetime | None = None,
) -> list[NoticeDelivery]:
    """The unsaved rows of one notice (`key` names it: the same key goes once per recipient and
    channel) for `users` on their channels and, when `alliance` has a group robot, for its group
    chat. A channel that is not configured or a recipient without an address on it gives a row
    `skipped`, so the log says why nothing went."""
    now = now or timezone.now()
    channels: dict[str, Channel] = {}
    rows, seen = [], set()
    texts: dict[tuple[str, str], str] = {}

    def text_for(channel: str, language: str) -> str:
        if (channel, language) not in texts:
            texts[channel, language] = render_notice(kind, channel, context, language)
        return texts[channel, language]

    def row(channel_name, *, user=None, language=settings.LANGUAGE_CODE):
        channel = channels.setdefault(channel_name, get_channel(channel_name))
        delivery = NoticeDelivery(
            kind=kind,
            notice_key=key[:200],
            user=user,
            alliance=alliance if user is None else None,
            channel=channel_name,
            text=text_for(channel_name, language),
            created_at=now,
            next_attempt_at=now,
        )
        reason = _unsendable(channel, delivery)
        if reason:
            delivery.status, delivery.last_error = DeliveryStatus.SKIPPED, reason
        return delivery

    people = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        people.append(user)
    chosen = chosen_channels([u.pk for u in people], kind)
    for user in people:
        language = recipient_language(user)
        for channel_name in user_channels(user, kind, chosen):
            rows.append(row(channel_name, user=user, language=language))
    if alliance is not None and alliance.wecom_robot_key:
        rows.append(row(ChannelName.WECOM_ROBOT))
    return rows


def _unsendable(channel: Channel, delivery: NoticeDelivery) -> str:
    if not channel.is_configured():
        return "channel not configured"
    if not channel.address(delivery):
        return "no address on this channel"
    return ""


# --- the sweep ----------------------------------------------------------------------------------


def quiet_hours_end(now: datetime.datetime) -> datetime.datetime | None:
    """When SMS_QUIET_HOURS ("22-8", Shanghai time) end, if `now` falls within them; else None."""
    spec = (settings.SMS_QUIET_HOURS or "").strip()
    if not spec:
        return None
    start, end = (int(part) for part in spec.split("-", 1))
    local = timezone.localtime(now)
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += datetime.timedelta(days=1)
    return morning


def sent_last_minute(channel: str, now: datetime.datetime) -> int:
    return NoticeDelivery.objects.filter(
        channel=channel, sent_at__gt=now - datetime.timedelta(minutes=1)
    ).count()


def notices_send(
    rows: QuerySet[NoticeDelivery] | None = None, *, now: datetime.datetime | None = None
) -> NoticeResult:
    """Send the pending rows of `rows` (by default all) that are due; safe beside other sweeps."""
    now = now or timezone.now()
    base = NoticeDelivery.objects.all() if rows is None else rows
    result = NoticeResult()
    for name in ChannelName.values:
        if name == ChannelName.SMS and quiet_hours_end(now):
            continue  # the rows wait, due, until the morning
        limit = settings.NOTICE_RATE_LIMITS.get(name, 600) - sent_last_minute(name, now)
        due = base.filter(
            channel=name, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        channel = get_channel(name)
        while limit > 0:
            claimed, away = _send_batch(channel, due, min(limit, BATCH), result, now)
            limit -= claimed
            if away or claimed < BATCH:
                break
    return result


def _send_batch(channel: Channel, rows, size: int, result: NoticeResult, now) -> tuple[int, bool]:
    """Claim up to `size` rows, send them, record the outcome; returns (claimed, provider away)."""
    with transaction.atomic():
        batch = list(
            rows.select_for_update(skip_locked=True, of=("self",)).select_related(
                "user", "alliance"
            )[:size]
        )
        done, away = [], False
        for delivery in batch:
            reason = _unsendable(channel, delivery)
            if reason:
                delivery.status, delivery.last_error = DeliveryStatus.SKIPPED, reason
                result.skipped += 1
                done.append(delivery)
                continue
            outcome = channel.send(delivery)
            delivery.attempts += 1
            if outcome.ok:
                delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
                delivery.provider_message_id = outcome.message_id[:200]
                delivery.last_error = ""
                result.sent += 1
            else:
                delivery.last_error = outcome.error[:500]
                if delivery.attempts >= settings.NOTICE_MAX_ATTEMPTS:
                    delivery.status = DeliveryStatus.FAILED
                    result.given_up += 1
                    logger.error(
                        "Notice %s given up after %d attempts", delivery.pk, delivery.attempts
                    )
                else:
                    delivery.next_attempt_at = now + retry_delay(delivery.attempts)
                    result.failed += 1
            done.append(delivery)
            if outcome.away:
                away = True
                break
        if done:
            NoticeDelivery.objects.bulk_update(
                done,
                [
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "last_error",
                    "provider_message_id",
                    "sent_at",
                ],
            )
    return len(batch), away
