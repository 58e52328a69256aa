"""Unit search by any part of the name or a credit code's beginning (members/search.py): the same
answers on SQLite and PostgreSQL, where a bigram index serves names of two characters or more."""

import pytest
from django.db import connection

from members.models import MemberUnit
from members.search import name_or_code_search
from tests.factories import MemberUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(region):
    return {
        "bio": MemberUnitFactory(
            name="张江生物医药有限公司", region=region, credit_code="91310115MA1K4AB12X"
        ),
        "bio2": MemberUnitFactory(name="上海生物科技中心", region=region),
        "split": MemberUnitFactory(name="生产物流公司", region=region),  # 生 and 物, never 生物
        "latin": MemberUnitFactory(name="Pudong AI Lab", region=region),
    }


def found(text: str) -> set[str]:
    return set(name_or_code_search(MemberUnit.objects.all(), text).values_list("name", flat=True))


def test_a_two_character_name_search_finds_the_names_holding_it_and_no_others(units):
    assert found("生物") == {"张江生物医药有限公司", "上海生物科技中心"}
    assert found("生物医药") == {"张江生物医药有限公司"}


def test_one_character_latin_case_and_the_credit_code(units):
    assert found("物") == {"张江生物医药有限公司", "上海生物科技中心", "生产物流公司"}
    assert found("ai lab") == {"Pudong AI Lab"}
    assert found("91310115ma1k") == {"张江生物医药有限公司"}


def test_on_postgresql_the_bigram_index_narrows_the_rows(units):
    if connection.vendor != "postgresql":
        pytest.skip("the bigram index is PostgreSQL's; SQLite reads every name")
    sql = str(name_or_code_search(MemberUnit.objects.all(), "生物").query)
    assert "portal_bigrams" in sql
    assert "credit_code" not in sql.split("WHERE", 1)[1], "a Chinese text cannot begin a code"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        query, params = name_or_code_search(
            MemberUnit.objects.all(), "生物"
        ).query.sql_with_params()
        cursor.execute("EXPLAIN " + query, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "unit_name_bigram_idx" in plan
