"""Issue 24.7 on a 390×844 Chromium: list rows are cards, not eight squeezed columns; the filters fold
behind the 筛选 button; the station page shows its map before the filters."""

import pytest

from tests.factories import DemandFactory, MemberUnitFactory, ServiceStationFactory
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "社区养老服务站需要志愿者协助周末活动"
VISIBLE_CELL_WIDTHS = """cells => cells
    .filter(cell => cell.getClientRects().length > 0)
    .map(cell => cell.getBoundingClientRect().width)"""


def height(locator) -> float:
    box = locator.bounding_box()
    return 0 if box is None else box["height"]


def test_the_demand_list_and_the_station_map_fit_a_phone(phone, staff_user, region):  # noqa: F811
    unit = MemberUnitFactory(name="新虹社区服务中心", region=region)
    DemandFactory.create_batch(3, unit=unit, region=region, title=TITLE)
    ServiceStationFactory(
        name="欣虹空间", region=region, latitude="31.190000", longitude="121.320000"
    )
    sign_in(phone, "staff-user", "Test-pass-2026")
    phone.wait_for_url("**/")

    phone.goto("/services/demands/")
    table = phone.get_by_test_id("demands")
    widths = table.locator("td").evaluate_all(VISIBLE_CELL_WIDTHS)
    assert widths and min(widths) >= 60, widths
    title = table.locator("tbody tr").first.get_by_text(TITLE)
    line = phone.evaluate("() => parseFloat(getComputedStyle(document.body).lineHeight)")
    assert height(title) <= 2 * line + 2  # the title reads across the card, not a letter a line

    form = phone.get_by_test_id("filters")
    assert height(form) < 200
    assert form.is_hidden()
    toggle = phone.get_by_test_id("filters-toggle")
    assert toggle.inner_text().strip() == "筛选"
    toggle.tap()
    form.wait_for(state="visible")
    phone.wait_for_function(
        "() => !document.querySelector('#filter-panel').classList.contains('collapsing')"
    )
    assert height(form) > 200
    # Regions by name: the select offers the street, whose value is its code.
    assert form.locator("select[name=region] option[value='310112008']").inner_text().strip() == (
        "新虹街道"
    )

    phone.goto("/services/stations/")
    map_box = phone.get_by_test_id("station-map").bounding_box()
    toggle_box = phone.get_by_test_id("filters-toggle").bounding_box()
    assert map_box["y"] + map_box["height"] <= toggle_box["y"]
    assert height(phone.get_by_test_id("filters")) < 200

    # A filter in use leaves the panel open, so that one sees what filters the list.
    phone.goto("/services/demands/?overdue=true")
    assert phone.get_by_test_id("filters").is_visible()
    assert phone.locator("select[name=overdue]").input_value() == "true"


def test_a_unit_is_picked_by_typing_part_of_its_name(page, staff_user, region):
    wanted = MemberUnitFactory(name="新虹社区服务中心", region=region)
    MemberUnitFactory(name="华漕物业公司", region=region)
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto("/services/resources/")
    form = page.get_by_test_id("filters")
    form.locator("select[name=unit] + .ts-wrapper .ts-control").click()
    form.locator("#id_unit-ts-control").fill("社区服务")
    option = page.locator(".ts-dropdown .option", has_text="新虹社区服务中心")
    option.click()
    assert page.locator(".ts-dropdown .option", has_text="华漕物业公司").count() == 0
    form.get_by_role("button", name="筛选").click()
    page.wait_for_url(f"**unit={wanted.pk}**")
    # The page names the unit chosen, not its id.
    assert "新虹社区服务中心" in form.locator("select[name=unit] + .ts-wrapper").inner_text()
