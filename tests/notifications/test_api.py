"""/api/v1/notifications/: each user sees and marks only their own."""

import pytest

from portal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


@pytest.fixture
def mine(unit_user):
    return [Notification.objects.create(user=unit_user, title=f"提醒{n}") for n in range(3)]


def test_the_list_holds_only_my_notifications_newest_first(unit_api, mine):
    Notification.objects.create(user=UserFactory(), title="别人的")
    response = unit_api.get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [n.pk for n in reversed(mine)]


def test_the_unread_filter(unit_api, mine):
    mine[0].read_at = mine[0].created_at
    mine[0].save()
    unread = unit_api.get(URL, {"unread": "true"}).json()["results"]
    read = unit_api.get(URL, {"unread": "false"}).json()["results"]
    assert {row["id"] for row in unread} == {mine[1].pk, mine[2].pk}
    assert [(row["id"], row["is_read"]) for row in read] == [(mine[0].pk, True)]


def test_mark_one_read(unit_api, mine):
    response = unit_api.post(f"{URL}{mine[0].pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None


def test_mark_all_read(unit_api, mine):
    other = Notification.objects.create(user=UserFactory(), title="别人的")
    response = unit_api.post(f"{URL}read-all/")
    assert response.json() == {"marked": 3}
    assert not Notification.objects.filter(user=mine[0].user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_another_users_notification_is_a_404(unit_api):
    other = Notification.objects.create(user=UserFactory(), title="别人的")
    assert unit_api.get(f"{URL}{other.pk}/").status_code == 404
    assert unit_api.post(f"{URL}{other.pk}/read/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_anonymous_is_refused(api_client):
    assert api_client.get(URL).status_code == 401


def test_list_query_count_does_not_grow(unit_api, unit_user, django_assert_num_queries):
    Notification.objects.create(user=unit_user, title="一")
    # Token, count, page.
    with django_assert_num_queries(3):
        assert unit_api.get(URL).status_code == 200
    Notification.objects.bulk_create(
        Notification(user=unit_user, title=f"提醒{n}") for n in range(20)
    )
    with django_assert_num_queries(3):
        assert unit_api.get(URL).status_code == 200
