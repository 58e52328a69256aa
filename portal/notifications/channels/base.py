"""The notice channels' interface: a channel sends one NoticeDelivery and says how it went."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass
class SendResult:
    """How one send went. `away` means the provider could not be reached (or answered as if it were
    down): the row waits and the sweep leaves the rest of the channel's rows for the next run."""

    ok: bool
    message_id: str = ""
    error: str = ""
    away: bool = False


class ProviderAway(Exception):
    """The provider did not answer (refused, timed out, 5xx)."""


class Channel:
    """One way to reach someone. Subclasses name themselves and implement `send` and
    `is_configured`; `address(delivery)` is whom the row goes to ("" when the recipient has none)."""

    name: str = ""

    def is_configured(self) -> bool:
        raise NotImplementedError

    def address(self, delivery) -> str:
        raise NotImplementedError

    def send(self, delivery) -> SendResult:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def http(method: str, url: str, **kwargs: Any) -> Any:
    """One HTTP request to a provider; its JSON answer. A provider that cannot be reached, times
    out or answers 5xx raises ProviderAway; an answer that is not JSON is a ValueError."""
    try:
        response = requests.request(method, url, timeout=settings.NOTICE_HTTP_TIMEOUT, **kwargs)
    except requests.RequestException as exc:
        raise ProviderAway(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500:
        raise ProviderAway(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise ValueError(f"HTTP {response.status_code}, not JSON: {response.text[:200]}") from exc


def guarded(send):
    """Wrap a channel's `send`: ProviderAway becomes an `away` result, any other error a failure."""

    def wrapper(self, delivery) -> SendResult:
        try:
            return send(self, delivery)
        except ProviderAway as exc:
            logger.warning("%s away for notice %s: %s", self.name, delivery.pk, exc)
            return SendResult(ok=False, error=str(exc), away=True)
        except Exception as exc:  # noqa: BLE001 — whatever failed, the row keeps the notice
            logger.warning("%s refused notice %s: %s", self.name, delivery.pk, exc)
            return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}")

    return wrapper
