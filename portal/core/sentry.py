"""Error reports to Sentry, only when SENTRY_DSN is set (settings.base calls `init`; nothing else
imports sentry_sdk). No personal data leaves (PIPL): `send_default_pii=False`, no local variables, and `scrub` drops the
cookies, the body and the credentials' headers of whatever the integrations still collect; each event is
tagged with the request's or the task's id, the one the JSON logs carry."""

from __future__ import annotations

from typing import Any

SENSITIVE_HEADERS = frozenset({"cookie", "authorization", "x-csrftoken", "x-forwarded-for"})


def init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        # A frame's local variables may hold anyone's name or phone: not sent.
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=scrub,
    )


def scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    from portal.core.logs import request_id, task_id

    tags = event.setdefault("tags", {})
    if request_id.get():
        tags["request_id"] = request_id.get()
    if task_id.get():
        tags["task_id"] = task_id.get()
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                k: v for k, v in headers.items() if k.lower() not in SENSITIVE_HEADERS
            }
    event.pop("user", None)
    return event
