"""Change history (django-simple-history) read back as a list of who changed what, for pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def history_entries(obj: Model, *, limit: int = 100) -> list[dict[str, Any]]:
    """The newest `limit` changes of `obj`, each with the fields that changed and their old and new values."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    entries = []
    for record, older in zip(records, records[1:] + [None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            changes = [
                {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}
                for c in delta.changes
            ]
        entries.append(
            {
                "history_id": record.history_id,
                "history_date": record.history_date,
                "history_type": record.history_type,
                "history_user": str(record.history_user) if record.history_user else None,
                "changes": changes,
            }
        )
    return entries


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)
