"""Counting pages without counting every row: exact up to a bound, the planner's estimate above it.

An exact COUNT(*) over the 150,000 units of a district costs more than the page it describes. Up to
`EXACT_UP_TO` rows the count is exact (a count over a LIMIT-ed subquery stops there); above that,
PostgreSQL's planner estimate is used and the paginator says so (`count_is_estimate`). Other
databases always count exactly: they serve the demo and the tests, not a district.

Counting up to the bound still reads 10,001 rows, on every page of a large list. So a list found
to be above the bound is remembered in the cache for `LARGE_FOR` seconds, under a digest of its
SQL: its next pages go straight to the estimate. (An estimate for a few minutes after the list has
shrunk below the bound is still an estimate, and says so.)
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_UP_TO = 10_000
LARGE_FOR = 300  # seconds


def planner_estimate(queryset: QuerySet) -> int:
    """The number of rows PostgreSQL expects `queryset` to return (EXPLAIN, no execution)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class BoundedCountPaginator(Paginator):
    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or connections[queryset.db].vendor != "postgresql":
            return super().count
        rows = queryset.order_by().values("pk")
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # e.g. `.none()`, or a filter on an empty list of values
            return 0
        large_key = "large-list:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        if cache.get(large_key):
            bounded = EXACT_UP_TO + 1
        else:
            bounded = rows[: EXACT_UP_TO + 1].count()
            if bounded <= EXACT_UP_TO:
                return bounded
            cache.set(large_key, True, LARGE_FOR)
        self.count_is_estimate = True
        return max(planner_estimate(rows), bounded)
