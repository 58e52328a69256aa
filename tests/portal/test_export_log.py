"""Every XLSX download of personal data leaves a record (who, when, which, filter, rows)."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.accounts.models import ExportRecord
from tests.factories import (
    ActivityFactory,
    InvitationFactory,
    MeetingFactory,
    MemberUnitFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOG = "/accounts/exports/"


def sheet_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def units(region):
    inside = [
        MemberUnitFactory(name=f"虹桥单位{i}", region=region, key_target=True) for i in range(3)
    ]
    MemberUnitFactory(name="虹桥非重点单位", region=region, key_target=False)
    outside = MemberUnitFactory(
        name="外区单位",
        region__code="310104003",
        contact_phone="13800001111",
        contact_email="wai@example.org",
        key_target=True,
    )
    return inside, outside


def test_a_secretarys_export_creates_one_record_with_user_name_filter_and_rows(
    client, secretary_user, units
):
    client.force_login(secretary_user)
    params = {"format": "xlsx", "key_target": "true", "q": "单位"}
    response = client.get(reverse("members:unit-list"), params)
    assert response.status_code == 200
    exported = sheet_rows(response)[1:]
    assert len(exported) == 4  # three key targets inside the region and the one outside

    record = ExportRecord.objects.get()
    assert record.user == secretary_user
    assert record.name == "units"
    assert record.path == reverse("members:unit-list")
    assert record.query_string == urlencode(params)
    assert record.row_count == 4
    assert timezone.now() - record.created_at < datetime.timedelta(minutes=1)


def test_an_api_export_is_recorded_too_and_masks_contacts_outside_the_scope(
    client, secretary_user, units
):
    _inside, outside = units
    client.force_login(secretary_user)  # the API's session authentication
    response = client.get("/api/v1/units/export/", {"key_target": "true"})
    assert response.status_code == 200
    rows = {row[0]: row for row in sheet_rows(response)[1:]}
    assert rows[outside.name][12] == "138****1111"
    assert rows[outside.name][13] == "w***@example.org"
    assert "@" in rows["虹桥单位0"][13] and "*" not in rows["虹桥单位0"][13]
    record = ExportRecord.objects.get()
    assert (record.user, record.name, record.path, record.query_string, record.row_count) == (
        secretary_user,
        "units",
        "/api/v1/units/export/",
        "key_target=true",
        4,
    )


def test_an_empty_export_is_recorded_with_zero_rows(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("services:activity-list"), {"format": "xlsx"})
    assert len(sheet_rows(response)) == 1
    assert ExportRecord.objects.get().row_count == 0


def test_the_minutes_below_an_attendance_list_are_not_counted_as_rows(client, staff_user):
    meeting = MeetingFactory(organizer=staff_user, minutes="纪要", decisions="决定")
    InvitationFactory.create_batch(2, meeting=meeting)
    client.force_login(staff_user)
    response = client.get(reverse("alliances:meeting-export", args=[meeting.pk]))
    rows = sheet_rows(response)
    assert any(row and row[1] == "纪要" for row in rows)
    record = ExportRecord.objects.get()
    assert record.name == f"meeting-{meeting.pk}-attendance" and record.row_count == 2


def test_a_refused_export_leaves_no_record(client, unit_user):
    client.force_login(unit_user)
    response = client.get(reverse("services:station-list"), {"format": "xlsx"})
    assert response.status_code == 403
    assert not ExportRecord.objects.exists()


def make_records(users, n: int) -> None:
    ExportRecord.objects.bulk_create(
        ExportRecord(
            user=users[i % len(users)],
            name="units" if i % 2 else "demands",
            path="/units/",
            query_string="format=xlsx&q=%E8%99%B9",
            row_count=i,
        )
        for i in range(n)
    )


class TestLogPage:
    def test_district_staff_see_every_users_records_others_get_403(
        self, client, staff_user, secretary_user, unit_user
    ):
        make_records([secretary_user, unit_user], 4)
        assert client.get(LOG).status_code == 302
        for user in (secretary_user, unit_user):
            client.force_login(user)
            assert client.get(LOG).status_code == 403
        client.force_login(staff_user)
        response = client.get(LOG)
        assert response.status_code == 200
        assert {r.user for r in response.context["records"]} == {secretary_user, unit_user}
        html = response.content.decode()
        assert html.count('data-testid="export-row"') == 4
        assert "format=xlsx&amp;q=虹" in html  # the filter as it was typed

    def test_filters_by_user_export_and_date(self, client, staff_user, secretary_user, unit_user):
        make_records([secretary_user, unit_user], 6)
        old = ExportRecord.objects.create(
            user=unit_user,
            name="units",
            path="/units/",
            row_count=1,
            created_at=timezone.now() - datetime.timedelta(days=40),
        )
        client.force_login(staff_user)

        def listed(**params):
            return {r.pk for r in client.get(LOG, params).context["records"]}

        by_secretary = set(
            ExportRecord.objects.filter(user=secretary_user).values_list("pk", flat=True)
        )
        assert listed(user=secretary_user.username.upper()) == by_secretary
        assert listed(name="unit") == set(
            ExportRecord.objects.filter(name="units").values_list("pk", flat=True)
        )
        cutoff = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        assert old.pk not in listed(exported_after=cutoff)
        assert listed(exported_before=cutoff) == {old.pk}

    def test_a_bad_date_is_a_form_error_not_a_500(self, client, staff_user, unit_user):
        make_records([unit_user], 2)
        client.force_login(staff_user)
        response = client.get(LOG, {"exported_after": "yesterday"})
        assert response.status_code == 200
        assert list(response.context["records"]) == []
        assert "exported_after" in response.context["filter"].errors

    def test_query_count_does_not_grow_with_the_rows(
        self, client, staff_user, unit_user, django_assert_num_queries
    ):
        make_records([unit_user], 2)
        client.force_login(staff_user)
        # Session, user, count, the page of records with their users.
        with django_assert_num_queries(4):
            client.get(LOG)
        make_records([UserFactory(username=f"exporter{i}") for i in range(5)] + [unit_user], 40)
        with django_assert_num_queries(4):
            response = client.get(LOG)
        assert len(response.context["records"]) == 42


def test_the_admin_lists_records_but_nobody_adds_changes_or_deletes_them(client, unit_user):
    make_records([unit_user], 1)
    record = ExportRecord.objects.get()
    client.force_login(StaffFactory(username="log-admin", is_superuser=True))
    changelist = client.get(reverse("admin:accounts_exportrecord_changelist"))
    assert changelist.status_code == 200 and "demands" in changelist.content.decode()
    assert client.get(reverse("admin:accounts_exportrecord_add")).status_code == 403
    change = reverse("admin:accounts_exportrecord_change", args=[record.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.post(change, {"name": "tampered", "row_count": 0})
    delete = client.post(
        reverse("admin:accounts_exportrecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    record.refresh_from_db()
    assert record.name == "demands" and record.row_count == 0


def test_an_activity_export_by_api_names_its_export(client, staff_user):
    ActivityFactory.create_batch(3)
    client.force_login(staff_user)
    response = client.get("/api/v1/activities/export/")
    assert len(sheet_rows(response)) == 4
    record = ExportRecord.objects.get()
    assert (record.user, record.name, record.row_count) == (staff_user, "activities", 3)
