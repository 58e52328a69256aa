"""What an exported cell holds: control characters left out, formulas written as text."""

import io

import pytest
from openpyxl import load_workbook

from portal.core.exports import safe_cell
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


def test_control_characters_are_left_out_and_a_formula_behind_them_stays_text():
    assert safe_cell("a\x01b\x0bc") == "abc"
    assert safe_cell("\x02=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("第一行\n第二行\t") == "第一行\n第二行\t"  # line breaks and tabs are legal


def test_a_download_with_control_characters_in_a_title_still_works(staff_api):
    # Found by fuzzing as a unit contact: one such title made every demand export a 500.
    DemandFactory(title="融资\x01对接", description="说明\x0b")
    response = staff_api.get("/api/v1/demands/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "融资对接" in [
        cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row
    ]
