"""The cache is an accelerator, never a dependency: a Redis cache that fails over to memory.

`FailSafeRedisCache` is Django's `RedisCache`; when Redis does not answer (refused, timed out, any
`RedisError`) the call is served by a per-process memory cache instead, and Redis is left alone for
`CACHE_RETRY_SECONDS` before it is tried again. So the list count memory, the DRF throttle and the
rate limits (`portal.core.ratelimit`) keep working, each process counting on its own (a safe local
limit), and the dashboard computes its figures. The outage is logged once per retry interval, not
per request; `/readyz` reports the cache as `degraded` (`cache_status`).

`failsafe(config)` turns the `CACHES` entry that `CACHE_URL` gives into this backend, with short
socket timeouts so that a Redis that hangs costs a request at most `CACHE_SOCKET_TIMEOUT` seconds.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
FAILSAFE_BACKEND = "portal.core.cache.FailSafeRedisCache"

# Django makes one cache object per thread: the outage is known to the whole process.
_lock = threading.Lock()
_down_until: dict[str, float] = {}


def failsafe(config: dict, *, timeout: float = 0.5) -> dict:
    """The `CACHES` entry `config`, with Django's Redis backend replaced by the fail-safe one."""
    if config.get("BACKEND") != REDIS_BACKEND:
        return config
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    return {
        **config,
        "BACKEND": FAILSAFE_BACKEND,
        "OPTIONS": {**options, **config.get("OPTIONS", {})},
    }


def _retry_seconds() -> float:
    return getattr(settings, "CACHE_RETRY_SECONDS", 30)


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        # LocMemCache instances of one name share their store: one per process, as intended.
        self._local = LocMemCache(
            f"failsafe:{self._location}",
            {**params, "OPTIONS": {"MAX_ENTRIES": 10_000}},
        )

    def is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _failed(self, exc: Exception) -> None:
        with _lock:
            if self.is_down():
                return  # another thread noted it already
            retry = _retry_seconds()
            _down_until[self._location] = time.monotonic() + retry
        logger.warning(
            "cache: Redis at %s does not answer (%s); using per-process memory, retrying in %ss",
            self._location,
            exc,
            retry,
        )

    def ping(self) -> bool:
        """Whether Redis answers now (tried even while it is marked down)."""
        try:
            self._cache.get_client().ping()
        except RedisError as exc:
            self._failed(exc)
            return False
        with _lock:
            _down_until.pop(self._location, None)
        return True


def _guarded(name: str):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        if not self.is_down():
            try:
                return redis_method(self, *args, **kwargs)
            except RedisError as exc:
                self._failed(exc)
        return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"`RedisCache.{name}`, or the process's memory while Redis does not answer."
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FailSafeRedisCache, _name, _guarded(_name))


def cache_status(alias: str = "default") -> str:
    """ "ok", or "degraded" when the cache is a Redis that does not answer (pages still work)."""
    backend = caches[alias]
    if isinstance(backend, FailSafeRedisCache):
        return "ok" if backend.ping() else "degraded"
    return "ok"
