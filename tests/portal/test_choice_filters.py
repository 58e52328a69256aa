"""Choice filters on a row's own columns add no DISTINCT (portal/core/filters.ChoicesFilter).

django-filter's MultipleChoiceFilter de-duplicates by default; with select_related that made
PostgreSQL sort whole joined rows for every filtered page (docs/benchmarks.md)."""

import django_filters
import pytest

from alliances.filters import AllianceFilterSet, MeetingFilterSet
from members.filters import MemberUnitFilterSet
from services.filters.demands import DemandFilterSet
from services.models import Demand


def filtersets():
    """Every FilterSet class the apps define."""
    seen, todo = [], [django_filters.FilterSet]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in {"alliances", "members", "services", "portal"}:
                seen.append(sub)
    return seen


def test_every_multiple_choice_filter_is_on_a_column_of_the_row_and_adds_no_distinct():
    found = []
    for filterset in filtersets():
        model = filterset._meta.model
        for name, flt in filterset.base_filters.items():
            if type(flt) is django_filters.MultipleChoiceFilter:
                found.append(f"{filterset.__name__}.{name} is django-filter's (DISTINCT)")
            if isinstance(flt, django_filters.MultipleChoiceFilter) and not flt.distinct:
                field = model._meta.get_field(flt.field_name)
                assert not field.is_relation, f"{filterset.__name__}.{name} crosses a relation"
    assert found == []
    assert {AllianceFilterSet, MeetingFilterSet, MemberUnitFilterSet, DemandFilterSet} <= set(
        filtersets()
    )


@pytest.mark.django_db
def test_a_status_filter_leaves_the_query_without_distinct(db):
    filtered = DemandFilterSet(
        {"status": ["assigned", "accepted"], "category": ["financing"]},
        queryset=Demand.objects.select_related("unit", "region"),
    ).qs
    assert not filtered.query.distinct
    assert "DISTINCT" not in str(filtered.query)
