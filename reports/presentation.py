"""Indicators as people read them: labelled rows for the page, the PDF and the XLSX, and chart data.

Everything here reads the stored JSON (see `indicators.py`) and the labels in `definitions.py`;
nothing queries the database.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .definitions import AMOUNT, COUNT, DAYS, HEADLINE, PERCENT, SCORE, SECTIONS, Figure
from .periods import Quarter

DASH = "—"
# Bootstrap's text colours for a change: a rise is green, a fall red (for overdue demands a rise
# is bad news; the sign is shown, the colour only follows the direction).
TREND_CLASSES = {"up": "text-success", "down": "text-danger", "flat": "text-secondary"}


def format_value(value: Any, kind: str) -> str:
    """A figure as text: 4,092 · 80.3% · 1,250,000.00 · 3.5."""
    if value is None:
        return DASH
    if kind == PERCENT:
        return f"{number_format(value, 1)}%"
    if kind == AMOUNT:
        return number_format(Decimal(value), 2, force_grouping=True)
    if kind in (DAYS, SCORE):
        return number_format(value, 1)
    return number_format(value, 0, force_grouping=True)


def format_change(figure: dict[str, Any], kind: str) -> str:
    """The change against the previous period: +12 (+25.0%), −3.4 pp, or a dash."""
    change = figure.get("change")
    if change is None:
        return DASH
    number = Decimal(str(change))
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    magnitude = abs(number)
    if kind == PERCENT:
        return _("%(sign)s%(points)s pp") % {"sign": sign, "points": number_format(magnitude, 1)}
    text = sign + format_value(
        str(magnitude)
        if kind == AMOUNT
        else (float(magnitude) if kind != COUNT else int(magnitude)),
        kind,
    )
    rate = figure.get("change_rate")
    if rate is not None:
        text += f" ({'+' if rate > 0 else ''}{number_format(rate, 1)}%)"
    return text


def _trend_class(figure: dict[str, Any]) -> str:
    change = figure.get("change")
    if change is None:
        return "flat"
    number = Decimal(str(change))
    return "up" if number > 0 else ("down" if number < 0 else "flat")


def figure_row(definition: Figure, figure: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": definition.key,
        "label": str(definition.label),
        "kind": definition.kind,
        "value": figure.get("value"),
        "previous": figure.get("previous"),
        "change": figure.get("change"),
        "change_rate": figure.get("change_rate"),
        "display": format_value(figure.get("value"), definition.kind),
        "previous_display": format_value(figure.get("previous"), definition.kind),
        "change_display": format_change(figure, definition.kind),
        "trend": _trend_class(figure),
        "trend_class": TREND_CLASSES[_trend_class(figure)],
    }


def row_label(breakdown, row: dict[str, Any]) -> str:
    if breakdown.choices is None:
        return row.get("name") or _("Outside the streets")
    labels = dict(breakdown.choices.choices)
    return str(labels.get(row["key"], row["key"]))


def report_sections(indicators: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section with its labelled figures and breakdown tables, in the report's order."""
    result = []
    stored = indicators.get("sections", {})
    for section in SECTIONS:
        data = stored.get(section.key, {})
        figures = data.get("figures", {})
        breakdowns = []
        for breakdown in section.breakdowns:
            rows = data.get(breakdown.key, [])
            first = breakdown.columns[0].key
            peak = max((row.get(first) or 0 for row in rows), default=0)
            breakdowns.append(
                {
                    "key": breakdown.key,
                    "title": str(breakdown.title),
                    "key_label": str(breakdown.key_label),
                    "chart": breakdown.chart,
                    "columns": [
                        {"key": c.key, "label": str(c.label), "kind": c.kind}
                        for c in breakdown.columns
                    ],
                    "rows": [
                        {
                            "label": row_label(breakdown, row),
                            "values": [row.get(c.key) for c in breakdown.columns],
                            "cells": [
                                format_value(row.get(c.key), c.kind) for c in breakdown.columns
                            ],
                            # The bar drawn beside the first column in the PDF, as a percentage.
                            "bar": round(100 * (row.get(first) or 0) / peak) if peak else 0,
                        }
                        for row in rows
                    ],
                }
            )
        result.append(
            {
                "key": section.key,
                "title": str(section.title),
                "figures": [
                    figure_row(figure, figures.get(figure.key, {})) for figure in section.figures
                ],
                "breakdowns": breakdowns,
            }
        )
    return result


def headline(indicators: dict[str, Any]) -> list[dict[str, Any]]:
    """The headline figures (definitions.HEADLINE) with their change."""
    stored = indicators.get("sections", {})
    rows = []
    by_key = {section.key: section for section in SECTIONS}
    for section_key, figure_key in HEADLINE:
        definition = by_key[section_key].figure(figure_key)
        figure = stored.get(section_key, {}).get("figures", {}).get(figure_key, {})
        rows.append({"section": section_key, **figure_row(definition, figure)})
    return rows


def report_title(*, scope_name: str, quarter: Quarter) -> str:
    return _("%(period)s quarterly report: %(scope)s") % {
        "period": quarter.label,
        "scope": scope_name,
    }


def district_name() -> str:
    return getattr(settings, "REPORT_DISTRICT_NAME", "") or _("District report")


def _series(name: str, data: list, **extra) -> dict[str, Any]:
    return {"name": name, "data": data, **extra}


def chart_data(indicators: dict[str, Any]) -> dict[str, Any]:
    """What static/js/reports.js draws: per chart its type, labels and named series."""
    sections = {s["key"]: s for s in report_sections(indicators)}
    charts: dict[str, Any] = {}
    trend = indicators.get("trend")
    if trend:
        charts["trend"] = {
            "type": "line",
            "labels": trend["months"],
            "series": [
                _series(_("Activities"), trend["activities"]),
                _series(_("Demands collected"), trend["demands_collected"]),
                _series(_("Demands resolved"), trend["demands_resolved"]),
                _series(_("Participants"), trend["participants"], axis=1),
            ],
        }
    for section in sections.values():
        for breakdown in section["breakdowns"]:
            labels = [row["label"] for row in breakdown["rows"]]
            keys = [c["key"] for c in breakdown["columns"]]
            # Counts only, and for activities only their number: participants run on another scale.
            columns = [c for c in breakdown["columns"] if c["kind"] == COUNT]
            if section["key"] == "activities":
                columns = columns[:1]
            chart = breakdown["chart"]
            if chart == "bar" and breakdown["key"] == "by_street":
                chart = "hbar"
            charts[f"{section['key']}_{breakdown['key']}"] = {
                "type": chart,
                "labels": labels,
                "series": [
                    _series(
                        column["label"],
                        [row["values"][keys.index(column["key"])] for row in breakdown["rows"]],
                    )
                    for column in (columns[:1] if chart == "pie" else columns)
                ],
            }
    return charts
