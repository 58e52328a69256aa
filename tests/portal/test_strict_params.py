"""Query parameters that the schema says are invalid are refused with a 400 naming them (issue 23.6):
a client finds its mistake instead of getting the default page size or an unfiltered list."""

import django_filters
import pytest

from portal.core.filters import IsoDateFilter
from tests.factories import MemberUnitFactory
from tests.helpers import error_details

pytestmark = pytest.mark.django_db

OURS = {"portal", "alliances", "members", "services", "reports"}
LISTS = ("/api/v1/units/", "/api/v1/demands/", "/api/v1/meetings/", "/api/v1/activities/")


@pytest.mark.parametrize("value", ["null", "abc", "0", "-5", "2.5", "١٠"])
@pytest.mark.parametrize("name", ["page_size", "page"])
def test_a_page_or_page_size_that_is_no_whole_number_from_1_is_a_400_naming_it(
    staff_api, name, value
):
    for url in LISTS:
        response = staff_api.get(url, {name: value})
        assert list(error_details(response)) == [name], (url, response.content)


def test_good_page_parameters_still_page_and_a_too_large_size_is_capped(staff_api, region):
    MemberUnitFactory.create_batch(3, region=region)
    body = staff_api.get("/api/v1/units/", {"page_size": 2, "page": 2}).json()
    assert len(body["results"]) == 1 and body["previous"]
    assert len(staff_api.get("/api/v1/units/", {"page_size": 10_000}).json()["results"]) == 3
    assert staff_api.get("/api/v1/units/", {"page": "last", "page_size": 2}).status_code == 200
    assert staff_api.get("/api/v1/units/", {"page_size": ""}).status_code == 200
    # A page past the end is still "not found", as DRF has it.
    assert staff_api.get("/api/v1/units/", {"page": 99}).status_code == 404


@pytest.mark.parametrize("value", ["12/01/2026", "2026/12/01", "2026年12月1日", "20261201"])
def test_a_date_filter_takes_only_iso_dates(staff_api, value):
    response = staff_api.get("/api/v1/demands/", {"raised_after": value})
    assert error_details(response)["raised_after"]
    assert staff_api.get("/api/v1/demands/", {"raised_after": "2026-12-01"}).status_code == 200


def _filtersets(cls=django_filters.FilterSet):
    for sub in cls.__subclasses__():
        yield sub
        yield from _filtersets(sub)


def test_every_date_filter_of_every_filterset_is_iso_only():
    import portal.urls  # noqa: F401  (every app's views, and so every FilterSet, loaded)

    ours = [f for f in _filtersets() if f.__module__.split(".")[0] in OURS]
    assert len(ours) > 10
    loose = [
        f"{filterset.__name__}.{name}"
        for filterset in ours
        for name, field in filterset.base_filters.items()
        if isinstance(field, django_filters.DateFilter) and not isinstance(field, IsoDateFilter)
    ]
    assert not loose


def test_the_schema_says_where_page_parameters_start(staff_api):
    schema = staff_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]
    }
    assert parameters["page"]["minimum"] == 1
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 500)
