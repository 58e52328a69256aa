"""A report's XLSX workbook: an overview sheet, one sheet per section, and the monthly trend.

Numbers are numbers (percentages as fractions formatted 0.0%, yuan with two decimals), headers are
in the report's language, Chinese (the caller activates it).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.core.exports import safe_cell

from .definitions import AMOUNT, COUNT, DAYS, PERCENT, SCORE
from .presentation import headline, report_sections

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F4CCCC")
FORMATS = {
    COUNT: "#,##0",
    PERCENT: "0.0%",
    AMOUNT: "#,##0.00",
    DAYS: "0.0",
    SCORE: "0.0",
}
# Characters a sheet title may not hold.
TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def cell_value(value: Any, kind: str) -> Any:
    """The number to store: percentages as fractions, yuan as floats (formatted to the cent)."""
    if value is None:
        return None
    if kind == PERCENT:
        return float(Decimal(str(value)) / 100)
    if kind == AMOUNT:
        return float(Decimal(value))
    return value


def _change_format(kind: str) -> str:
    if kind == PERCENT:
        points = _("pp").replace('"', "")
        return f'+0.0"{points}";-0.0"{points}";0.0"{points}"'
    if kind == AMOUNT:
        return "+#,##0.00;-#,##0.00;0.00"
    if kind == COUNT:
        return "+#,##0;-#,##0;0"
    return "+0.0;-0.0;0.0"


def _header(sheet, values: list[str]) -> None:
    sheet.append([safe_cell(str(v)) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL


def _figure_rows(sheet, figures: list[dict[str, Any]]) -> None:
    _header(
        sheet,
        [_("Indicator"), _("This period"), _("Previous period"), _("Change"), _("Change (%)")],
    )
    for figure in figures:
        kind = figure["kind"]
        change = figure["change"]
        if change is not None and kind == AMOUNT:
            change = float(Decimal(change))
        rate = figure["change_rate"]
        sheet.append(
            [
                safe_cell(figure["label"]),
                cell_value(figure["value"], kind),
                cell_value(figure["previous"], kind),
                change,
                float(Decimal(str(rate)) / 100) if rate is not None else None,
            ]
        )
        row = sheet[sheet.max_row]
        row[1].number_format = row[2].number_format = FORMATS[kind]
        row[3].number_format = _change_format(kind)
        row[4].number_format = "+0.0%;-0.0%;0.0%"


def _breakdown_rows(sheet, breakdown: dict[str, Any]) -> None:
    sheet.append([])
    sheet.append([safe_cell(breakdown["title"])])
    sheet[sheet.max_row][0].font = BOLD
    _header(sheet, [breakdown["key_label"], *[c["label"] for c in breakdown["columns"]]])
    for row in breakdown["rows"]:
        sheet.append(
            [
                safe_cell(row["label"]),
                *[
                    cell_value(value, column["kind"])
                    for value, column in zip(row["values"], breakdown["columns"], strict=True)
                ],
            ]
        )
        for cell, column in zip(sheet[sheet.max_row][1:], breakdown["columns"], strict=False):
            cell.number_format = FORMATS[column["kind"]]
    _breakdown_chart(sheet, breakdown, header_row=sheet.max_row - len(breakdown["rows"]))


def _breakdown_chart(sheet, breakdown: dict[str, Any], *, header_row: int) -> None:
    """A native chart beside the breakdown, of the same kind as the page draws: the counts by row
    (horizontal bars for streets, a pie where the page has one), reading the cells just written."""
    rows = len(breakdown["rows"])
    counts = [i for i, c in enumerate(breakdown["columns"], start=2) if c["kind"] == COUNT]
    if not rows or not counts:
        return
    if breakdown.get("chart") == "pie":
        chart = PieChart()
        counts = counts[:1]
    else:
        chart = BarChart()
        chart.type = "bar" if breakdown.get("key") == "by_street" else "col"
    chart.title = str(breakdown["title"])
    for column in counts:
        data = Reference(sheet, min_col=column, min_row=header_row, max_row=header_row + rows)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + rows)
    )
    chart.height = max(7.5, 0.6 * rows + 3)
    sheet.add_chart(chart, f"H{header_row}")


def _trend_chart(sheet, months: int) -> None:
    """Activities and demands collected and resolved by month, as lines."""
    chart = LineChart()
    chart.title = _("Monthly trend")
    for column in (2, 4, 5):
        chart.add_data(
            Reference(sheet, min_col=column, min_row=1, max_row=months + 1), titles_from_data=True
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=months + 1))
    chart.width = 22
    sheet.add_chart(chart, "G2")


def _widths(sheet, first: int = 28, rest: int = 14) -> None:
    sheet.column_dimensions["A"].width = first
    for index in range(2, 7):
        sheet.column_dimensions[get_column_letter(index)].width = rest


def sheet_title(text: str) -> str:
    return text.translate(TITLE_FORBIDDEN).strip()[:31] or "Sheet"


def build_xlsx(indicators: dict[str, Any], *, title: str) -> bytes:
    """The workbook's bytes."""
    workbook = Workbook()
    overview = workbook.active
    overview.title = sheet_title(_("Overview"))
    overview.append([safe_cell(title)])
    overview["A1"].font = Font(bold=True, size=14)
    period = indicators.get("period", {})
    previous = indicators.get("previous_period", {})
    overview.append(
        [
            _("Period"),
            f"{period.get('start', '')} – {period.get('end', '')}",
            _("Previous period"),
            f"{previous.get('start', '')} – {previous.get('end', '')}",
        ]
    )
    overview.append([])
    _figure_rows(overview, headline(indicators))
    _widths(overview, first=36, rest=22)

    for section in report_sections(indicators):
        sheet = workbook.create_sheet(sheet_title(section["title"]))
        _figure_rows(sheet, section["figures"])
        for breakdown in section["breakdowns"]:
            _breakdown_rows(sheet, breakdown)
        _widths(sheet)

    trend = indicators.get("trend")
    if trend:
        sheet = workbook.create_sheet(sheet_title(_("Monthly trend")))
        _header(
            sheet,
            [
                _("Month"),
                _("Activities"),
                _("Participants"),
                _("Demands collected"),
                _("Demands resolved"),
            ],
        )
        for index, month in enumerate(trend["months"]):
            sheet.append(
                [
                    month,
                    trend["activities"][index],
                    trend["participants"][index],
                    trend["demands_collected"][index],
                    trend["demands_resolved"][index],
                ]
            )
        _widths(sheet, first=12)
        _trend_chart(sheet, len(trend["months"]))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
