import logging

from django.db import connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from rest_framework.exceptions import NotFound
from rest_framework.settings import api_settings

from portal.celery_app import app as celery_app
from portal.core.cache import cache_status
from portal.core.outbox import pending_counts
from portal.notifications.selectors import unread_notification_count, unread_notifications

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            unread = unread_notifications(user, limit=10)
            context["unread_notifications"] = unread
            # Counted only when the card is full: one query fewer on most visits.
            context["unread_notification_count"] = (
                unread_notification_count(user) if len(unread) == 10 else len(unread)
            )
        return context


def page_not_found(request, exception):
    """A 404 in the shape its client reads: under /api/ the API's own error body (an address that
    matches no route, e.g. an id with a line break), elsewhere the page."""
    if request.path.startswith("/api/"):
        response = api_settings.EXCEPTION_HANDLER(NotFound(), {"request": request, "view": None})
        return JsonResponse(response.data, status=response.status_code)
    return defaults.page_not_found(request, exception)


@require_GET
@never_cache
def healthz(request):
    """The process is up; nothing else is checked."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Ready to serve: 200 only when both the database and the broker answer, else 503 naming which failed.

    The cache is reported too, `degraded` when its Redis does not answer; that is no reason to take
    the process out of service (pages and the API work without it, see portal.core.cache).
    `pending` counts the outboxes (mail not yet sent, tasks the broker has not taken): worth an
    alert when it grows, but no reason to take the process out of service.
    """
    checks = {"database": _check_database(), "broker": _check_broker()}
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {k: "ok" if v else "error" for k, v in checks.items()}
        | {"cache": cache_status()},
        "pending": _pending() if checks["database"] else None,
    }
    return JsonResponse(body, status=200 if ready else 503)


def _pending() -> dict[str, int] | None:
    try:
        return pending_counts()
    except Exception:  # noqa: BLE001 — a count that fails says nothing about readiness
        logger.exception("readiness: counting the outboxes failed")
        return None


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 — any failure means "not ready"
        logger.exception("readiness: database check failed")
        return False


def _check_broker() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True
    except Exception:  # noqa: BLE001
        logger.exception("readiness: broker check failed")
        return False
