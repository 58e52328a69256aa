"""XLSX downloads of any list: streamed with openpyxl's write-only mode, numbers as numbers.

Every download is personal data leaving the portal, so each one is logged (`ExportRecord`): the
request is a required argument and the record is written here, where no caller can forget it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.utils import timezone
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
