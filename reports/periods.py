"""Quarters and other date ranges the indicators are counted over, in the portal's time zone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

QUARTER_PATTERN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    """Days from `start` up to, not including, `end`."""

    start: datetime.date
    end: datetime.date

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        return _midnight(self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter {self.quarter} is not 1–4")

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """`2026Q3` (or `2026-Q3`, `2026q3`) → Quarter(2026, 3); ValueError otherwise."""
        match = QUARTER_PATTERN.match(text or "")
        if not match:
            raise ValueError(_("Give a quarter as YYYYQn, e.g. 2026Q3."))
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(timezone.localdate())

    @classmethod
    def last_completed(cls, today: datetime.date | None = None) -> Quarter:
        """The quarter that ended before the one `today` is in: the one a report is due for."""
        return cls.of(today or timezone.localdate()).previous()

    @property
    def label(self) -> str:
        return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.quarter}

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def period(self) -> Period:
        return Period(self.start, self.next().start)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)
        )

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)
        )


def quarter_to_date(today: datetime.date | None = None) -> tuple[Period, Period]:
    """This quarter up to and including `today`, and as many days of the previous quarter.

    The dashboard compares like with like: the first 40 days of this quarter with the first 40 of
    the last (cut at the last quarter's end when it was shorter).
    """
    today = today or timezone.localdate()
    quarter = Quarter.of(today)
    current = Period(quarter.start, today + datetime.timedelta(days=1))
    previous = quarter.previous()
    end = min(previous.start + datetime.timedelta(days=current.days), previous.period.end)
    return current, Period(previous.start, end)


def months_back(last_day: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the `count` months up to and including the month of `last_day`."""
    months = []
    year, month = last_day.year, last_day.month
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]
