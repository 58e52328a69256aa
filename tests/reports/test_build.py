"""Building a report: one per scope and quarter, built again in place, with an XLSX that reads back
and a PDF whose Chinese text is typeset in the vendored font and renders to pixels."""

import gc
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from reports.actions import quarterly_report_build
from reports.choices import ReportScope
from reports.indicators import Scope, quarter_indicators
from reports.models import QuarterlyReport
from tests.factories import AllianceFactory, UserFactory

from .conftest import Q3
from .helpers import figure_row, read_xlsx, sheet_rows, small_network

pytestmark = pytest.mark.django_db


def zh(text: str) -> str:
    """What the report, written in Chinese, calls `text`."""
    with translation.override("zh-hans"):
        return gettext(text)


@pytest.fixture
def network(streets):
    return small_network(streets)


def test_a_district_report_holds_the_indicators_and_both_files(network):
    report = quarterly_report_build(quarter=Q3)
    assert (report.scope, report.alliance, report.year, report.quarter) == (
        "district",
        None,
        2026,
        3,
    )
    figures = report.indicators["sections"]["activities"]["figures"]
    assert figures["count"] == {"value": 3, "previous": 1, "change": 2, "change_rate": 200.0}
    assert report.indicators["sections"]["demands"]["figures"]["resolution_rate"]["value"] == 75.0
    assert report.xlsx.name.endswith(".xlsx") and report.pdf.name.endswith(".pdf")
    assert report.rebuilt_at is None and report.build_count == 1


def test_building_again_replaces_the_report_and_says_when(
    network, django_capture_on_commit_callbacks
):
    first = quarterly_report_build(quarter=Q3)
    old_xlsx = first.xlsx.name
    with django_capture_on_commit_callbacks(execute=True):
        again = quarterly_report_build(quarter=Q3)
    assert again.pk == first.pk
    assert again.build_count == 2 and again.rebuilt_at is not None
    assert again.generated_at == first.generated_at
    assert QuarterlyReport.objects.filter(scope="district", year=2026, quarter=3).count() == 1
    assert not again.xlsx.storage.exists(old_xlsx)
    assert again.xlsx.storage.exists(again.xlsx.name)


def test_the_database_allows_one_report_per_scope_and_quarter(network):
    def create(**fields):
        return QuarterlyReport.objects.create(year=2026, quarter=3, **fields)

    create(scope=ReportScope.DISTRICT)
    create(scope=ReportScope.ALLIANCE, alliance=network.alliance)
    for fields in (
        {"scope": ReportScope.DISTRICT},
        {"scope": ReportScope.ALLIANCE, "alliance": network.alliance},
        {"scope": ReportScope.DISTRICT, "alliance": AllianceFactory()},
        {"scope": ReportScope.ALLIANCE},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            create(**fields)


def test_only_district_staff_build(network):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        quarterly_report_build(quarter=Q3, by=UserFactory())


def test_the_xlsx_has_a_sheet_per_section_with_numbers_as_numbers(network):
    report = quarterly_report_build(quarter=Q3)
    workbook = read_xlsx(report.xlsx.read())
    assert workbook.sheetnames == [
        zh("Overview"),
        zh("Network"),
        zh("Coverage"),
        zh("Activities"),
        zh("Meetings"),
        zh("Demands"),
        zh("Joint projects"),
        zh("Service stations"),
        zh("Monthly trend"),
    ]
    activities = workbook[zh("Activities")]
    assert sheet_rows(activities)[0] == (
        zh("Indicator"),
        zh("This period"),
        zh("Previous period"),
        zh("Change"),
        zh("Change (%)"),
    )
    assert figure_row(activities, zh("Activities held"))[:5] == (
        zh("Activities held"),
        3,
        1,
        2,
        2.0,
    )
    assert figure_row(activities, zh("Participants (人次)"))[1:3] == (100, 12)
    demands = workbook[zh("Demands")]
    rate = figure_row(demands, zh("Resolution rate"))
    assert rate[1] == pytest.approx(0.75) and rate[2] == pytest.approx(0.5)
    cell = next(c for c in demands["B"] if c.value == rate[1])
    assert cell.number_format == "0.0%"
    projects = workbook[zh("Joint projects")]
    amount = figure_row(projects, zh("Contract amount of new projects (合作金额, yuan)"))
    assert amount[1] == pytest.approx(125000.50) and isinstance(amount[1], float)
    # Breakdowns follow the figures: the streets by name, with their counts.
    rows = sheet_rows(activities)
    assert ("潍坊新村街道", 2, 50, 10) in rows
    assert ("陆家嘴街道", 1, 50, 10) in rows
    trend = sheet_rows(workbook[zh("Monthly trend")])
    assert trend[-1] == ("2026-09", 1, 50, 1, 1)


def test_the_pdf_sets_its_chinese_in_the_vendored_font_and_renders_to_png(network):
    pdfium = pytest.importorskip("pypdfium2")
    report = quarterly_report_build(quarter=Q3, alliance=network.alliance)
    document = pdfium.PdfDocument(report.pdf.read())
    page = document[0]
    text_page = page.get_textpage()
    text = text_page.get_text_range()
    assert "生物医药产业党建联盟" in text
    assert zh("Activities held") in text

    # The title's first character: its font is the embedded Noto Sans SC, and where it stands the
    # rendered page is dark.
    index = text.index("生物医药")
    font = _font_name(pdfium, text_page, index)
    assert "NotoSansSC" in font.replace(" ", "").replace("-", ""), font
    left, bottom, right, top = text_page.get_charbox(index)
    scale = 2
    image = page.render(scale=scale).to_pil().convert("L")
    height = image.height
    box = (
        int(left * scale),
        int(height - top * scale),
        int(right * scale) + 1,
        int(height - bottom * scale) + 1,
    )
    histogram = image.crop(box).histogram()  # pixels per grey level, 0 black … 255 white
    assert sum(histogram[:100]) > 10, "no ink where the title's first character stands"
    assert sum(image.histogram()[:100]) > sum(histogram[:100])  # and more ink elsewhere
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert png.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    text_page.close()
    page.close()
    document.close()


def _font_name(pdfium, text_page, index: int) -> str:
    import ctypes

    raw = pdfium.raw
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    length = raw.FPDFText_GetFontInfo(text_page.raw, index, buffer, 256, ctypes.byref(flags))
    return buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")


def test_an_alliance_report_counts_that_alliance(network):
    other = AllianceFactory(name="另一个联盟")
    mine = quarter_indicators(Scope.for_alliance(network.alliance), Q3)
    assert mine["scope"]["alliance_name"] == "生物医药产业党建联盟"
    assert mine["sections"]["network"]["figures"]["member_units"]["value"] == 1
    assert mine["sections"]["activities"]["figures"]["count"]["value"] == 3
    empty = quarter_indicators(Scope.for_alliance(other), Q3)
    assert empty["sections"]["activities"]["figures"]["count"]["value"] == 0


def test_the_command_builds_the_district_and_each_active_alliance(network, capsys):
    AllianceFactory(name="休眠联盟", status="dormant")
    call_command("build_quarterly_reports", "2026Q3", "--no-mail")
    assert set(QuarterlyReport.objects.values_list("scope", "alliance__name")) == {
        ("district", None),
        ("alliance", "生物医药产业党建联盟"),
    }
    call_command("build_quarterly_reports", "2026Q3", "--district", "--no-mail")
    output = capsys.readouterr().out
    assert "2026Q3-district" in output and "built again" in output


def test_the_command_refuses_a_malformed_quarter(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_quarterly_reports", "2026Q9")


def test_typesetting_pauses_the_garbage_collector_and_restores_it():
    from reports.pdf import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("typesetting failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled(), "a collector that was off stays off"
    finally:
        gc.enable()


def test_the_xlsx_draws_native_charts_beside_the_breakdowns_and_the_trend(network):
    """Each breakdown gets the chart the page draws, as an Excel chart over the cells just written
    (so it follows an edit in Excel), and the trend sheet a line chart of its three counts."""
    report = quarterly_report_build(quarter=Q3)
    workbook = read_xlsx(report.xlsx.read())
    activities = workbook[zh("Activities")]
    bars = [c for c in activities._charts if c.tagname == "barChart"]
    by_street = next(c for c in bars if c.type == "bar")
    categories = by_street.series[0].cat
    reference = (categories.strRef or categories.numRef).f
    # The categories are the street names that the breakdown's rows hold.
    first, last = (int(part.lstrip("$A")) for part in reference.split("!")[1].split(":"))
    names = {activities.cell(row=row, column=1).value for row in range(first, last + 1)}
    assert {"潍坊新村街道", "陆家嘴街道"} <= names
    assert all(
        series.val.numRef.f.startswith(f"'{zh('Activities')}'!") for series in by_street.series
    )
    trend = workbook[zh("Monthly trend")]
    lines = [c for c in trend._charts if c.tagname == "lineChart"]
    assert len(lines) == 1 and len(lines[0].series) == 3
