"""Each user's channels per kind of notice: the page, the API, and what notice_store does with them."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.notifications.models import NoticeDelivery, NoticePreference
from portal.notifications.notices import notice_preferences, notice_store
from tests.factories import AllianceFactory, SecretaryFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
CONTEXT = {"meeting": {"title": "例会"}, "offset": "1 小时"}


def test_roles_have_defaults_street_secretaries_wecom_and_sms_for_reminders():
    assert notice_preferences(SecretaryFactory())["meeting_reminder"] == ["wecom", "sms"]
    assert notice_preferences(UserFactory())["meeting_reminder"] == ["sms"]


def test_the_page_saves_channels_and_a_valid_mobile_number_and_masks_it(client):
    user = UserFactory(phone="")
    client.force_login(user)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"phone": "13812345678", "wecom_userid": "wang", "kind_meeting_reminder": ["wecom"]},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.phone, user.wecom_userid) == ("13812345678", "wang")
    assert notice_preferences(user)["meeting_reminder"] == ["wecom"]
    assert notice_preferences(user)["meeting_invitation"] == []
    page = client.get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_the_page_refuses_a_number_that_is_not_a_mainland_mobile(client):
    user = UserFactory(phone="13900000001")
    client.force_login(user)
    response = client.post(reverse("notifications:preferences"), {"phone": "12345678901"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.phone == "13900000001"


def test_the_api_reads_and_changes_ones_own_preferences():
    user = UserFactory(phone="13912345678")
    api = APIClient()
    api.force_authenticate(user)
    url = "/api/v1/notice-preferences/"
    body = api.get(url).json()
    assert body["phone"] == "139****5678" and body["preferences"]["meeting_reminder"] == ["sms"]
    answer = api.put(url, {"preferences": {"meeting_reminder": ["wecom", "sms"]}}, format="json")
    assert answer.status_code == 200
    assert answer.json()["preferences"]["meeting_reminder"] == ["sms", "wecom"]
    bad = api.put(url, {"preferences": {"meeting_reminder": ["fax"]}}, format="json")
    assert bad.status_code == 400
    assert api.put(url, {"phone": "1381234"}, format="json").status_code == 400
    assert APIClient().get(url).status_code == 401


def test_the_preferences_api_answers_options_and_takes_null_for_no_change():
    """Found by the schema fuzzing: OPTIONS was a 500 (no object for PUT's metadata), and
    `"preferences": null` a 400 with a code the schema did not list."""
    user = UserFactory(phone="13912345678")
    api = APIClient()
    api.force_authenticate(user)
    url = "/api/v1/notice-preferences/"
    options = api.options(url)
    assert options.status_code == 200 and "PUT" in options.json()["actions"]
    before = api.get(url).json()["preferences"]
    unchanged = api.put(url, {"preferences": None, "wecom_userid": "wangwei"}, format="json")
    assert unchanged.status_code == 200, unchanged.content
    assert unchanged.json()["preferences"] == before
    assert unchanged.json()["wecom_userid"] == "wangwei"


def test_notice_store_follows_the_users_choice(settings):
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww", "1", "s"
    quiet, chosen = SecretaryFactory(wecom_userid="a"), UserFactory(wecom_userid="b")
    NoticePreference.objects.create(user=quiet, kind="meeting_reminder", channels=[])
    NoticePreference.objects.create(user=chosen, kind="meeting_reminder", channels=["wecom"])
    notice_store(kind="meeting_reminder", key="k", users=[quiet, chosen], context=CONTEXT)
    assert list(NoticeDelivery.objects.values_list("user", "channel")) == [(chosen.pk, "wecom")]


def test_staff_set_an_alliances_group_robot_and_see_it_masked(client):
    alliance = AllianceFactory()
    staff = StaffFactory()
    api = APIClient()
    api.force_authenticate(staff)
    url = f"/api/v1/alliances/{alliance.pk}/"
    answer = api.patch(url, {"wecom_robot_key": "abcd-1234-secret"}, format="json")
    assert answer.status_code == 200, answer.content
    alliance.refresh_from_db()
    assert alliance.wecom_robot_key == "abcd-1234-secret"
    body = api.get(url).json()
    assert body["wecom_robot"] == "abcd****" and "wecom_robot_key" not in body
    assert "abcd-1234-secret" not in api.get(url).content.decode()

    client.force_login(staff)
    edit = reverse("alliances:update", args=[alliance.pk])
    page = client.get(edit).content.decode()
    assert "abcd****" in page and "abcd-1234-secret" not in page
