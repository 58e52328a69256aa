"""The Content-Security-Policy holds in Chromium: the pages' own scripts and styles break none of its rules."""

import pytest

from services.models import ServiceStation
from tests.factories import AllianceFactory, ServiceStationFactory
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/dashboard/",
    "/alliances/",
    "/units/",
    "/services/stations/",
    "/services/activities/new/",
    "/services/demands/",
    "/services/projects/",
    "/reports/",
    "/api/docs/",
]


def test_no_page_breaks_the_content_security_policy(page, staff_user, region):
    AllianceFactory(name="生物医药产业党建联盟")
    ServiceStationFactory(name="欣虹空间", region=region, latitude="31.19", longitude="121.32")
    assert ServiceStation.objects.exists()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    for path in PAGES:
        response = page.goto(path, timeout=30_000)
        assert response.status < 400, path
        page.wait_for_load_state("networkidle", timeout=30_000)
    assert violations == []
