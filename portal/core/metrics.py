"""Prometheus metrics: what each request took, what waits in the outboxes and the queue, how jobs end.

Request metrics are kept by `MetricsMiddleware` (labels: the resolved URL name, never the path, so
that the number of series stays bounded; the method; the status class). The outbox and queue depths
are read when Prometheus scrapes (`StateCollector`: two COUNT queries and one LLEN), never per row
or per request. Jobs call `job_outcome(name)` around their run.

With PROMETHEUS_MULTIPROC_DIR set (gunicorn with several workers, docs/operations.md) prometheus-client
keeps every process's values in files there and `/metrics` adds them up; gunicorn.conf.py's
`child_exit` marks a replaced worker dead.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from portal.core.middleware import counting_queries
from portal.core.ratelimit import client_ip

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "<unresolved>"

REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
REQUEST_QUERIES = Histogram(
    "portal_http_request_queries",
    "SQL queries one request made, by URL name.",
    ["view"],
    buckets=(0, 1, 2, 5, 10, 20, 50, 100, 200, 500),
)
JOB_RUNS = Counter(
    "portal_job_runs",
    "Runs of a background job (meeting_reminders, quarterly_report) by outcome: ok or failed.",
    ["job", "outcome"],
)
REMINDER_DELIVERIES = Counter(
    "portal_reminder_deliveries",
    "Meeting reminders a sweep handled, by outcome: sent, skipped or failed.",
    ["outcome"],
)


# --- requests -----------------------------------------------------------------------------------


def view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None else None) or UNRESOLVED


class MetricsMiddleware:
    """Time every request and count its queries (a Python counter per query; no query of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        with counting_queries() as queries:
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(view, method, f"{response.status_code // 100}xx").observe(elapsed)
        REQUEST_QUERIES.labels(view).observe(queries.count)
        return response


# --- jobs ---------------------------------------------------------------------------------------


@contextmanager
def job_outcome(job: str) -> Iterator[None]:
    """Count a run of `job` as ok when the block ends, as failed when it raises (and re-raise)."""
    try:
        yield
    except BaseException:
        JOB_RUNS.labels(job, "failed").inc()
        raise
    JOB_RUNS.labels(job, "ok").inc()


# --- state read at scrape time ------------------------------------------------------------------


class StateCollector:
    """The outboxes (one COUNT each) and, with a Redis broker, the Celery queues' lengths (LLEN)."""

    def describe(self):
        return []

    def collect(self):
        yield from self.outboxes()
        yield from self.queues()

    def outboxes(self):
        from portal.notifications.choices import OutgoingMailStatus
        from portal.notifications.models import OutgoingMail, PendingTask

        try:
            mail = OutgoingMail.objects.aggregate(
                pending=Count("pk", filter=Q(status=OutgoingMailStatus.PENDING)),
                failed=Count("pk", filter=Q(status=OutgoingMailStatus.FAILED)),
            )
            tasks = PendingTask.objects.count()
        except DatabaseError as exc:  # the scrape still answers with what the process knows
            logger.warning("metrics: the outboxes could not be counted: %s", exc)
            return
        outbox = GaugeMetricFamily(
            "portal_outbox_pending",
            "Rows waiting in an outbox: mail not yet sent, tasks the broker has not taken.",
            labels=["outbox"],
        )
        outbox.add_metric(["mail"], mail["pending"])
        outbox.add_metric(["tasks"], tasks)
        yield outbox
        given_up = GaugeMetricFamily(
            "portal_outbox_mail_failed",
            "Mail given up after MAIL_MAX_ATTEMPTS attempts (sent again only by hand).",
        )
        given_up.add_metric([], mail["failed"])
        yield given_up

    def queues(self):
        queues = queue_lengths()
        if queues is not None:
            family = GaugeMetricFamily(
                "portal_celery_queue_length",
                "Tasks waiting in a Celery queue of the Redis broker (LLEN).",
                labels=["queue"],
            )
            for name, length in queues.items():
                family.add_metric([name], length)
            yield family


def queue_lengths() -> dict[str, int] | None:
    """LLEN of each Celery queue when the broker is Redis; None for another broker or when Redis
    does not answer within a second (logged)."""
    from portal.celery_app import app

    url = app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    names = list(app.amqp.queues) or [app.conf.task_default_queue]
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            with client.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.llen(name)
                lengths = pipe.execute()
        finally:
            client.close()
    except redis.RedisError as exc:
        logger.warning("metrics: the broker's queue lengths could not be read: %s", exc)
        return None
    return dict(zip(names, lengths, strict=True))


# --- the endpoint -------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(
    allowed: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed if entry)


def metrics_allowed(request) -> bool:
    """From an address in METRICS_ALLOWED_IPS (addresses or networks), or with
    `Authorization: Bearer <METRICS_TOKEN>` when a token is set."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
            return True
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


def registry() -> CollectorRegistry:
    """This process's metrics (or, in multiprocess mode, every process's) and the scrape-time state."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)
    else:
        scrape.register(_Delegate(REGISTRY))
    scrape.register(StateCollector())
    return scrape


class _Delegate:
    def __init__(self, source: CollectorRegistry):
        self.source = source

    def describe(self):
        return []

    def collect(self):
        return self.source.collect()


@never_cache
def metrics(request):
    """The Prometheus text exposition; a plain 404 for anyone not allowed (no session, no page)."""
    if not metrics_allowed(request):
        return HttpResponseNotFound("Not Found", content_type="text/plain")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
