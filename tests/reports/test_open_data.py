"""Open data (issue 18.4): the public datasets as CSV and JSON with a data dictionary, built by a
daily task or a command, listed on a public page with their dates and sizes, never personal data."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.opendata import DATASETS, open_data_build
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    DemandFactory,
    MembershipFactory,
    MemberUnitFactory,
    ServiceStationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_earlier_build():
    """The test profile's storage lives as long as the process: start each test without a build."""
    from django.core.files.storage import default_storage

    from reports.opendata import INDEX, path_of

    for path in [INDEX, *(path_of(d.slug, f) for d in DATASETS for f in ("csv", "json"))]:
        if default_storage.exists(path):
            default_storage.delete(path)


@pytest.fixture
def network(region):
    unit = MemberUnitFactory(
        name="上海示范科技有限公司", region=region, contact_phone="13912345678",
        contact_email="secret.contact@example.org",
    )  # fmt: skip
    UserFactory(username="contact-person", unit=unit, email="person@example.org")
    alliance = AllianceFactory(name="示范产业党建联盟", lead_unit=unit, description="示范")
    MembershipFactory(alliance=alliance, unit=unit)
    ServiceStationFactory(name="公开的服务站", region=region, opening_hours="周一至周五 9:00-17:00")
    ServiceStationFactory(name="内部服务点", region=region, is_public=False)
    ServiceStationFactory(name="已关闭的服务站", region=region, is_open=False)
    ActivityFactory(region=region, held_on=datetime.date(2026, 8, 3), participant_count=40)
    ActivityFactory(region=region, held_on=datetime.date(2026, 9, 30), participant_count=10)
    ActivityFactory(
        region=region, held_on=datetime.date(2026, 10, 1), participant_count=5, party_member_count=2
    )
    demand = DemandFactory(unit=unit, title="不应公开的诉求标题")
    return {"unit": unit, "alliance": alliance, "region": region, "demand": demand}


def _csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_build_writes_each_dataset_as_csv_and_json_with_its_dictionary(client, network):
    entries = open_data_build()
    assert [e["slug"] for e in entries] == [d.slug for d in DATASETS]
    stations = _csv_rows(client.get("/open-data/stations.csv"))
    assert [s["name"] for s in stations] == ["公开的服务站"]  # neither the private nor the closed
    assert stations[0]["opening_hours"] == "周一至周五 9:00-17:00"
    body = client.get("/open-data/stations.json")
    data = json.loads(b"".join(body.streaming_content))
    assert [f["name"] for f in data["fields"]] == list(stations[0])
    assert data["rows"][0]["region_code"] == network["region"].code
    alliances = _csv_rows(client.get("/open-data/alliances.csv"))
    assert alliances == [
        {
            "id": str(network["alliance"].pk),
            "name": "示范产业党建联盟",
            "kind": network["alliance"].get_kind_display(),
            "lead_unit": "上海示范科技有限公司",
            "founded_on": network["alliance"].founded_on.isoformat()
            if network["alliance"].founded_on
            else "",
            "member_units": "1",
            "description": "示范",
        }
    ]
    quarters = {r["period"]: r for r in _csv_rows(client.get("/open-data/street-quarters.csv"))}
    assert (quarters["2026Q3"]["activities"], quarters["2026Q3"]["participants"]) == ("2", "50")
    assert quarters["2026Q4"]["activities"] == "1"
    raised = timezone.localdate(network["demand"].created_at)
    period = f"{raised.year}Q{(raised.month - 1) // 3 + 1}"
    assert quarters[period]["demands_raised"] == "1"


def test_no_dataset_holds_personal_data_or_a_single_demand(client, network):
    open_data_build()
    everything = b""
    for dataset in DATASETS:
        for fmt in ("csv", "json"):
            response = client.get(f"/open-data/{dataset.slug}.{fmt}")
            everything += b"".join(response.streaming_content)
    text = everything.decode("utf-8-sig")
    for secret in ("13912345678", "secret.contact@example.org", "person@example.org",
                   "contact-person", "不应公开的诉求标题", "内部服务点"):  # fmt: skip
        assert secret not in text, secret


def test_the_public_page_lists_dates_sizes_and_the_dictionary_to_anyone(client, network):
    empty = client.get("/open-data/")
    assert empty.status_code == 200 and 'data-testid="no-datasets"' in empty.content.decode()
    assert client.get("/open-data/stations.csv").status_code == 404
    call_command("build_open_data")
    page = client.get("/open-data/").content.decode()
    for dataset in DATASETS:
        assert f'data-testid="dataset-{dataset.slug}"' in page
    assert "opening_hours" in page and "CSV · " in page
    assert client.get("/open-data/stations.xml").status_code == 404
    assert client.get("/open-data/users.csv").status_code == 404


def test_beat_builds_the_open_data_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["build-open-data"]
    assert entry["task"] == "reports.tasks.build_open_data"
    from reports.tasks import build_open_data

    assert build_open_data.run()["datasets"] == len(DATASETS)


def test_the_street_figures_take_a_constant_number_of_queries(
    network, django_assert_max_num_queries
):
    from reports.opendata import BY_SLUG

    for _ in range(5):
        ActivityFactory(region=network["region"])
    with django_assert_max_num_queries(4):
        list(BY_SLUG["street-quarters"].rows())
