"""A first install without the demo (issue 17.5): `load_regions` loads the official divisions of a
province or city down to its streets and towns, idempotently, so that staff can create units,
stations and demands at once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from portal.regions.actions import regions_load
from portal.regions.choices import RegionLevel
from portal.regions.models import Region
from tests.factories import SubdistrictFactory

pytestmark = pytest.mark.django_db


def test_shanghai_loads_its_16_districts_and_its_streets_and_towns_below_the_municipality():
    result = regions_load(code="310000")
    shanghai = Region.objects.get(code="310000")
    assert (shanghai.name, shanghai.level, shanghai.parent) == ("上海市", "province", None)
    districts = Region.objects.filter(level=RegionLevel.DISTRICT)
    assert districts.count() == 16
    assert set(districts.values_list("parent__code", flat=True)) == {"310000"}
    pudong = Region.objects.get(code="310115")
    assert pudong.name == "浦东新区"
    streets = Region.objects.filter(level=RegionLevel.SUBDISTRICT)
    assert streets.count() > 200
    lujiazui = Region.objects.get(code="310115005")
    assert (lujiazui.name, lujiazui.parent, lujiazui.path) == (
        "陆家嘴街道",
        pudong,
        "310000/310115/310115005/",
    )
    assert len(result.created) == 1 + 16 + streets.count()
    assert not Region.objects.filter(level=RegionLevel.CITY).exists()  # no "市辖区" placeholder


def test_loading_again_changes_nothing_and_a_renamed_street_gets_its_official_name():
    regions_load(code="31")
    count = Region.objects.count()
    Region.objects.filter(code="310115005").update(name="旧名")
    grid = SubdistrictFactory(code="310115005-G01", name="自建网格", level="grid",
                              parent=Region.objects.get(code="310115005"))  # fmt: skip
    again = regions_load(code="310000")
    assert Region.objects.count() == count + 1  # the grid stays; nothing is added twice
    assert [r.code for r in again.renamed] == ["310115005"]
    assert again.created == [] and again.unchanged == count - 1
    assert Region.objects.get(code="310115005").name == "陆家嘴街道"
    assert Region.objects.get(pk=grid.pk).parent.code == "310115005"


def test_a_city_of_a_province_loads_with_the_city_level():
    regions_load(code="440100")
    guangzhou = Region.objects.get(code="440100")
    assert (guangzhou.name, guangzhou.level, guangzhou.parent.code) == ("广州市", "city", "440000")
    tianhe = Region.objects.get(code="440106")
    assert (tianhe.name, tianhe.parent) == ("天河区", guangzhou)
    assert Region.objects.filter(parent=tianhe, level=RegionLevel.SUBDISTRICT).count() > 10
    assert not Region.objects.filter(code="440300").exists()  # only the city asked for


def test_the_command_says_what_it_did_and_refuses_codes_it_cannot_load(capsys):
    call_command("load_regions", "310000")
    out = capsys.readouterr().out
    assert "310000" in out and "2023" in out
    for bad, words in (
        ("310115", "310100"),
        ("990000", "990000"),
        ("abc", "310000"),
        ("319900", "319900"),
    ):
        with pytest.raises(CommandError) as refused:
            call_command("load_regions", bad)
        assert words in str(refused.value), (bad, str(refused.value))


# --- communities and grids by XLSX --------------------------------------------------------------


def _xlsx(rows, header=("代码*", "名称*", "层级*", "上级代码*")) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("regions.xlsx", buffer.getvalue())


@pytest.fixture
def shanghai():
    regions_load(code="310000")


def test_staff_import_communities_and_grids_below_a_street_from_the_template(
    client, staff_user, shanghai
):
    client.force_login(staff_user)
    template = client.get("/regions/import/template/")
    workbook = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in workbook.active[1]] == ["代码*", "名称*", "层级*", "上级代码*"]
    response = client.post(
        "/regions/import/",
        {
            "file": _xlsx(
                [
                    (
                        "示例：310115005-C01",
                        "示例",
                        "社区",
                        "310115005",
                    ),  # the template's example row
                    ("310115005-C01", "陆家嘴第一居民区", "社区", "310115005"),
                    (
                        "310115005-G01",
                        "东昌片区",
                        "网格",
                        "310115005-C01",
                    ),  # parent in an earlier row
                    ("310115005-G02", "梅园片区", "网格", "310115005"),
                ]
            )
        },
    )
    assert response.status_code == 200
    assert 'data-testid="import-success"' in response.content.decode()
    grid = Region.objects.get(code="310115005-G01")
    assert (grid.level, grid.parent.code, grid.path) == (
        "grid",
        "310115005-C01",
        "310000/310115/310115005/310115005-C01/310115005-G01/",
    )
    assert Region.objects.filter(code__startswith="310115005-").count() == 3


def test_one_wrong_row_refuses_the_file_and_names_every_reason(client, staff_user, shanghai):
    client.force_login(staff_user)
    before = Region.objects.count()
    response = client.post(
        "/regions/import/",
        {
            "file": _xlsx(
                [
                    ("310115005-C01", "陆家嘴第一居民区", "社区", "310115005"),
                    ("310115005-C01", "重复", "社区", "310115005"),
                    ("310115", "浦东", "社区", "310000"),
                    ("bad code!", "", "小区", "999"),
                    ("310115005-C09", "区下的社区", "社区", "310115"),
                ]
            )
        },
    )
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {
        (3, "代码"),
        (4, "代码"),
        (4, "上级代码"),  # a community below a province
        (5, "代码"),
        (5, "名称"),
        (5, "层级"),
        (5, "上级代码"),
        (6, "上级代码"),  # a community below a district
    }
    assert Region.objects.count() == before


def test_a_file_that_is_not_the_template_is_a_form_error(client, staff_user, shanghai):
    client.force_login(staff_user)
    not_xlsx = SimpleUploadedFile("regions.xlsx", b"not a workbook")
    response = client.post("/regions/import/", {"file": not_xlsx})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    other = client.post("/regions/import/", {"file": _xlsx([], header=("名称", "代码"))})
    assert other.status_code == 400 and "代码" in str(other.context["form"].errors["file"])


def test_only_district_staff_import(client, secretary_user):
    client.force_login(secretary_user)
    assert client.get("/regions/import/").status_code == 403
    assert client.get("/regions/import/template/").status_code == 403


# --- setup -------------------------------------------------------------------------------------


def test_setup_loads_the_regions_creates_the_first_staff_and_says_what_next(capsys, monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("SETUP_PASSWORD", "Erste-Anmeldung-2026")
    call_command("setup", "--regions", "310000", "--username", "admin", "--email", "a@example.org")
    out = capsys.readouterr().out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_district_staff and admin.check_password("Erste-Anmeldung-2026")
    assert Region.objects.filter(level=RegionLevel.SUBDISTRICT).count() > 200
    assert "/accounts/login/" in out and "/regions/import/" in out
    # Again: nothing doubles, the account is left alone.
    call_command("setup", "--regions", "310000", "--username", "admin")
    assert get_user_model().objects.filter(username="admin").count() == 1
    monkeypatch.setenv("SETUP_PASSWORD", "123")
    with pytest.raises(CommandError):  # Django's password validators
        call_command("setup", "--username", "second")
    assert not get_user_model().objects.filter(username="second").exists()


def test_the_api_imports_communities_and_grids_for_district_staff(
    shanghai, staff_api, secretary_api
):

    good = _xlsx([("310115005-C01", "陆家嘴第一居民区", "社区", "310115005")])
    response = staff_api.post("/api/v1/regions/import/", {"file": good}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json() == {"created": 1, "rows": 1}
    assert Region.objects.get(code="310115005-C01").parent.code == "310115005"
    wrong = _xlsx([("310115005-C01", "重复", "社区", "310115005")])
    refused = staff_api.post("/api/v1/regions/import/", {"file": wrong}, format="multipart")
    assert refused.status_code == 400
    assert [e["attr"] for e in refused.json()["errors"]] == ["file"]
    assert "2: 代码" in refused.json()["errors"][0]["detail"]
    again = _xlsx([("310115005-C02", "另一个居民区", "社区", "310115005")])
    assert (
        secretary_api.post(
            "/api/v1/regions/import/", {"file": again}, format="multipart"
        ).status_code
        == 403
    )
    assert not Region.objects.filter(code="310115005-C02").exists()
