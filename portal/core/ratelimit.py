"""Fixed-window rate limits kept in the cache: registration, password reset, the token endpoint;
and the client address they (and django-axes) count by."""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _window(scope: str, key: str | None, rate: str) -> tuple[str, int, int]:
    """The cache key of the current window, its length in seconds and the limit."""
    limit, _sep, unit = rate.partition("/")
    period = PERIODS[(unit or "h")[0]]
    bucket = int(time.time() // period)
    return f"rate:{scope}:{key or 'unknown'}:{bucket}", period, int(limit)


def rate_reached(scope: str, key: str | None, rate: str) -> bool:
    """True when `key` has used up `rate` in the current window; counts nothing."""
    cache_key, _period, limit = _window(scope, key, rate)
    return (cache.get(cache_key) or 0) >= limit


def rate_exceeded(scope: str, key: str | None, rate: str) -> bool:
    """Count one attempt of `key` in `scope`; True once it is over `rate` ("5/h", "20/m" …)."""
    cache_key, period, limit = _window(scope, key, rate)
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add and incr
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count > limit


def client_ip(request) -> str | None:
    """The client's address: `REMOTE_ADDR`, or behind TRUSTED_PROXY_COUNT reverse proxies the address
    the outermost of them saw, read from the right of `X-Forwarded-For`.

    Each proxy appends the address it was reached from to the header, so the last
    TRUSTED_PROXY_COUNT entries were written by our proxies and the one furthest left of them is the
    client; anything before it is whatever the client sent and is never read. With no proxy (0, the
    default) the header is ignored altogether. A header missing (a request that bypassed the proxy)
    or an entry that is not an address gives `REMOTE_ADDR`. django-axes asks here too
    (AXES_CLIENT_IP_CALLABLE), so lockouts and rate limits agree on who the client is.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
