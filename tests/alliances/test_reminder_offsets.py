"""Reminder offsets as people write them, set per alliance in the browser and the API."""

import pytest
from django import forms
from django.urls import reverse

from alliances.models import Alliance
from alliances.offsets import format_offsets, parse_offsets
from tests.factories import AllianceFactory, MeetingFactory


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("3d, 2h", [4320, 120]),
        ("3天，2小时", [4320, 120]),
        ("90", [90]),
        ("1h 30m", [60, 30]),
        ("45分钟、1天", [45, 1440]),
        ("", None),
    ],
)
def test_offsets_are_read_in_days_hours_and_minutes(text, minutes):
    assert parse_offsets(text) == minutes


@pytest.mark.parametrize("text", ["3 weeks", "-2h", "2.5h", "soon"])
def test_other_offsets_are_refused_with_the_part_named(text):
    with pytest.raises(forms.ValidationError):
        parse_offsets(text)


def test_offsets_are_shown_in_the_largest_exact_unit():
    assert format_offsets([4320, 120, 90]) == "3d, 2h, 90m"


@pytest.mark.django_db
def test_staff_set_an_alliances_reminders_in_the_form(client, staff_user):
    alliance = AllianceFactory(name="七宝镇区域党建共同体", meeting_cadence="quarterly")
    client.force_login(staff_user)
    data = {
        "name": alliance.name,
        "kind": alliance.kind,
        "meeting_cadence": "quarterly",
        "status": "active",
        "reminder_offsets_text": "7天, 1d, 2h",
    }
    response = client.post(reverse("alliances:update", args=[alliance.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    alliance.refresh_from_db()
    assert alliance.reminder_offsets == [10080, 1440, 120]
    assert MeetingFactory(alliance=alliance).effective_reminder_offsets() == [10080, 1440, 120]
    page = client.get(reverse("alliances:update", args=[alliance.pk])).content.decode()
    assert 'value="7d, 1d, 2h"' in page

    response = client.post(
        reverse("alliances:update", args=[alliance.pk]), {**data, "reminder_offsets_text": "99d"}
    )
    assert response.status_code == 200
    assert "reminder_offsets_text" in response.context["form"].errors
    assert Alliance.objects.get(pk=alliance.pk).reminder_offsets == [10080, 1440, 120]


@pytest.mark.django_db
def test_reminders_through_the_api(staff_api):
    alliance = AllianceFactory()
    url = f"/api/v1/alliances/{alliance.pk}/"
    assert staff_api.get(url).json()["reminder_offsets"] == [4320, 120]
    response = staff_api.patch(url, {"reminder_offsets": [60, 1440, 60]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["reminder_offsets"] == [1440, 60]
    response = staff_api.patch(url, {"reminder_offsets": [0]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"].startswith("reminder_offsets")
    assert Alliance.objects.get(pk=alliance.pk).reminder_offsets == [1440, 60]
