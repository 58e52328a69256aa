"""One error body for the whole API (drf-standardized-errors), with database refusals turned into clear 4xx."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.db.utils import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still referenced by other records and cannot be deleted.")
    default_code = "protected"


class DatabaseUnavailable(exceptions.APIException):
    """The database cannot be reached (a restart, a failover): answered by
    portal.core.middleware.DatabaseUnavailableMiddleware, for the API and the pages alike."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The database cannot be reached just now; try again in a moment.")
    default_code = "database_unavailable"


class PortalExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, ProtectedError | RestrictedError):
            return Conflict()
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(detail=get_error_detail(exc))
        return super().convert_known_exceptions(exc)

    def should_not_handle(self, exc: Exception) -> bool:
        # Re-raised out of the view, so that the middleware answers 503 instead of a 500 here.
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        return super().should_not_handle(exc)

    def report_exception(self, exc: exceptions.APIException, response) -> None:
        # The middleware logs it once, at WARNING: a restart is no error worth a report per request.
        if isinstance(exc, DatabaseUnavailable):
            return
        super().report_exception(exc, response)
