"""Counting pages: exact up to the bound; above it, PostgreSQL's estimate, said to be one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.core import pagination
from tests.factories import MemberUnitFactory

pytestmark = pytest.mark.django_db


def test_a_count_within_the_bound_is_exact_and_says_so(staff_api, region):
    MemberUnitFactory.create_batch(12, region=region)
    body = staff_api.get("/api/v1/units/", {"page_size": 5}).json()
    assert body["count"] == 12 and body["count_is_estimate"] is False
    assert len(body["results"]) == 5


def test_above_the_bound_postgresql_estimates_and_other_databases_count(
    staff_api, region, monkeypatch
):
    monkeypatch.setattr(pagination, "EXACT_UP_TO", 10)
    MemberUnitFactory.create_batch(25, region=region)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE members_memberunit")
    body = staff_api.get("/api/v1/units/", {"page_size": 5}).json()
    if connection.vendor == "postgresql":
        assert body["count_is_estimate"] is True
        assert body["count"] > 10  # never below what was already counted
        # The next page remembers that the list is large: no second count of 11 rows.
        with CaptureQueriesContext(connection) as queries:
            again = staff_api.get("/api/v1/units/", {"page_size": 5, "page": 2}).json()
        assert again["count_is_estimate"] is True and again["count"] > 10
        assert not [q for q in queries if "LIMIT 11" in q["sql"]]
        assert [q for q in queries if q["sql"].startswith("EXPLAIN")]
    else:
        assert body == {**body, "count": 25, "count_is_estimate": False}
    assert len(body["results"]) == 5 and body["next"]


def test_a_list_that_cannot_hold_rows_counts_zero(staff_api):
    # A filter on an empty list of values: Django knows the answer without SQL (EmptyResultSet).
    from django.core.paginator import Paginator

    from members.models import MemberUnit

    paginator = pagination.BoundedCountPaginator(MemberUnit.objects.filter(pk__in=[]), 5)
    assert paginator.count == 0 and paginator.count_is_estimate is False
    assert isinstance(paginator, Paginator)
