"""XLSX downloads of any list: streamed with openpyxl's write-only mode, numbers as numbers.

Every download is personal data leaving the portal, so each one is logged (`ExportRecord`): the
request is a required argument and the record is written here, where no caller can forget it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.accounts.models import ExportRecord

# Cells that a spreadsheet would run as a formula (CSV/XLSX injection) are written as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    # Control characters a user managed to enter (XML 1.0 has no place for them) are left out:
    # openpyxl refuses the cell, and with it the whole download.
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | date) or value is None:
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def xlsx_response(
    *,
    request: HttpRequest,
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    trailer: Iterable[Sequence[Any]] = (),
) -> FileResponse:
    """A download of one sheet; `rows` may be a generator over a large queryset (`.iterator()`).

    `trailer` rows (notes below the table) are written but not counted in the export log.
    """
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([str(h) for h in headers])
    row_count = 0
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        row_count += 1
    for row in trailer:
        sheet.append([safe_cell(v) for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it after sending
    workbook.save(handle)
    handle.seek(0)
    ExportRecord.objects.create(
        user=user,
        name=filename[:100],
        path=request.path[:500],
        query_string=request.META.get("QUERY_STRING", ""),
        row_count=row_count,
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def yes_no(value: bool) -> str:
    """A yes/no cell in the reader's language."""
    return _("yes") if value else _("no")


@dataclass(frozen=True)
class ExportTable:
    """What the XLSX of one list holds, declared once beside its FilterSet (`FilterSet.export_table`).

    `rows(queryset, user)` yields the rows of the filtered queryset (streamed: use `.iterator()`);
    `allowed(user)` says who may download it beyond being signed in. The list page
    (`FilteredListMixin`, `?format=xlsx`) and the API (`ExportMixin`, `…/export/`) both answer with
    `response()`, so a list's export is wired once.
    """

    filename: str
    sheet_title: Any
    headers: Sequence[Any]
    rows: Callable[[Any, Any], Iterable[Sequence[Any]]]
    allowed: Callable[[Any], bool] | None = None

    def permits(self, user) -> bool:
        return bool(user.is_authenticated and (self.allowed is None or self.allowed(user)))

    def response(self, *, request: HttpRequest, queryset) -> FileResponse:
        if not self.permits(request.user):
            raise PermissionDenied
        return xlsx_response(
            request=request,
            filename=self.filename,
            sheet_title=str(self.sheet_title),
            headers=self.headers,
            rows=self.rows(queryset, request.user),
        )


def export_table(
    *,
    filename: str,
    sheet_title: Any,
    headers: Sequence[Any],
    allowed: Callable[[Any], bool] | None = None,
) -> Callable[[Callable[[Any, Any], Iterable[Sequence[Any]]]], ExportTable]:
    """Declare a list's export on its row function: `@export_table(filename=…, headers=…)`."""

    def declare(rows: Callable[[Any, Any], Iterable[Sequence[Any]]]) -> ExportTable:
        return ExportTable(filename, sheet_title, headers, rows, allowed)

    return declare
