import datetime

import pytest

from reports.periods import Quarter
from tests.factories import RegionFactory

Q3 = Quarter(2026, 3)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    """A moment in Shanghai time."""
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


class Streets:
    """Pudong with two streets; the first has a community with a grid."""

    def __init__(self) -> None:
        shanghai = RegionFactory(code="310000", name="上海市")
        self.pudong = RegionFactory(
            code="310115", name="浦东新区", level="district", parent=shanghai
        )
        self.s1 = RegionFactory(
            code="310115004", name="潍坊新村街道", level="subdistrict", parent=self.pudong
        )
        self.s2 = RegionFactory(
            code="310115005", name="陆家嘴街道", level="subdistrict", parent=self.pudong
        )
        self.c1 = RegionFactory(
            code="310115004001", name="泉东居委", level="community", parent=self.s1
        )
        self.g1 = RegionFactory(
            code="310115004001-G1", name="泉东一网格", level="grid", parent=self.c1
        )


@pytest.fixture
def streets(db) -> Streets:
    return Streets()
