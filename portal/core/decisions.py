"""Records that someone reviews (registrations, profile changes, join requests): who decided, when."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def required_reason(reason: str | None, message: str) -> str:
    """The reason stripped, or a ValidationError on `reason` with `message` when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def record_decision(obj: models.Model, *, by, status: str, **fields: Any) -> models.Model:
    """Set the status, who decided and when (and `fields`), and save only those columns."""
    obj.status = status
    obj.decided_by = by
    obj.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = by
    update = ["status", "decided_by", "decided_at", *fields]
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        update.append("updated_at")
    obj.save(update_fields=update)
    return obj
