import logging

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from rest_framework.settings import api_settings

from portal.api.exceptions import DatabaseUnavailable

logger = logging.getLogger(__name__)


class PortalLocaleMiddleware(LocaleMiddleware):
    """Pages are Chinese unless the user chose English (the language switch's cookie); the browser's
    Accept-Language does not override that. API clients choose with Accept-Language, Chinese by default."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class QueryCountMiddleware:
    """Say in an `X-Query-Count` header how many SQL queries a request made (the benchmark reads it).

    Only installed when QUERY_COUNT_HEADER is on (see settings.production); it costs a counter per query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with `Retry-After` when the database cannot be reached (a restart, a failover, a
    dropped connection), instead of the generic 500: the API's error body under /api/, a short page
    elsewhere. Django's health checks (CONN_HEALTH_CHECKS) drop the dead connection, so the next
    request reconnects; the client only has to try again (docs/operations.md).

    `process_exception` sees what a view raises, the rendering of its template included, and what a
    DRF view raises too (portal.api.exceptions.PortalExceptionHandler leaves these errors to us).
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            body = api_settings.EXCEPTION_HANDLER(
                DatabaseUnavailable(), {"request": request, "view": None}
            )
            response = JsonResponse(body.data, status=body.status_code)
        else:
            # No request in the context: the context processors (navigation, messages) would query.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        # Logged above at WARNING, once: django.request would log every 5xx again at ERROR.
        response._has_been_logged = True
        return response
