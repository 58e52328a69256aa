"""The report page and the dashboard draw their charts in real Chromium from the vendored ECharts."""

import pytest

from reports.actions import quarterly_report_build
from tests.portal.test_browser import sign_in

from .conftest import Q3
from .helpers import small_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_and_the_dashboard_draw_their_charts(page, staff_user, streets):
    small_network(streets)
    report = quarterly_report_build(quarter=Q3)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto(report.get_absolute_url())
    page.locator("[data-testid=chart-trend] canvas").wait_for()
    page.locator("[data-testid=chart-streets] canvas").wait_for()
    assert page.get_by_test_id("headline-activities-count").inner_text() == "3"
    page.goto("/dashboard/")
    page.locator("[data-testid=dashboard-trend] canvas").wait_for()
    page.locator("[data-testid=regions-chart] canvas").wait_for()
    assert errors == []
