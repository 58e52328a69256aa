"""/api/v1/reports/: the reports a token's user may read, and their indicators for data screens."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.choices import ReportScope
from reports.indicators import Scope, quarter_indicators
from reports.models import QuarterlyReport
from tests.factories import AllianceFactory, UserFactory

from .conftest import Q3
from .helpers import small_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(streets):
    network = small_network(streets)
    district = QuarterlyReport.objects.create(
        scope=ReportScope.DISTRICT,
        year=2026,
        quarter=3,
        indicators=quarter_indicators(Scope.district(), Q3),
    )
    mine = QuarterlyReport.objects.create(
        scope=ReportScope.ALLIANCE, alliance=network.alliance, year=2026, quarter=3
    )
    QuarterlyReport.objects.create(
        scope=ReportScope.ALLIANCE, alliance=AllianceFactory(), year=2026, quarter=3
    )
    QuarterlyReport.objects.create(scope=ReportScope.DISTRICT, year=2026, quarter=2)
    return {"network": network, "district": district, "mine": mine}


def test_the_list_is_scoped_filtered_and_carries_no_indicators(reports, staff_api, api_client):
    rows = staff_api.get("/api/v1/reports/").json()["results"]
    assert len(rows) == 4
    assert [r["period"] for r in rows] == ["2026Q3", "2026Q3", "2026Q3", "2026Q2"]
    assert "indicators" not in rows[0]
    district = staff_api.get("/api/v1/reports/", {"scope": "district", "year": 2026, "quarter": 3})
    assert [r["id"] for r in district.json()["results"]] == [reports["district"].pk]
    row = district.json()["results"][0]
    assert row["html_url"].endswith(f"/reports/{reports['district'].pk}/")
    # No file yet, no address (following it would find nothing); once built, the address.
    assert (row["xlsx_url"], row["pdf_url"]) == (None, None)
    reports["district"].xlsx.save("district.xlsx", ContentFile(b"PK"), save=True)
    row = staff_api.get(f"/api/v1/reports/{reports['district'].pk}/").json()
    assert row["xlsx_url"].endswith(f"/reports/{reports['district'].pk}/xlsx/")
    assert row["pdf_url"] is None
    assert staff_api.get("/api/v1/reports/", {"quarter": 7}).status_code == 400
    assert api_client.get("/api/v1/reports/").status_code == 401


def test_a_report_returns_its_indicators_as_json(reports, staff_api):
    body = staff_api.get(f"/api/v1/reports/{reports['district'].pk}/").json()
    figures = body["indicators"]["sections"]["demands"]["figures"]
    assert figures["collected"] == {"value": 4, "previous": 2, "change": 2, "change_rate": 100.0}
    assert figures["resolution_rate"]["value"] == 75.0
    assert body["indicators"]["sections"]["projects"]["figures"]["contract_amount"]["value"] == (
        "125000.50"
    )
    assert body["indicators"]["trend"]["months"][-1] == "2026-09"


def test_a_unit_contact_reads_only_their_alliances_reports(reports):
    from tests.helpers import client_for

    contact = client_for(UserFactory(unit=reports["network"].member))
    rows = contact.get("/api/v1/reports/").json()["results"]
    assert [r["id"] for r in rows] == [reports["mine"].pk]
    assert contact.get(f"/api/v1/reports/{reports['district'].pk}/").status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(reports, staff_api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_api.get("/api/v1/reports/").status_code == 200
        return len(queries)

    before = count()
    for quarter in (1, 4):
        QuarterlyReport.objects.create(
            scope=ReportScope.ALLIANCE, alliance=AllianceFactory(), year=2025, quarter=quarter
        )
    assert count() == before


def test_the_api_writes_nothing(reports, staff_api):
    assert staff_api.post("/api/v1/reports/", {}).status_code == 405
    assert staff_api.delete(f"/api/v1/reports/{reports['district'].pk}/").status_code == 405
