"""Log records that say which request or task wrote them, and the JSON format (LOG_FORMAT=json).

`RequestIdMiddleware` takes the request's id from an incoming `X-Request-ID` (when it is a sane
token) or makes one, keeps it in a context variable while the request runs and echoes it in the
response header. Celery's `task_prerun`/`task_postrun` do the same for a task's id and name. The
`ContextFilter` (on the console handler) adds `request_id`, `task_id` and `task_name` to every record,
and `JsonFormatter` writes one JSON object per line.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import uuid
from contextvars import ContextVar

from celery.signals import task_postrun, task_prerun

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from a client or a proxy: letters, digits and . _ - : up to 128 characters.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)
task_name: ContextVar[str | None] = ContextVar("task_name", default=None)


def incoming_request_id(value: str | None) -> str:
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """The request's id: in `request.request_id`, in every log record, in the response's header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = incoming_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[REQUEST_ID_HEADER] = value
        return response


@task_prerun.connect(weak=False)
def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    _set_task(task_id, getattr(task, "name", None))


@task_postrun.connect(weak=False)
def _task_finished(sender=None, **kwargs) -> None:
    _set_task(None, None)


def _set_task(identifier: str | None, name: str | None) -> None:
    # Set, not reset with a token: the two signals may run in different contexts (a worker's pool).
    task_id.set(identifier)
    task_name.set(name)


class ContextFilter(logging.Filter):
    """Add `request_id`, `task_id` and `task_name` (None outside a request or task) to the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        record.task_name = task_name.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, task_id,
    task_name, and the traceback as `exc_info` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "task_id": getattr(record, "task_id", None),
            "task_name": getattr(record, "task_name", None),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
