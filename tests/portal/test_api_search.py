"""`?search=` on the API lists."""

import pytest

from tests.factories import MemberUnitFactory


@pytest.mark.django_db
def test_a_nul_character_in_search_is_dropped_not_a_400(staff_api):
    MemberUnitFactory(name="申城生物科技有限公司")
    MemberUnitFactory(name="浦江物流有限公司")
    response = staff_api.get("/api/v1/units/", {"search": "申城\x00生物"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["申城生物科技有限公司"]
