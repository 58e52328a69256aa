"""Issue 5's journey on a phone-sized Chromium: a secretary logs an activity with a photo at a station,
finds it in the street's list and on the station's page, and the public map shows the station."""

import io
import re

import pytest
from PIL import Image

from services.models import Activity
from tests.factories import ServiceStationFactory
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_secretary_logs_an_activity_with_a_photo_on_a_phone(
    phone, secretary_user, region, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    station = ServiceStationFactory(
        name="欣虹空间", region=region, latitude="31.190000", longitude="121.320000"
    )

    sign_in(phone, "secretary-user", "Test-pass-2026")
    phone.wait_for_url("**/")
    phone.locator(".navbar-toggler").tap()
    phone.get_by_role("link", name="活动", exact=True).tap()
    phone.get_by_test_id("activity-new").tap()

    form = phone.get_by_test_id("activity-form")
    form.locator("[name=activity_type]").select_option("party_lecture")
    form.locator("[name=title]").fill("欣虹空间党课：两新组织党建")
    form.locator("[name=station]").select_option(str(station.pk))
    form.locator("[name=participant_count]").fill("42")
    form.locator("[name=party_member_count]").fill("50")  # more than the participants: refused
    form.get_by_test_id("activity-photos").set_input_files(
        [{"name": "dangke.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    form.get_by_test_id("activity-submit").tap()

    # The wrong count is named, and the photo already chosen is still there.
    form = phone.get_by_test_id("activity-form")
    form.get_by_test_id("error-party_member_count").wait_for()
    assert form.get_by_test_id("pending-photos").locator("img").count() == 1
    assert form.locator("[name=title]").input_value() == "欣虹空间党课：两新组织党建"
    form.locator("[name=party_member_count]").fill("18")
    form.get_by_test_id("activity-submit").tap()

    phone.wait_for_url(re.compile(r".*/services/activities/\d+/$"))
    activity = Activity.objects.get()
    assert (activity.station, activity.region, activity.participant_count) == (station, region, 42)
    assert activity.photos.count() == 1
    assert activity.recorded_by == secretary_user

    phone.goto(f"/services/activities/?region={region.code}")
    assert "欣虹空间党课" in phone.get_by_test_id("activities").inner_text()
    assert "42" in phone.get_by_test_id("activity-totals").inner_text()

    phone.goto(station.get_absolute_url())
    assert "欣虹空间党课" in phone.get_by_test_id("station-activities").inner_text()

    # A visitor who is not signed in finds the station on the public map.
    phone.context.clear_cookies()
    phone.goto("/services/stations/")
    phone.get_by_test_id("station-map").wait_for()
    phone.locator('.leaflet-marker-icon[title="欣虹空间"]').wait_for()
