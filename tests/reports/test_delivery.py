"""Subscribers get each report once, with its XLSX, through a real SMTP server on loopback."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from reports.actions import (
    quarterly_report_build,
    report_deliveries_send,
    report_subscriptions_set,
)
from reports.choices import DeliveryStatus, ReportScope
from reports.models import ReportDelivery, ReportSubscription
from tests.factories import AllianceFactory, SecretaryFactory, StaffFactory, UserFactory

from .conftest import Q3
from .helpers import figure_row, read_xlsx, small_network
from .test_build import zh

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(streets):
    small_network(streets)
    return quarterly_report_build(quarter=Q3)


def test_each_subscriber_gets_the_report_once_with_its_xlsx(report, smtp_server):
    reader = StaffFactory(username="reader")
    report_subscriptions_set(user=reader, district=True, alliances=[])
    other = StaffFactory(username="elsewhere")
    report_subscriptions_set(user=other, district=False, alliances=[AllianceFactory()])
    gone = StaffFactory(username="gone", is_active=False)
    ReportSubscription.objects.create(user=gone, scope=ReportScope.DISTRICT)
    # A subscription left from when this user was staff: a secretary is not mailed.
    ReportSubscription.objects.create(user=SecretaryFactory(), scope=ReportScope.DISTRICT)

    first = report_deliveries_send(report=report)
    second = report_deliveries_send(report=report)

    assert (first.claimed, first.sent, second.claimed, second.sent) == (1, 1, 0, 0)
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == ["reader@example.org"]
    message = messages[0]
    assert "2026" in message["Subject"]
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "2026Q3-district.xlsx"
    workbook = read_xlsx(attachment.get_content())
    assert figure_row(workbook[zh("Activities")], zh("Activities held"))[1] == 3
    delivery = ReportDelivery.objects.get()
    assert (delivery.user, delivery.status) == (reader, DeliveryStatus.SENT)


def test_a_delivery_left_claimed_by_a_dead_worker_is_sent_later_once(report, smtp_server):
    reader = StaffFactory(username="reader")
    report_subscriptions_set(user=reader, district=True, alliances=[])
    ReportDelivery.objects.create(
        report=report,
        user=reader,
        email=reader.email,
        claim_token="dead-worker",
        claimed_at=timezone.now() - datetime.timedelta(minutes=3),
    )
    assert report_deliveries_send(report=report).sent == 0  # its owner may still be sending
    ReportDelivery.objects.update(claimed_at=timezone.now() - datetime.timedelta(minutes=11))
    result = report_deliveries_send(report=report)
    assert (result.reclaimed, result.sent) == (1, 1)
    assert report_deliveries_send(report=report).sent == 0
    assert len(smtp_server.wait_for(1)) == 1
    assert ReportDelivery.objects.get().attempts == 2


def test_building_again_mails_nobody_twice(report, smtp_server):
    reader = StaffFactory(username="reader")
    report_subscriptions_set(user=reader, district=True, alliances=[])
    report_deliveries_send(report=report)
    rebuilt = quarterly_report_build(quarter=Q3)
    assert report_deliveries_send(report=rebuilt).sent == 0
    assert len(smtp_server.wait_for(1)) == 1


def test_subscriptions_are_set_exactly_and_only_for_staff(db):
    staff = StaffFactory()
    a, b = AllianceFactory(), AllianceFactory()
    report_subscriptions_set(user=staff, district=True, alliances=[a, b])
    report_subscriptions_set(user=staff, district=True, alliances=[b])
    assert set(ReportSubscription.objects.values_list("scope", "alliance")) == {
        ("district", None),
        ("alliance", b.pk),
    }
    report_subscriptions_set(user=staff, district=False, alliances=[])
    assert not ReportSubscription.objects.exists()
    with pytest.raises(PermissionDenied):
        report_subscriptions_set(user=UserFactory(), district=True, alliances=[])
