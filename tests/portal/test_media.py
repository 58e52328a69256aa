"""Activity photos are served by the portal to the signed-in, as images that cannot run script."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from tests.auth import api_key_for

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def photo():
    name = default_storage.save("activities/7/合影.png", ContentFile(PNG))
    yield name
    default_storage.delete(name)


def test_a_signed_in_user_gets_the_photo_as_a_sandboxed_image(client, staff_user, photo):
    client.force_login(staff_user)
    response = client.get(f"/media/{photo}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]


def test_an_api_token_gets_the_photo_too(client, staff_user, photo):
    key = api_key_for(staff_user)
    response = client.get(f"/media/{photo}", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert client.get(f"/media/{photo}", HTTP_AUTHORIZATION="Token wrong").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, photo):
    response = client.get(f"/media/{photo}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path",
    [
        "demands/1/合同.pdf",  # attachments have their own permission-checked views
        "reports/2026Q3-district.pdf",
        "activities/7/page.html",  # not an image: never served here
        "activities/../demands/1/a.png",
        "activities/7/none.png",
    ],
)
def test_nothing_but_existing_activity_images_is_served(client, staff_user, photo, path):
    default_storage.save("demands/1/a.png", ContentFile(PNG))
    client.force_login(staff_user)
    assert client.get(f"/media/{path}").status_code == 404


def test_a_pending_photo_is_served_to_its_uploader_alone(client, staff_user):
    from services.actions.activities import pending_photo_url, pending_photos_stash
    from tests.factories import StaffFactory

    [token] = pending_photos_stash(by=staff_user, photos=[ContentFile(PNG, name="预览.png")])
    url = pending_photo_url(by=staff_user, token=token)
    assert url.startswith("/media/pending/")
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    client.force_login(StaffFactory(username="someone-else"))
    assert client.get(url).status_code == 404
