"""The station map in real Chromium: markers drawn from the page's own data while the tile server is
unreachable (as on an intranet), and only for stations the visitor may see."""

import pytest

from tests.factories import ActivityFactory
from tests.portal.test_browser import sign_in
from tests.services.test_stations import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(region, settings):
    assert settings.MAP_TILE_URL.startswith("http://127.0.0.1:9/")
    return make_world(region)


def test_the_public_map_shows_markers_of_public_stations_without_tiles(page, world):
    errors, tiles = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda request: tiles.append(request.url))
    page.goto("/services/stations/")
    page.get_by_test_id("station-map").wait_for()
    marker = page.locator('img.leaflet-marker-icon[title="欣虹空间"]')
    marker.wait_for()
    assert marker.get_attribute("data-testid") == "station-marker"
    assert page.locator('img.leaflet-marker-icon[title="七宝镇企业服务站"]').count() == 1
    # Neither the non-public nor the closed station has a marker; the one without coordinates has none.
    assert page.locator('img.leaflet-marker-icon[title="骑手之家"]').count() == 0
    assert page.locator('img.leaflet-marker-icon[title="三林暖新驿站"]').count() == 0
    assert page.get_by_test_id("station-marker").count() == 2
    # The tiles were asked for and failed; nothing else broke.
    assert any(url.startswith("http://127.0.0.1:9/") for url in tiles)
    assert errors == []
    rows = page.get_by_test_id("station-list").get_by_test_id("station-row")
    assert rows.count() == 3
    marker.click()
    link = page.locator(".leaflet-popup").get_by_role("link", name="欣虹空间")
    assert link.get_attribute("href") == world["public"].get_absolute_url()
    # The popup may still be panning the map into view on a loaded machine; follow the link itself.
    with page.expect_navigation(url=f"**{world['public'].get_absolute_url()}"):
        link.evaluate("a => a.click()")
    page.get_by_test_id("station-services").get_by_text("法律援助").wait_for()


def test_the_list_works_without_javascript(chromium, live_server, world):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/services/stations/?service=rest-stop")
    rows = page.get_by_test_id("station-row")
    assert rows.count() == 1 and "欣虹空间" in rows.inner_text()
    context.close()


def test_the_station_page_has_a_small_map_and_its_recent_activities(page, world, region):
    ActivityFactory(station=world["public"], region=region, title="午间欣党课")
    page.goto(world["public"].get_absolute_url())
    page.locator('[data-testid=station-map] img.leaflet-marker-icon[title="欣虹空间"]').wait_for()
    assert "午间欣党课" in page.get_by_test_id("station-activities").inner_text()


def test_a_secretary_sees_the_non_public_station_of_their_street_on_the_map(
    page, world, secretary_user
):
    sign_in(page, "secretary-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.locator("nav a.nav-link[href='/services/stations/']").click()
    page.locator('img.leaflet-marker-icon[title="骑手之家"]').wait_for()
    # The closed station is listed, marked, and its marker drawn faded.
    closed = page.locator('img.leaflet-marker-icon[title="三林暖新驿站"]')
    closed.wait_for()
    assert float(closed.evaluate("el => getComputedStyle(el).opacity")) < 1
    assert page.get_by_test_id("closed-badge").count() == 1
