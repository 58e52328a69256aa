"""System checks of the portal's own (ids in the `portal.` namespace), run by `manage.py check`,
`migrate` and `runserver`, and so before the web service of docker-compose.yml starts gunicorn."""

from __future__ import annotations

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Info, Tags, register
from django.utils.module_loading import import_string

PER_PROCESS_CACHES = (LocMemCache, DummyCache)


@register(Tags.caches)
def shared_cache_check(app_configs=None, **kwargs):
    """The production profile serves with several processes (gunicorn workers, replicas): a cache of
    each process's own memory would give each its own rate limits, dashboard figures and list counts.
    It is an error there unless SINGLE_PROCESS says that one process serves."""
    if not getattr(settings, "SHARED_CACHE_REQUIRED", False):
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if not issubclass(import_string(backend), PER_PROCESS_CACHES):
        return []
    if getattr(settings, "SINGLE_PROCESS", False):
        return [
            Info(
                f"The default cache ({backend}) is this process's own: SINGLE_PROCESS=true says "
                "one process serves the portal. Serve with one gunicorn worker and no replica.",
                id="portal.I001",
            )
        ]
    return [
        Error(
            f"The default cache ({backend}) is each process's own, so every gunicorn worker and "
            "host would count its own rate limits (registration, password reset, token requests) "
            "and compute its own dashboard.",
            hint="Point CACHE_URL at a Redis every process shares (redis://host:6379/1), or set "
            "SINGLE_PROCESS=true when exactly one process serves (gunicorn --workers 1).",
            id="portal.E001",
        )
    ]
