"""Uploads in a private S3-compatible bucket are handed out, after the portal's permission check, as a
short-lived presigned URL (AWS Signature Version 4, as boto3 makes it); on the file system behind
nginx, as an X-Accel-Redirect. The bucket is moto's server on loopback, spoken to over HTTP."""

import datetime
import io
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reports.actions import quarterly_report_build
from reports.periods import Quarter
from services.actions.activities import activity_create
from services.actions.demands import demand_create
from services.models import ActivityPhoto
from tests.factories import MemberUnitFactory, SubdistrictFactory, UserFactory
from tests.helpers import client_for
from tests.s3 import S3Server

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """A new private bucket, and the portal's uploads kept in it for this test."""
    name = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_options(name)}
    return name


def fetch(url: str) -> tuple[int, bytes, Message]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read(), refused.headers


def stored_bytes(s3_server, bucket: str, name: str) -> bytes:
    return s3_server.client().get_object(Bucket=bucket, Key=name)["Body"].read()


def assert_presigned(response, s3_server, bucket: str, name: str) -> dict:
    """A 302 to a presigned GET of `name` in the bucket, valid 60 seconds; its query."""
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == s3_server.endpoint
    assert location.path == f"/{bucket}/{name}"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Expires"] == "60"
    assert len(query["X-Amz-Signature"]) == 64
    return query


def assert_private(s3_server, bucket: str, name: str) -> None:
    """Nobody reads the object without a signature, and it grants nothing to anyone but its owner."""
    status, _body, _headers = fetch(f"{s3_server.endpoint}/{bucket}/{name}")
    assert status == 403
    grants = s3_server.client().get_object_acl(Bucket=bucket, Key=name)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants] == [None]


def test_an_activity_photo_redirects_its_reader_to_a_presigned_url(
    client, bucket, s3_server, region, staff_user
):
    data = {
        "title": "新虹街道党课",
        "activity_type": "party_lecture",
        "held_on": datetime.date(2026, 11, 1),
        "station": None,
        "place": "社区中心",
        "region": region,
        "alliance": None,
        "organizer": None,
        "participant_count": 12,
        "party_member_count": 4,
        "description": "",
    }
    activity = activity_create(
        by=staff_user, data=data, photos=[ContentFile(_png(), name="合影.png")]
    )
    photo = ActivityPhoto.objects.get(activity=activity)
    name = photo.image.name
    assert photo.image.url == f"/media/{name}"  # pages link to the portal, never to the bucket
    client.force_login(staff_user)
    response = client.get(f"/media/{name}")
    query = assert_presigned(response, s3_server, bucket, name)
    assert query["response-content-type"] == "image/png"
    status, body, headers = fetch(response["Location"])
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert body == stored_bytes(s3_server, bucket, name)
    assert Image.open(io.BytesIO(body)).size == (4, 3)
    assert_private(s3_server, bucket, name)

    client.force_login(UserFactory(unit=MemberUnitFactory(name="别处的企业")))
    refused = client.get(f"/media/{name}")
    assert refused.status_code == 404 and "Location" not in refused


def test_a_demand_attachment_redirects_on_the_page_and_in_the_api_keeping_its_name(
    client, bucket, s3_server, region, secretary_user
):
    contact = UserFactory(unit=MemberUnitFactory(name="申请单位", region=region))
    demand = demand_create(
        by=contact,
        data={"title": "场地", "description": "需要活动场地。", "category": "land_space"},
        attachments=[SimpleUploadedFile("申请.pdf", PDF, "application/pdf")],
    )
    attachment = demand.attachments.get()
    name = attachment.file.name
    page_url = reverse("services:demand-attachment", args=[demand.pk, attachment.pk])
    api_url = f"/api/v1/demands/{demand.pk}/attachments/{attachment.pk}/"
    client.force_login(secretary_user)
    for response, content_type in (
        (client.get(page_url), "application/pdf"),
        (client_for(secretary_user).get(api_url), "application/octet-stream"),
    ):
        query = assert_presigned(response, s3_server, bucket, name)
        assert query["response-content-type"] == content_type
        status, body, headers = fetch(response["Location"])
        assert (status, body) == (200, PDF)
        assert headers["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''%E7%94%B3%E8%AF%B7.pdf" in headers["Content-Disposition"]
    assert_private(s3_server, bucket, name)

    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    stranger = UserFactory(unit=MemberUnitFactory(name="七宝单位", region=qibao))
    client.force_login(stranger)
    for refused in (client.get(page_url), client_for(stranger).get(api_url)):
        assert refused.status_code == 404 and "Location" not in refused


def test_report_files_redirect_with_their_download_names(client, bucket, s3_server, staff_user):
    report = quarterly_report_build(quarter=Quarter(2026, 3))
    client.force_login(staff_user)
    for kind, disposition in (("xlsx", "attachment"), ("pdf", "inline")):
        name = getattr(report, kind).name
        response = client.get(reverse(f"reports:{kind}", args=[report.pk]))
        query = assert_presigned(response, s3_server, bucket, name)
        assert query["response-content-disposition"] == (
            f'{disposition}; filename="2026Q3-district.{kind}"'
        )
        status, body, headers = fetch(response["Location"])
        assert status == 200 and body == stored_bytes(s3_server, bucket, name)
        assert headers["Content-Disposition"] == f'{disposition}; filename="2026Q3-district.{kind}"'
        assert_private(s3_server, bucket, name)
    assert body.startswith(b"%PDF")

    client.force_login(UserFactory(unit=MemberUnitFactory()))
    refused = client.get(reverse("reports:xlsx", args=[report.pk]))
    assert refused.status_code == 404 and "Location" not in refused


def test_a_file_gone_from_the_bucket_is_a_404(client, bucket, s3_server, staff_user):
    report = quarterly_report_build(quarter=Quarter(2026, 3))
    s3_server.client().delete_object(Bucket=bucket, Key=report.xlsx.name)
    client.force_login(staff_user)
    assert client.get(reverse("reports:xlsx", args=[report.pk])).status_code == 404


# --- the file system behind nginx ---------------------------------------------------------------


@pytest.fixture
def accel(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ACCEL_REDIRECT = "/protected/"


def test_with_x_accel_redirect_nginx_sends_the_file_and_the_portal_only_headers(
    client, accel, region, staff_user, secretary_user
):
    from tests.factories import ActivityFactory

    photo = ActivityPhoto.objects.create(
        activity=ActivityFactory(region=region), image=ContentFile(_png(), name="合影.png")
    )
    client.force_login(staff_user)
    response = client.get(f"/media/{photo.image.name}")
    assert response.status_code == 200
    # a header is ASCII: the name is percent-encoded, and nginx decodes it
    assert response["X-Accel-Redirect"] == f"/protected/{quote(photo.image.name)}"
    assert quote(photo.image.name) != photo.image.name
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"

    contact = UserFactory(unit=MemberUnitFactory(region=region))
    demand = demand_create(
        by=contact,
        data={"title": "场地", "description": "需要活动场地。", "category": "land_space"},
        attachments=[SimpleUploadedFile("申请.pdf", PDF, "application/pdf")],
    )
    attachment = demand.attachments.get()
    client.force_login(secretary_user)
    response = client.get(reverse("services:demand-attachment", args=[demand.pk, attachment.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{attachment.file.name}"  # an ASCII name
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")

    attachment.file.storage.delete(attachment.file.name)
    gone = client.get(reverse("services:demand-attachment", args=[demand.pk, attachment.pk]))
    assert gone.status_code == 404 and "X-Accel-Redirect" not in gone
