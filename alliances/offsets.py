"""Reminder offsets as people write them: "3d, 2h, 30m" (or 3天 2小时 30分钟); bare numbers are minutes."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

UNITS = {
    "d": 24 * 60,
    "天": 24 * 60,
    "h": 60,
    "小时": 60,
    "时": 60,
    "m": 1,
    "min": 1,
    "分钟": 1,
    "分": 1,
    "": 1,
}
PART = re.compile(r"^(\d{1,6})\s*(d|天|h|小时|时|min|m|分钟|分|)$", re.IGNORECASE)


def parse_offsets(text: str) -> list[int] | None:
    """ "3d, 2h" → [4320, 120]; empty → None. Refuses anything else with a form error."""
    text = (text or "").replace("，", ",").replace("、", ",").strip()
    if not text:
        return None
    minutes = []
    for part in re.split(r"[,\s;；]+", text):
        if not part:
            continue
        match = PART.match(part.strip())
        if match is None:
            raise forms.ValidationError(
                _(
                    "Write offsets like “3d, 2h, 30m” (days, hours, minutes); “%(part)s” is not one."
                ),
                code="invalid",
                params={"part": part},
            )
        minutes.append(int(match.group(1)) * UNITS[match.group(2).lower()])
    return minutes


def format_offsets(offsets: list[int] | None) -> str:
    """[4320, 120] → "3d, 2h" (the shortest exact unit for each)."""
    parts = []
    for value in offsets or []:
        if value % (24 * 60) == 0:
            parts.append(f"{value // (24 * 60)}d")
        elif value % 60 == 0:
            parts.append(f"{value // 60}h")
        else:
            parts.append(f"{value}m")
    return ", ".join(parts)
