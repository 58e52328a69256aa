"""Issue 3: 10,000 rows import in under 30 s (run on SQLite by `make test` and on PostgreSQL in CI)."""

import time

import pytest

from members.actions import imports
from members.models import MemberUnit
from tests.members.test_import import unit_row, xlsx_upload


@pytest.mark.django_db
def test_ten_thousand_rows_import_in_under_thirty_seconds(staff_user, region):
    upload = xlsx_upload([unit_row(n, region.code) for n in range(10_000)])
    started = time.monotonic()
    result = imports.import_units(upload, user=staff_user)
    elapsed = time.monotonic() - started
    assert result.ok, result.errors[:3]
    assert result.created == 10_000
    assert MemberUnit.objects.filter(name__startswith="导入测试").count() == 10_000
    assert elapsed < 30, f"{elapsed:.1f} s"
