"""Done when: the quarterly job runs on a real Celery worker through the real broker (the filesystem
one by default, Redis in CI's second pass, failing when it cannot be reached), the mail with the XLSX
arrives at a real SMTP server, the XLSX reads back with the expected numbers, and the PDF renders to
PNG with readable Chinese."""

import collections
import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from portal.celery_app import app
from reports.actions import report_subscriptions_set
from reports.models import QuarterlyReport
from reports.tasks import build_quarterly_report, build_quarterly_reports
from tests.factories import StaffFactory

from .helpers import figure_row, read_xlsx, small_network
from .test_build import zh

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.broker]


def run_job(period: str, expected_builds: int) -> None:
    """Send the quarterly job through the broker; wait until the worker ran it and its builds."""
    finished = collections.Counter()
    done = threading.Semaphore(0)

    def count(sender=None, **kwargs) -> None:
        if sender is not None and sender.name in (
            build_quarterly_reports.name,
            build_quarterly_report.name,
        ):
            finished[sender.name] += 1
            done.release()

    task_postrun.connect(count, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ):
            build_quarterly_reports.delay(period)
            for _ in range(1 + expected_builds):
                # Generous: a loaded 2-core machine and a filesystem broker can be slow.
                assert done.acquire(timeout=120), f"the worker stopped after {dict(finished)}"
    finally:
        task_postrun.disconnect(count)
    assert finished == {
        build_quarterly_reports.name: 1,
        build_quarterly_report.name: expected_builds,
    }


def test_the_job_builds_mails_and_the_files_read_back(streets, smtp_server):
    network = small_network(streets)
    reader = StaffFactory(username="reader")
    report_subscriptions_set(user=reader, district=True, alliances=[network.alliance])

    run_job("2026Q3", expected_builds=2)

    reports = QuarterlyReport.objects.order_by("scope")
    assert [(r.scope, r.alliance_id) for r in reports] == [
        ("alliance", network.alliance.pk),
        ("district", None),
    ]
    messages = smtp_server.wait_for(2, timeout=30)
    assert sorted(m["To"] for m in messages) == ["reader@example.org", "reader@example.org"]
    attachments = {
        a.get_filename(): a.get_content() for m in messages for a in m.iter_attachments()
    }
    assert set(attachments) == {
        "2026Q3-district.xlsx",
        f"2026Q3-alliance-{network.alliance.pk}.xlsx",
    }
    workbook = read_xlsx(attachments["2026Q3-district.xlsx"])
    activities = workbook[zh("Activities")]
    assert figure_row(activities, zh("Activities held"))[1:4] == (3, 1, 2)
    assert figure_row(activities, zh("Participants (人次)"))[1] == 100
    demands = workbook[zh("Demands")]
    assert figure_row(demands, zh("Demands collected"))[1] == 4
    assert figure_row(demands, zh("Resolution rate"))[1] == pytest.approx(0.75)

    pdfium = pytest.importorskip("pypdfium2")
    district = reports.get(scope="district")
    document = pdfium.PdfDocument(district.pdf.read())
    texts = []
    for index, page in enumerate(document):
        text_page = page.get_textpage()
        texts.append(text_page.get_text_range())
        if index == 0:
            image = page.render(scale=1).to_pil().convert("L")
            assert image.width > 500 and sum(image.histogram()[:64]) > 1000
        text_page.close()
        page.close()
    document.close()
    text = "\n".join(texts)
    assert "潍坊新村街道" in text and "陆家嘴街道" in text
    assert zh("Resolution rate") in text and "75.0%" in text

    # The job again: the reports are built again, and nobody gets a second mail.
    run_job("2026Q3", expected_builds=2)
    assert QuarterlyReport.objects.count() == 2
    assert set(QuarterlyReport.objects.values_list("build_count", flat=True)) == {2}
    assert len(smtp_server.wait_for(3, timeout=2)) == 2
