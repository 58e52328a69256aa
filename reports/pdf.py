"""A report's PDF: the same sections as the page, typeset by WeasyPrint in the vendored Noto Sans SC.

The font ships in static/vendor/noto-sans-sc (OFL-1.1, the simplified-Chinese subset, WOFF: WOFF2
would be unpacked glyph by glyph in Python, some ten seconds per weight). Charts are drawn as bars
in HTML and CSS: WeasyPrint runs no JavaScript.
"""

from __future__ import annotations

import atexit
import gc
import logging
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FILES = {
    400: "vendor/noto-sans-sc/noto-sans-sc-chinese-simplified-400-normal.woff",
    700: "vendor/noto-sans-sc/noto-sans-sc-chinese-simplified-700-normal.woff",
}
FONT_FAMILY = "Noto Sans SC"

# WeasyPrint logs each step of each page at INFO; the portal's log keeps its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def font_faces() -> str:
    """@font-face rules for the vendored font, by file URL (the PDF is made on the server)."""
    rules = []
    for weight, name in FONT_FILES.items():
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(f"{name} is missing: run `make static-vendor`")
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
            f'src: url("{Path(found).resolve().as_uri()}") format("woff"); }}'
        )
    return "\n".join(rules)


@cache
def _fonts():
    """The font configuration and its stylesheet, loaded once per process (a fifth of a second)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    # Freed before the interpreter tears down the C bindings its destructor needs.
    atexit.register(_fonts.cache_clear)
    return config, CSS(string=font_faces(), font_config=config)


def without_empty_rows(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections with only the breakdown rows that count something: paper is for what happened."""
    return [
        {
            **section,
            "breakdowns": [
                {**b, "rows": [row for row in b["rows"] if any(row["values"])]}
                for b in section["breakdowns"]
            ],
        }
        for section in sections
    ]


@contextmanager
def collector_paused():
    """No cyclic garbage collection inside the block; one collection of the young objects after.

    Typesetting allocates hundreds of thousands of small objects, so the collector would run its
    oldest generation over the whole heap (Django, the loaded fonts) several times per PDF: about
    40 % of a report's typesetting time. A PDF's own garbage is a few megabytes, freed right after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect(1)


def build_pdf(context: dict[str, Any]) -> bytes:
    """Render templates/reports/pdf.html with `context` to PDF bytes."""
    from weasyprint import HTML

    context = {**context, "sections": without_empty_rows(context["sections"])}
    html = render_to_string("reports/pdf.html", context)
    config, stylesheet = _fonts()
    with collector_paused():
        return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=config)
