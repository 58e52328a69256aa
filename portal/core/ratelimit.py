"""Fixed-window rate limits kept in the cache: registration, password reset, the token endpoint."""

from __future__ import annotations

import time

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
    return request.META.get("REMOTE_ADDR")
