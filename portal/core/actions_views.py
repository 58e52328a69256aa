"""Glue shared by the pages that run an action: the safe way back and the refusal's text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, fallback, *args, **kwargs):
    """Redirect to the POSTed `next` when it is on this host (and https when the request is);
    otherwise to `fallback` (an object, a URL or a URL name, with its arguments)."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(fallback, *args, **kwargs)


def error_text(exc: ValidationError) -> str:
    """Every message of a refusal, field errors included, on one line."""
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)
