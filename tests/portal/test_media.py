"""Activity photos are served by the portal to those who may read the activity, as images that cannot run script."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from services.models import ActivityPhoto
from tests.auth import api_key_for
from tests.factories import (
    ActivityFactory,
    MemberUnitFactory,
    SecretaryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def activity(region):
    return ActivityFactory(title="新虹街道党课", region=region)


@pytest.fixture
def photo(activity):
    saved = ActivityPhoto.objects.create(activity=activity, image=ContentFile(PNG, name="合影.png"))
    yield saved.image.name
    default_storage.delete(saved.image.name)


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
    refused = client.get(f"/media/{photo}", HTTP_AUTHORIZATION="Token wrong")
    assert (refused.status_code, refused["WWW-Authenticate"]) == (401, "Token")


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
        "activities/7/stray.png",  # a file in storage that no activity holds
    ],
)
def test_nothing_but_existing_activity_images_is_served(client, staff_user, photo, path):
    default_storage.save("demands/1/a.png", ContentFile(PNG))
    default_storage.save("activities/7/stray.png", ContentFile(PNG))
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


def test_a_photo_is_served_only_to_those_who_may_read_its_activity(client, region, activity, photo):
    """A unit contact outside the activity's scope holding the link (forwarded, or kept after
    leaving an alliance) gets 404, as for the activity itself; its street's secretary gets it."""
    outsider = UserFactory(unit=MemberUnitFactory(name="别处的企业"))
    own_secretary = SecretaryFactory(region=region)
    for user, status in ((outsider, 404), (own_secretary, 200)):
        client.force_login(user)
        assert client.get(f"/api/v1/activities/{activity.pk}/").status_code == status
        assert client.get(f"/media/{photo}").status_code == status, user
        key = api_key_for(user)
        assert (
            client.get(f"/media/{photo}", HTTP_AUTHORIZATION=f"Token {key}").status_code == status
        )
