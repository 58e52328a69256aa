"""The report pages: who sees which report, the page with its charts' data, the files, the staff's
build and rebuild buttons, and the subscriptions page."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from reports.choices import ReportScope
from reports.models import QuarterlyReport, ReportSubscription
from reports.tasks import build_quarterly_report, build_quarterly_reports
from tests.factories import AllianceFactory, MembershipFactory, UserFactory

from .conftest import Q3
from .helpers import read_xlsx, small_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(streets):
    """Stored reports (their indicators computed for real, files left out where not needed)."""
    from reports.actions import quarterly_report_build

    network = small_network(streets)
    district = quarterly_report_build(quarter=Q3)
    mine = QuarterlyReport.objects.create(
        scope=ReportScope.ALLIANCE, alliance=network.alliance, year=2026, quarter=3
    )
    other = QuarterlyReport.objects.create(
        scope=ReportScope.ALLIANCE, alliance=AllianceFactory(name="别的联盟"), year=2026, quarter=3
    )
    return {"network": network, "district": district, "mine": mine, "other": other}


def listed(client) -> set[int]:
    return {r.pk for r in client.get(reverse("reports:list")).context["reports"]}


def test_staff_and_secretaries_see_every_report_a_unit_contact_their_alliances(
    client, reports, staff_user, secretary_user
):
    everything = {reports["district"].pk, reports["mine"].pk, reports["other"].pk}
    client.force_login(staff_user)
    assert listed(client) == everything
    client.force_login(secretary_user)
    assert listed(client) == everything
    contact = UserFactory(unit=reports["network"].member)
    client.force_login(contact)
    assert listed(client) == {reports["mine"].pk}
    assert client.get(reports["district"].get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:xlsx", args=[reports["other"].pk])).status_code == 404
    assert client.get(reports["mine"].get_absolute_url()).status_code == 200
    stranger = UserFactory()
    client.force_login(stranger)
    assert listed(client) == set()


def test_the_list_filters_by_quarter_and_scope(client, reports, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("reports:list"), {"scope": "district", "year": 2026, "quarter": 3})
    assert [r.pk for r in page.context["reports"]] == [reports["district"].pk]
    assert list(client.get(reverse("reports:list"), {"quarter": 2}).context["reports"]) == []


def test_the_report_page_shows_the_figures_and_hands_the_charts_their_data(
    client, reports, staff_user
):
    client.force_login(staff_user)
    response = client.get(reports["district"].get_absolute_url())
    html = response.content.decode()
    assert 'data-testid="headline-activities-count">3<' in html
    charts = json.loads(
        html.split('id="report-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert charts["trend"]["labels"][-1] == "2026-09"
    assert charts["activities_by_street"]["type"] == "hbar"
    streets = dict(
        zip(
            charts["activities_by_street"]["labels"],
            charts["activities_by_street"]["series"][0]["data"],
            strict=True,
        )
    )
    assert streets["潍坊新村街道"] == 2
    assert "js/reports.js" in html
    # No inline script: only src= scripts and the JSON data blocks.
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith(("src=", 'id="')), chunk[:80]
    assert gettext("Build again") in html


def test_the_files_download_for_readers(client, reports, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("reports:xlsx", args=[reports["district"].pk]))
    assert response.status_code == 200
    assert "2026Q3-district.xlsx" in response["Content-Disposition"]
    workbook = read_xlsx(b"".join(response.streaming_content))
    assert len(workbook.sheetnames) == 9
    pdf = client.get(reverse("reports:pdf", args=[reports["district"].pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # A report stored without files has none to give.
    assert client.get(reverse("reports:pdf", args=[reports["other"].pk])).status_code == 404


def test_staff_build_again_from_the_page_and_are_told_when(client, reports, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("reports:rebuild", args=[reports["district"].pk]), follow=True)
    report = QuarterlyReport.objects.get(pk=reports["district"].pk)
    assert report.build_count == 2 and report.built_by == staff_user
    text = response.content.decode()
    assert 'data-testid="report-built"' in text
    messages = [str(m) for m in response.context["messages"]]
    assert messages and report.rebuilt_at is not None


def test_only_staff_build(client, reports, secretary_user):
    client.force_login(secretary_user)
    assert client.post(reverse("reports:rebuild", args=[reports["district"].pk])).status_code == 403
    assert client.post(reverse("reports:build"), {"quarter": "2026Q3"}).status_code == 403


def test_the_build_button_queues_the_quarterly_job(
    client, staff_user, monkeypatch, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-11-26 10:00:00+08:00")
    queued = []
    # The view hands the task to the outbox (portal.core.outbox), which publishes with apply_async.
    monkeypatch.setattr(
        build_quarterly_reports, "apply_async", lambda a, **kw: queued.append(("all", tuple(a)))
    )
    monkeypatch.setattr(
        build_quarterly_report, "apply_async", lambda a, **kw: queued.append(("one", tuple(a)))
    )
    client.force_login(staff_user)
    form = client.get(reverse("reports:list")).context["build_form"]
    assert form.fields["quarter"].choices[0][0] == "2026Q3"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:build"), {"quarter": "2026Q3"})
    alliance = AllianceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:build"), {"quarter": "2026Q2", "alliance": alliance.pk})
    assert queued == [("all", ("2026Q3",)), ("one", ("2026Q2", alliance.pk))]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:build"), {"quarter": "2019Q1"}, follow=True)
    assert len(queued) == 2
    assert response.status_code == 200


def test_staff_keep_their_subscriptions_on_their_page(client, staff_user):
    a, b = AllianceFactory(), AllianceFactory()
    AllianceFactory(status="dissolved")
    client.force_login(staff_user)
    page = client.get(reverse("reports:subscriptions"))
    assert set(page.context["form"].fields["alliances"].queryset) == {a, b}
    client.post(reverse("reports:subscriptions"), {"district": "on", "alliances": [a.pk]})
    assert set(ReportSubscription.objects.values_list("scope", "alliance")) == {
        ("district", None),
        ("alliance", a.pk),
    }
    page = client.get(reverse("reports:subscriptions"))
    assert page.context["form"].initial == {"district": True, "alliances": [a]}
    client.post(reverse("reports:subscriptions"), {"alliances": [b.pk]})
    assert set(ReportSubscription.objects.values_list("scope", "alliance")) == {("alliance", b.pk)}


def test_the_navigation_names_the_reports_for_staff_and_secretaries(
    client, staff_user, secretary_user, unit_user
):
    url = reverse("reports:list")
    for user, shown in ((staff_user, True), (secretary_user, True), (unit_user, False)):
        client.force_login(user)
        items = client.get(reverse("home")).context["nav_items"]
        assert any(item["url"] == url for item in items) is shown


def test_a_unit_contact_of_an_alliance_reads_its_report(client, reports):
    fellow = UserFactory()
    MembershipFactory(alliance=reports["network"].alliance, unit=fellow.unit)
    client.force_login(fellow)
    assert client.get(reports["mine"].get_absolute_url()).status_code == 200


def test_no_page_is_open_to_anonymous_visitors(client, reports):
    for url in (
        reverse("reports:list"),
        reports["district"].get_absolute_url(),
        reverse("reports:xlsx", args=[reports["district"].pk]),
        reverse("reports:subscriptions"),
    ):
        assert client.get(url).status_code == 302
