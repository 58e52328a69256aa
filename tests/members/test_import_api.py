"""POST /api/v1/units/import/ runs the same all-or-nothing import as the page."""

import pytest

from members.models import MemberUnit
from tests.members.test_import import unit_row, wrong_checksum, xlsx_upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/units/import/"


def test_staff_import_a_file_through_the_api(staff_api, region):
    rows = [unit_row(n, region.code) for n in range(3)]
    response = staff_api.post(URL, {"file": xlsx_upload(rows)}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 3, "total_rows": 3}
    assert MemberUnit.objects.filter(name__startswith="导入测试").count() == 3


def test_a_bad_row_refuses_the_file_and_is_named(staff_api, region):
    good, bad = unit_row(1, region.code), unit_row(2, region.code)
    bad["credit_code"] = wrong_checksum(bad["credit_code"])
    response = staff_api.post(URL, {"file": xlsx_upload([good, bad])}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["attr"] == "file"
    assert errors[0]["detail"].startswith("第 3 行")
    assert not MemberUnit.objects.filter(name__startswith="导入测试").exists()


def test_a_file_that_is_not_a_spreadsheet_is_a_400(staff_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("units.xlsx", b"\x89PNG not a sheet", content_type="image/png")
    response = staff_api.post(URL, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "file"


def test_only_staff_import(secretary_api, api_client, region):
    upload = xlsx_upload([unit_row(1, region.code)])
    assert secretary_api.post(URL, {"file": upload}, format="multipart").status_code == 403
    assert api_client.post(URL, {}, format="multipart").status_code == 401
