"""Every address an API record gives opens with the API's own authentication (issue 18.1).

A program that holds only `Authorization: Token <key>` lists every resource of the schema as each
role, reads each record and its detail, and follows every link on the portal's host that they hold
(pages, report files, photos, attachments, calendars), with the token alone: no link answers with
the sign-in page, and what comes back parses as what it says it is.
"""

import io
import json

import openpyxl
import pytest
from django.core.files.base import ContentFile
from icalendar import Calendar
from openpyxl import Workbook
from PIL import Image
from rest_framework.test import APIClient

from tests.test_permission_matrix import api_as, build_world

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
ROLES = ("staff", "secretary", "lead", "contact")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["指标", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(settings):
    settings.PORTAL_BASE_URL = HOST
    world = build_world()
    # The matrix's files are stand-ins; here each must parse as what it is.
    photo = world["photo"]
    photo.image.save("photo.png", ContentFile(_png()), save=True)
    report = world["alliance_report"]
    report.xlsx.save("report.xlsx", ContentFile(_xlsx()), save=False)
    report.pdf.save("report.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)
    return world


def _list_paths(client) -> list[tuple[str, str | None]]:
    """(list path, detail path or None) of every GET list in the schema that takes no path argument."""
    schema = json.loads(
        client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content
    )
    paths = schema["paths"]
    found = []
    for path, operations in paths.items():
        if "{" in path or "get" not in operations or path.endswith(("/export/", "/schema/")):
            continue
        detail = f"{path}{{id}}/"
        found.append((path, detail if "get" in paths.get(detail, {}) else None))
    return found


def _links(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_links(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_links(item) for item in value))
    if isinstance(value, str) and value.startswith(f"{HOST}/"):
        return {value}
    return set()


def _records(client, path: str) -> list[dict]:
    response = client.get(path)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return []
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else [body]


def _gather(client) -> set[str]:
    links: set[str] = set()
    for path, detail in _list_paths(client):
        for row in _records(client, path):
            links |= _links(row)
            if detail and "id" in row:
                response = client.get(detail.replace("{id}", str(row["id"])))
                if response.status_code == 200:
                    links |= _links(response.json())
    return links


def _check_parses(url: str, response) -> None:
    kind = response["Content-Type"].split(";")[0]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "text/html":
        assert b"<html" in body[:500].lower(), url
    elif kind == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames, url
    elif kind == "application/pdf":
        assert body.startswith(b"%PDF-"), url
    elif kind == "text/calendar":
        assert Calendar.from_ical(body).walk("VEVENT") is not None, url
    elif kind.startswith("image/"):
        Image.open(io.BytesIO(body)).verify()
    elif kind == "application/json":
        json.loads(body)
    else:
        assert body, (url, kind)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_in_every_api_record_opens_with_the_token_alone(world, role):
    links = _gather(api_as(world, role))
    # The records hold pages and files, reports and their files included.
    report = world["alliance_report"]
    assert (
        any(link.endswith(f"/reports/{report.pk}/xlsx/") for link in links) or role == "secretary"
    )
    followed = {}
    for url in sorted(links):
        token_only = api_as(world, role)  # a fresh client: no session, the header alone
        response = token_only.get(url.removeprefix(HOST))
        followed[url] = response.status_code
        if response.status_code == 200:
            _check_parses(url, response)
    assert not {url: s for url, s in followed.items() if s != 200}, followed
    assert len(followed) >= 5


def test_the_reports_files_open_by_token_within_the_records_scope(world):
    report = world["alliance_report"]
    member, stranger = api_as(world, "contact"), api_as(world, "other_contact")
    xlsx = member.get(f"/reports/{report.pk}/xlsx/")
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames
    pdf = member.get(f"/reports/{report.pk}/pdf/")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    # A unit outside the alliance gets what its own records would give: nothing.
    assert stranger.get(f"/reports/{report.pk}/xlsx/").status_code == 404


def test_a_token_that_does_not_sign_in_gets_401_with_the_reason_not_the_sign_in_page(world):
    report = world["alliance_report"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    response = client.get(f"/reports/{report.pk}/xlsx/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.content.decode()  # the reason, in words
    # Without a header the browser is sent to sign in, as before.
    assert APIClient().get(f"/reports/{report.pk}/xlsx/").status_code == 302


def test_a_proxys_basic_header_leaves_the_sign_in_page_alone(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/reports/").status_code == 302


def test_a_token_reads_but_does_not_write_through_the_pages(world):
    """Writes still need a session and its CSRF token: the token signs in GET and HEAD only."""
    from reports.models import QuarterlyReport

    before = QuarterlyReport.objects.count()
    for enforce_csrf in (True, False):
        client = api_as(world, "staff")
        client.handler.enforce_csrf_checks = enforce_csrf
        response = client.post("/reports/build/", {"year": 2026, "quarter": 2, "scope": "district"})
        # Refused by the CSRF check, or (without it) sent to sign in: the token is no session.
        assert response.status_code == 403 or "/accounts/login/" in response["Location"]
    assert QuarterlyReport.objects.count() == before
