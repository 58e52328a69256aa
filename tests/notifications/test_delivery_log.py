"""The notice delivery log: district staff read and filter it, page and API, in a fixed number of queries."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.notifications.models import NoticeDelivery
from tests.factories import AllianceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def rows(n, **fields):
    for i in range(n):
        user = UserFactory(phone="13812345678")
        NoticeDelivery.objects.create(
            kind=fields.get("kind", "meeting_reminder"),
            notice_key=f"k{i}-{user.pk}",
            user=user,
            channel=fields.get("channel", "sms"),
            status=fields.get("status", "pending"),
            text="提醒",
        )
    NoticeDelivery.objects.create(
        kind="meeting_invitation",
        notice_key=f"g{n}",
        alliance=AllianceFactory(),
        channel="wecom_robot",
    )


def test_staff_filter_the_log_by_channel_and_status_and_the_phone_is_masked():
    rows(2)
    rows(1, channel="wecom", status="failed")
    api = APIClient()
    api.force_authenticate(StaffFactory())
    body = api.get("/api/v1/notice-deliveries/", {"channel": "wecom", "status": "failed"}).json()
    assert [r["channel"] for r in body["results"]] == ["wecom"]
    everything = api.get("/api/v1/notice-deliveries/").json()["results"]
    assert {r["phone"] for r in everything if r["user"]} == {"138****5678"}
    assert api.get("/api/v1/notice-deliveries/", {"channel": "fax"}).status_code == 400


def test_the_log_page_lists_and_filters(client):
    rows(2)
    rows(1, channel="wecom", status="failed")
    client.force_login(StaffFactory())
    page = client.get(reverse("notifications:deliveries"), {"status": "failed"})
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="delivery-row"') == 1


def test_the_log_costs_the_same_queries_for_few_rows_and_many(client, django_assert_num_queries):
    staff = StaffFactory()
    api = APIClient()
    api.force_authenticate(staff)
    client.force_login(staff)
    url = reverse("notifications:deliveries")
    rows(2)
    client.get(url), api.get("/api/v1/notice-deliveries/")
    with django_assert_num_queries(4) as page_first:
        client.get(url)
    with django_assert_num_queries(2) as api_first:
        api.get("/api/v1/notice-deliveries/")
    rows(6)
    with django_assert_num_queries(len(page_first.captured_queries)):
        client.get(url)
    with django_assert_num_queries(len(api_first.captured_queries)):
        api.get("/api/v1/notice-deliveries/")


def test_only_district_staff_read_the_log(client):
    api = APIClient()
    api.force_authenticate(UserFactory())
    assert api.get("/api/v1/notice-deliveries/").status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:deliveries")).status_code == 403
