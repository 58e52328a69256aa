"""One export table per list, declared beside its FilterSet, answered by the page and the API alike."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.accounts.models import ExportRecord
from portal.core.exports import ExportTable
from portal.core.mixins import FilteredListMixin
from services.filters.stations import StationFilterSet
from tests.factories import ResourceOfferFactory, ServiceStationFactory, UserFactory
from tests.helpers import client_for


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content)
    return list(
        load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    )


def _list_views():
    """Every list page class that the URLconf serves through `FilteredListMixin`."""
    from django.urls import get_resolver

    found = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, FilteredListMixin):
                found.add(view_class)

    walk(get_resolver().url_patterns)
    return found


def test_every_exporting_list_declares_its_table_beside_its_filterset():
    tables = {
        view.__name__: getattr(view.filterset_class, "export_table", None) for view in _list_views()
    }
    exporting = {name for name, table in tables.items() if table is not None}
    # The nine lists that offer a download (the lists and the three added since).
    assert {
        "DemandListView",
        "ProjectListView",
        "ActivityListView",
        "ResourceOfferListView",
        "StationListView",
        "AllianceListView",
        "MeetingListView",
        "UnitListView",
        "RegistrationListView",
    } <= exporting
    assert all(isinstance(tables[name], ExportTable) for name in exporting)


@pytest.mark.django_db
def test_page_and_api_answer_the_same_table_and_both_are_logged(staff_client, staff_user):
    ResourceOfferFactory(title="法律咨询志愿服务")
    ResourceOfferFactory(title="场地共享")
    page = _sheet(
        staff_client.get(reverse("services:resource-list"), {"format": "xlsx", "q": "法律"})
    )
    api = _sheet(client_for(staff_user).get("/api/v1/resources/export/", {"q": "法律"}))
    assert page == api
    assert [row[0] for row in page[1:]] == ["法律咨询志愿服务"]
    assert ExportRecord.objects.filter(user=staff_user, row_count=1).count() == 2


@pytest.mark.django_db
def test_a_table_that_names_who_may_download_refuses_everyone_else(client):
    ServiceStationFactory()
    unit_contact = UserFactory()
    table = StationFilterSet.export_table
    assert table.allowed is not None and not table.permits(unit_contact)
    client.force_login(unit_contact)
    assert client.get(reverse("services:station-list"), {"format": "xlsx"}).status_code == 403
    assert client_for(unit_contact).get("/api/v1/stations/export/").status_code == 403
    assert client_for().get("/api/v1/stations/export/").status_code == 401
    assert not ExportRecord.objects.exists()
