import logging
from contextlib import contextmanager

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.settings import api_settings

from portal.api.authentication import ApiTokenAuthentication
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


class ApiTokenPageMiddleware:
    """The pages and files that API records link to (a report's page, XLSX and PDF, a demand's page,
    photos, list exports) open with the API's own `Authorization: Token <key>` as with a session,
    in the same scope: the token's user becomes the request's user for GET and HEAD. A token that
    does not sign in (unknown, revoked, expired) gets 401 with the reason, never the sign-in page;
    other schemes (a proxy's Basic) are left alone. Writes still need a session and its CSRF token; `/api/` does
    its own authentication."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.authentication = ApiTokenAuthentication()

    def __call__(self, request):
        scheme = request.headers.get("Authorization", "").split(" ", 1)[0]
        if (
            scheme.lower() == "token"
            and request.method in SAFE_METHODS
            and not request.path.startswith("/api/")
        ):
            refusal = self._sign_in(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _sign_in(self, request) -> HttpResponse | None:
        if request.user.is_authenticated:
            return None
        try:
            user = Request(request, authenticators=[self.authentication]).user
        except (AuthenticationFailed, PermissionDenied) as exc:
            return self._unauthorized(str(exc.detail))
        if not user.is_authenticated:
            return self._unauthorized(_("Invalid token header. No credentials provided."))
        request.user = user
        return None

    @staticmethod
    def _unauthorized(reason: str) -> HttpResponse:
        response = HttpResponse(reason, status=401, content_type="text/plain; charset=utf-8")
        response["WWW-Authenticate"] = "Token"
        return response


class QueryCounter:
    count = 0


@contextmanager
def counting_queries():
    """Count the SQL queries run inside the block on the default connection: a Python counter per
    query, no query of its own. Yields the counter (`.count`)."""
    from django.db import connection

    counter = QueryCounter()

    def count(execute, sql, params, many, context):
        counter.count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


class QueryCountMiddleware:
    """Say in an `X-Query-Count` header how many SQL queries a request made (the benchmark reads it).

    Only installed when QUERY_COUNT_HEADER is on (see settings.production); it costs a counter per query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with counting_queries() as queries:
            response = self.get_response(request)
        response["X-Query-Count"] = str(queries.count)
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
