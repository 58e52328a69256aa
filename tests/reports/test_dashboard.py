"""The dashboard's quarter so far: figures with their change, alerts, meetings due by cadence,
coverage gaps and streets; a street secretary's for their street; cached, and refreshed on change."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Registration
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    DemandFactory,
    MeetingFactory,
    MemberUnitFactory,
    RegionFactory,
    SecretaryFactory,
)

from .conftest import at
from .helpers import small_network

pytestmark = pytest.mark.django_db

TODAY = at(2026, 8, 10, 9)


@pytest.fixture
def network(streets, time_machine):
    time_machine.move_to(TODAY, tick=False)
    return small_network(streets)


def report(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard")).context["report"]


def headline(data) -> dict:
    return {f"{f['section']}.{f['key']}": f for f in data["headline"]}


def test_staff_see_the_quarter_so_far_against_as_many_days_of_the_last(client, network, staff_user):
    data = report(client, staff_user)
    assert data["period"] == {"start": "2026-07-01", "end": "2026-08-10"}
    # 41 days each.
    assert data["previous_period"] == {"start": "2026-04-01", "end": "2026-05-11"}
    figures = headline(data)
    # By 10 August: the lecture of 8 July (30 people); by 10 May: the salon of 5 May (12 people).
    assert (figures["activities.count"]["value"], figures["activities.count"]["previous"]) == (1, 1)
    assert figures["activities.participants"]["change"] == 18
    # Demands raised 2 July and 2 August, both resolved; in the same days of Q2 one of one.
    assert figures["demands.collected"]["value"] == 2
    assert figures["demands.resolution_rate"]["value"] == 100.0
    assert data["charts"]["trend"]["labels"][-1] == "2026-08"
    streets = {row["name"]: row for row in data["streets"]}
    assert streets["潍坊新村街道"]["activities"] == 1
    assert streets["潍坊新村街道"]["collected"] == 2
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="quarter-activities-count">1<' in page
    assert 'data-report-chart="trend"' in page and "js/reports.js" in page
    # The network shell from before stays.
    assert 'data-echarts="#regions-chart-option"' in page


def test_alerts_overdue_demands_and_registrations_waiting(client, network, staff_user, streets):
    DemandFactory(region=streets.s2, status="in_progress", due_on=datetime.date(2026, 8, 1))
    DemandFactory(region=streets.s2, status="resolved", due_on=datetime.date(2026, 8, 1))
    DemandFactory(region=streets.s2, status="assigned", due_on=datetime.date(2026, 8, 20))
    Registration.objects.create(
        name="待审单位",
        credit_code="91310115MA1K4XXX7X",
        unit_type="private_enterprise",
        region=streets.s1,
        address="浦东",
        contact_name="王",
        contact_phone="13900000000",
        contact_email="w@example.org",
        status="submitted",
    )
    data = report(client, staff_user)
    assert data["demands_overdue"] == 1
    assert data["registrations_waiting"] == 1


def test_meetings_due_by_cadence_and_coverage_gaps(client, network, staff_user, streets):
    monthly = AllianceFactory(meeting_cadence="monthly")
    MeetingFactory(alliance=monthly, start_at=at(2026, 8, 3), status="held")
    AllianceFactory(meeting_cadence="monthly")
    quarterly = AllianceFactory(meeting_cadence="quarterly")
    MeetingFactory(alliance=quarterly, start_at=at(2026, 7, 20), status="cancelled")
    MemberUnitFactory(region=streets.s2, key_target=True, party_org_type="none", org_covered=False)
    data = report(client, staff_user)
    due = {row["key"]: (row["alliances"], row["due"]) for row in data["meetings_due_by_cadence"]}
    # Monthly: one met in August, one did not. Quarterly: the small network's alliance and the
    # one whose meeting was cancelled, neither met this quarter.
    assert due["monthly"] == (2, 1)
    assert due["quarterly"] == (2, 2)
    gaps = data["coverage_gaps"]
    # 陆家嘴's units belong to no alliance; 潍坊新村 has the alliance's lead unit.
    assert [gap["name"] for gap in gaps["regions"]] == ["陆家嘴街道"]
    assert gaps["key_targets_without_party"] == 1


def test_a_secretary_sees_their_street_by_community(client, network, streets):
    secretary = SecretaryFactory(region=streets.s1)
    ActivityFactory(held_on=datetime.date(2026, 8, 1), region=streets.s2)
    data = report(client, secretary)
    assert headline(data)["activities.count"]["value"] == 1
    assert {row["name"] for row in data["streets"]} == {"泉东居委", "潍坊新村街道"}
    assert data["coverage_gaps"]["regions"] == []


def test_the_figures_are_cached_for_a_few_minutes(
    client, network, staff_user, streets, settings, time_machine
):
    client.force_login(staff_user)
    client.get(reverse("dashboard"))
    ActivityFactory(held_on=datetime.date(2026, 8, 5), region=streets.s2)
    with CaptureQueriesContext(connection) as warm:
        first = client.get(reverse("dashboard")).context["report"]
    assert headline(first)["activities.count"]["value"] == 1
    time_machine.move_to(TODAY + datetime.timedelta(seconds=settings.DASHBOARD_CACHE_SECONDS + 1))
    with CaptureQueriesContext(connection) as cold:
        second = client.get(reverse("dashboard")).context["report"]
    assert headline(second)["activities.count"]["value"] == 2
    assert len(cold) > len(warm) + 40


def test_the_dashboard_runs_a_fixed_number_of_queries(client, network, staff_user, streets):
    client.force_login(staff_user)

    def count() -> tuple[int, int]:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(reverse("dashboard")).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            client.get(reverse("dashboard"))
        return len(cold), len(warm)

    before = count()
    street = RegionFactory(
        code="310115099", name="新街道", level="subdistrict", parent=streets.pudong
    )
    for day in range(1, 6):
        ActivityFactory(held_on=datetime.date(2026, 8, day), region=street)
        DemandFactory(region=street)
        MemberUnitFactory(region=street)
        AllianceFactory(meeting_cadence="monthly")
    assert count() == before
    cold, warm = before
    assert warm <= 16, warm
