"""Filters by a related row's id refuse numbers no database column can hold (400, never a 500)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/unit-changes/", "unit"),
        ("/api/v1/activities/", "organizer"),
        ("/api/v1/stations/", "operator"),
    ],
)
@pytest.mark.parametrize("value", ["99999999999999999999999", "0", "-3", "1.5", "abc"])
def test_an_id_filter_refuses_what_no_row_can_have(staff_api, url, param, value):
    response = staff_api.get(url, {param: value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == param


@pytest.mark.django_db
def test_an_id_filter_accepts_a_plain_id(staff_api):
    assert staff_api.get("/api/v1/unit-changes/", {"unit": "12"}).status_code == 200
