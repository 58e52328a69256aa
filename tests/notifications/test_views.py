"""The home page's unread notifications card and its mark-read buttons."""

import pytest
from django.urls import reverse

from portal.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, unit_user):
    client.force_login(unit_user)
    return client


def test_the_home_page_lists_unread_notifications_only(signed_in, unit_user):
    Notification.objects.create(user=unit_user, title="会议提醒：季度论坛", url="/alliances/")
    read = Notification.objects.create(user=unit_user, title="已读的提醒")
    read.read_at = read.created_at
    read.save()
    Notification.objects.create(user=UserFactory(), title="别人的提醒")
    html = signed_in.get(reverse("home")).content.decode()
    assert "会议提醒：季度论坛" in html
    assert "已读的提醒" not in html
    assert "别人的提醒" not in html


def test_the_card_shows_at_most_ten_and_the_full_count(signed_in, unit_user):
    Notification.objects.bulk_create(
        Notification(user=unit_user, title=f"提醒{n:02}") for n in range(12)
    )
    response = signed_in.get(reverse("home"))
    assert len(response.context["unread_notifications"]) == 10
    assert response.context["unread_notification_count"] == 12


def test_mark_read_and_mark_all_read(signed_in, unit_user):
    first, second, third = (
        Notification.objects.create(user=unit_user, title=f"提醒{n}") for n in range(3)
    )
    response = signed_in.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302 and response.url == reverse("home")
    first.refresh_from_db()
    assert first.read_at is not None
    signed_in.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_marking_another_users_notification_is_a_404(signed_in):
    other = Notification.objects.create(user=UserFactory(), title="别人的")
    assert signed_in.post(reverse("notifications:read", args=[other.pk])).status_code == 404


def test_mark_read_needs_post_and_a_signed_in_user(client, unit_user):
    notification = Notification.objects.create(user=unit_user, title="提醒")
    assert client.post(reverse("notifications:read-all")).status_code == 302
    client.force_login(unit_user)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405


def test_next_outside_the_site_is_ignored(signed_in, unit_user):
    notification = Notification.objects.create(user=unit_user, title="提醒")
    response = signed_in.post(
        reverse("notifications:read", args=[notification.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_home_query_count_does_not_grow(signed_in, unit_user, django_assert_num_queries):
    Notification.objects.create(user=unit_user, title="一")
    with django_assert_num_queries(3) as first:
        signed_in.get(reverse("home"))
    Notification.objects.bulk_create(Notification(user=unit_user, title=f"{n}") for n in range(5))
    with django_assert_num_queries(len(first.captured_queries)):
        signed_in.get(reverse("home"))


def test_notify_creates_one_notification_per_distinct_active_user(db):
    from portal.notifications.actions import notify
    from portal.notifications.models import Notification
    from tests.factories import UserFactory

    alice, bob = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    created = notify(users=[alice, bob, alice, gone, None], title="需求已受理", url="/demands/1/")
    assert len(created) == 2
    assert set(Notification.objects.values_list("user_id", flat=True)) == {alice.pk, bob.pk}
