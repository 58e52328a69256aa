"""Staff import of member units from a spreadsheet (XLSX or CSV): every row is saved, or none is.

The file format is Chinese and fixed — sheet names, headers, the example row — so that a filled copy
reads back whatever language the portal speaks; messages about it follow the user's language.
Formulas are never evaluated: a cell holding one is taken as the text of the formula.
"""

from __future__ import annotations

import csv
import io
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import IO, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from portal.core.exports import FORMULA_PREFIXES
from portal.regions.choices import RegionLevel
from portal.regions.models import Region

from .. import credit_code as credit_codes
from ..choices import CREDIT_CODE_REQUIRED, Industry, PartyOrgType, UnitStatus, UnitType
from ..models import MemberUnit

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Blank lines count here only, so that a sheet styled down to row 1,048,576 is not read for minutes.
MAX_LINES = 100_000
MAX_COLUMNS = 100
BATCH_SIZE = 1000
# SQLite allows 999 (older builds) or 32,766 variables per statement; stay below both.
QUERY_CHUNK = 1000

SHEET_UNITS = "成员单位"
SHEET_HELP = "填写说明"
SHEET_REGIONS = "地区代码"
EXAMPLE_NAME = "示例：上海某某科技有限公司（导入时忽略本行）"
YES, NO = "是", "否"
CHANGE_REASON = "spreadsheet import"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MOBILE = re.compile(r"(?:\+?86)?1[3-9]\d{9}")
LANDLINE = re.compile(r"(?:0\d{2,3}-?|\(0\d{2,3}\))[2-9]\d{6,7}(?:-\d{1,6})?")
MAX_INTEGER = 2_147_483_647
# What Excel makes of an all-digit credit code in a number cell (9.13101E+17).
SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"
    required: bool = False
    choices: type[TextChoices] | None = None

    @property
    def template_header(self) -> str:
        return f"{self.header}*" if self.required else self.header

    @property
    def max_length(self) -> int | None:
        return getattr(MemberUnit._meta.get_field(self.key), "max_length", None)


COLUMNS: tuple[Column, ...] = (
    Column("name", "单位名称", required=True),
    Column("credit_code", "统一社会信用代码", kind="credit_code"),
    Column("unit_type", "单位类型", kind="choice", required=True, choices=UnitType),
    Column("region", "地区代码", kind="region", required=True),
    Column("address", "地址"),
    Column("industry", "行业", kind="choice", choices=Industry),
    Column("employee_count", "职工人数", kind="integer"),
    Column("party_org_type", "党组织类型", kind="choice", choices=PartyOrgType),
    Column("party_member_count", "党员人数", kind="integer"),
    Column("org_covered", "组织覆盖", kind="boolean"),
    Column("work_covered", "工作覆盖", kind="boolean"),
    Column("instructor", "党建指导员"),
    Column("key_target", "重点对象", kind="boolean"),
    Column("contact_name", "联系人"),
    Column("contact_phone", "联系电话", kind="phone"),
    Column("contact_email", "电子邮箱", kind="email"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_ORDER = {column.header: position for position, column in enumerate(COLUMNS)}


class ImportFileError(ValidationError):
    """The file as a whole is refused: not a spreadsheet, too large, a required column missing…"""


class ImportConflict(ImportFileError):
    """Someone saved a clashing unit while the file was being imported; nothing was saved."""


class RowError(NamedTuple):
    """One problem: the spreadsheet row (the header is row 1), the column's header, the reason."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d: %(column)s: %(message)s") % self._asdict()


@dataclass
class ImportResult:
    """What `import_units` did with a file.

    `created`: how many units were saved — all the rows, or 0 when the file was refused.
    `errors`: one `RowError` (row, column, message) per problem, in row order; any error refuses the
    whole file. `total_rows`: the file's non-blank data rows.
    """

    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def refused_rows(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def valid_rows(self) -> int:
        return self.total_rows - self.refused_rows

    def errors_by_row(self) -> list[tuple[int, list[RowError]]]:
        return [(row, list(errors)) for row, errors in groupby(self.errors, key=lambda e: e.row)]


def import_units(file: IO[bytes], *, user) -> ImportResult:
    """Create a unit from every row of an XLSX or CSV file in one transaction, or refuse them all.

    Raises `ImportFileError` when the file itself is unusable and `ImportConflict` when a credit code
    was taken by someone else during the import; row problems come back in `ImportResult.errors`.
    """
    headers, rows = read_table(file)
    positions = map_headers(headers)
    # The template's example row may be left in place.
    rows = [row for row in rows if row[1][positions["name"]] != EXAMPLE_NAME]
    units, errors = validate_rows(rows, positions)
    result = ImportResult(errors=errors, total_rows=len(rows))
    if errors:
        return result
    if not units:
        raise ImportFileError(_("The file has no unit rows below its header."), code="empty")
    try:
        with transaction.atomic():
            bulk_create_with_history(
                units,
                MemberUnit,
                batch_size=BATCH_SIZE,
                default_user=user if getattr(user, "is_authenticated", False) else None,
                default_change_reason=CHANGE_REASON,
            )
    except IntegrityError as exc:
        raise ImportConflict(
            _(
                "While the file was being imported, someone else saved a unit with one of its credit "
                "codes (or changed one of its regions). Nothing was imported; upload the file again "
                "to see which rows conflict."
            ),
            code="conflict",
        ) from exc
    result.created = len(units)
    return result


# Reading -------------------------------------------------------------------------------------------


def not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("This is not an XLSX or CSV file. Save it from the import template as .xlsx or .csv."),
        code="invalid_file",
    )


def too_large() -> ImportFileError:
    return ImportFileError(
        _("The file is larger than %(size)d MB; split it into several files.")
        % {"size": MAX_FILE_SIZE // (1024 * 1024)},
        code="too_large",
    )


def read_table(file: IO[bytes]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header cells and the non-blank data rows, each with its row number, as text."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        raise too_large()
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise too_large()
    if not data.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl fails on bad input in many ways; all mean the same here
        raise not_a_spreadsheet() from exc
    try:
        sheet = (
            workbook[SHEET_UNITS] if SHEET_UNITS in workbook.sheetnames else workbook.worksheets[0]
        )
        # max_col keeps a sheet whose dimension claims 16,384 columns from padding every row.
        first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
        headers = _trim([cell_text(value) for value in first])
        lines = sheet.iter_rows(min_row=2, max_col=max(len(headers), 1), values_only=True)
        rows = _data_rows(lines, len(headers))
    except ImportFileError:
        raise
    except Exception as exc:
        raise not_a_spreadsheet() from exc
    finally:
        workbook.close()
    return headers, rows


def _read_csv(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if b"\x00" in data:
        raise not_a_spreadsheet()
    # Excel saves CSV as UTF-8 with a BOM or, on Chinese Windows, as GBK (a subset of GB18030).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise not_a_spreadsheet()
    if CONTROL_CHARACTERS.search(text):
        raise not_a_spreadsheet()
    try:
        lines = csv.reader(io.StringIO(text, newline=""))
        headers = _trim([cell_text(value) for value in next(lines, [])][:MAX_COLUMNS])
        rows = _data_rows(lines, len(headers))
    except csv.Error as exc:
        raise not_a_spreadsheet() from exc
    return headers, rows


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _data_rows(lines: Iterable[Sequence[Any]], width: int) -> list[tuple[int, list[str]]]:
    rows = []
    for number, line in enumerate(lines, start=2):
        if number > MAX_LINES + 1:
            raise ImportFileError(
                _(
                    "The sheet has more than %(lines)s lines, blank ones included; delete the blank "
                    "lines below the data."
                )
                % {"lines": f"{MAX_LINES:,}"},
                code="too_many_lines",
            )
        values = [cell_text(value) for value in line[:width]]
        if not any(values):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(rows)s rows; split it into several files.")
                % {"rows": f"{MAX_ROWS:,}"},
                code="too_many_rows",
            )
        values += [""] * (width - len(values))
        rows.append((number, values))
    return rows


def cell_text(value: Any) -> str:
    """A cell as stripped text; whole numbers without ".0", our exports' formula escape undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def _header_key(text: str) -> str:
    return re.sub(r"[\s*＊]", "", unicodedata.normalize("NFKC", text)).casefold()


HEADER_ALIASES = {
    **{_header_key(column.header): column for column in COLUMNS},
    **{column.key: column for column in COLUMNS},
}


def map_headers(headers: Sequence[str]) -> dict[str, int]:
    """The position of each known column in the header row; unknown columns are left aside."""
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        column = HEADER_ALIASES.get(_header_key(header))
        if column is None:
            continue
        if column.key in positions:
            raise ImportFileError(
                _("The column %(column)s appears twice in the header row.")
                % {"column": column.header},
                code="duplicate_column",
            )
        positions[column.key] = position
    missing = [
        column.header for column in COLUMNS if column.required and column.key not in positions
    ]
    if missing:
        raise ImportFileError(
            _(
                "The header row lacks the required columns %(columns)s. Start from the import "
                "template and keep its first row."
            )
            % {"columns": "、".join(missing)},
            code="missing_columns",
        )
    return positions


# Validating ----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _labels(label) -> set[str]:
    """A choice label in Chinese, in English and in the user's language."""
    names = {str(label)}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.add(str(label))
    return names


def choice_aliases(choices: type[TextChoices]) -> dict[str, str]:
    aliases = {}
    for value, label in choices.choices:
        aliases[_fold(value)] = value
        for name in _labels(label):
            aliases[_fold(name)] = value
    return aliases


def boolean_aliases() -> dict[str, bool]:
    aliases = {
        **dict.fromkeys([YES, "y", "yes", "true", "1", "√", "✓"], True),
        **dict.fromkeys([NO, "n", "no", "false", "0", "×", "✗"], False),
    }
    # The unit list's XLSX export writes its translated yes and no.
    for word, meaning in ((gettext_lazy("yes"), True), (gettext_lazy("no"), False)):
        for name in _labels(word):
            aliases.setdefault(name, meaning)
    return {_fold(key): meaning for key, meaning in aliases.items()}


def normalize_code(text: str) -> str:
    """A credit code as stored: capitals, no spaces, full-width characters made plain."""
    return credit_codes.normalize(re.sub(r"\s", "", unicodedata.normalize("NFKC", text)))


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start : start + QUERY_CHUNK]


def _regions_by_code(codes: set[str]) -> dict[str, tuple[int, str, bool]]:
    found = {}
    for chunk in _chunks(sorted(codes)):
        for code, pk, name, active in Region.objects.filter(code__in=chunk).values_list(
            "code", "pk", "name", "is_active"
        ):
            found[code] = (pk, name, active)
    return found


def existing_credit_codes(codes: set[str]) -> dict[str, tuple[int, str]]:
    """The units that already hold any of `codes`: code → (id, name)."""
    found = {}
    for chunk in _chunks(sorted(codes)):
        for code, pk, name in MemberUnit.objects.filter(credit_code__in=chunk).values_list(
            "credit_code", "pk", "name"
        ):
            found[code] = (pk, name)
    return found


def validate_rows(
    rows: Sequence[tuple[int, list[str]]], positions: dict[str, int]
) -> tuple[list[MemberUnit], list[RowError]]:
    """Check every row; the unsaved units, or every problem found.

    Two queries per thousand distinct region or credit codes, whatever the number of rows.
    """

    def value(cells: list[str], key: str) -> str:
        return cells[positions[key]] if key in positions else ""

    region_codes = {value(cells, "region") for _number, cells in rows} - {""}
    credit_code_values = {normalize_code(value(cells, "credit_code")) for _number, cells in rows}
    credit_code_values.discard("")
    validator = _RowValidator(
        regions=_regions_by_code(region_codes),
        existing=existing_credit_codes(credit_code_values),
    )
    units, errors = [], []
    for number, cells in rows:
        unit, row_errors = validator.check(
            number, {key: value(cells, key) for key in COLUMN_BY_KEY}
        )
        errors.extend(row_errors)
        if unit is not None and not errors:
            units.append(unit)
    return units, errors


class _RowValidator:
    def __init__(self, *, regions: dict, existing: dict) -> None:
        self.regions = regions
        self.existing = existing
        self.seen_codes: dict[str, int] = {}
        self.choices = {
            column.key: choice_aliases(column.choices) for column in COLUMNS if column.choices
        }
        self.booleans = boolean_aliases()

    def check(self, number: int, raw: dict[str, str]) -> tuple[MemberUnit | None, list[RowError]]:
        errors: list[RowError] = []
        clean: dict[str, Any] = {}

        def fail(key: str, message: str) -> None:
            errors.append(RowError(number, COLUMN_BY_KEY[key].header, message))

        for column in COLUMNS:
            text = raw[column.key]
            if column.required and not text:
                fail(column.key, _("is required"))
                continue
            if column.kind in {"text", "email"} and len(text) > column.max_length:
                fail(
                    column.key,
                    _("has %(length)d characters; at most %(max)d are allowed")
                    % {"length": len(text), "max": column.max_length},
                )
                continue
            try:
                clean[column.key] = getattr(self, f"clean_{column.kind}")(column, text)
            except ValidationError as exc:
                fail(column.key, exc.messages[0])

        # An empty code is "" here; a malformed one is missing, being reported already.
        if clean.get("unit_type") in CREDIT_CODE_REQUIRED and clean.get("credit_code") == "":
            fail(
                "credit_code",
                _(
                    "Enterprises and social organizations must give their unified social credit code."
                ),
            )
        code = clean.get("credit_code")
        if code:
            if code in self.seen_codes:
                fail(
                    "credit_code",
                    _("%(code)s also appears in row %(first)d; each unit may appear only once")
                    % {"code": code, "first": self.seen_codes[code]},
                )
            else:
                self.seen_codes[code] = number
            if code in self.existing:
                pk, name = self.existing[code]
                fail(
                    "credit_code",
                    _("%(code)s already belongs to the unit “%(name)s” (ID %(id)d)")
                    % {"code": code, "name": name, "id": pk},
                )

        party_org_type = clean.get("party_org_type") or PartyOrgType.NONE
        if clean.get("org_covered") is None:
            clean["org_covered"] = party_org_type != PartyOrgType.NONE
        elif clean["org_covered"] and party_org_type == PartyOrgType.NONE:
            fail(
                "org_covered",
                _("A unit without a party organization cannot count as organization-covered."),
            )
        if errors:
            errors.sort(key=lambda error: COLUMN_ORDER[error.column])
            return None, errors
        return (
            MemberUnit(
                name=clean["name"],
                credit_code=code or None,
                unit_type=clean["unit_type"],
                region_id=clean["region"],
                address=clean["address"],
                industry=clean["industry"] or "",
                employee_count=clean["employee_count"],
                party_org_type=party_org_type,
                party_member_count=clean["party_member_count"] or 0,
                org_covered=clean["org_covered"],
                work_covered=bool(clean["work_covered"]),
                instructor=clean["instructor"],
                key_target=bool(clean["key_target"]),
                contact_name=clean["contact_name"],
                contact_phone=clean["contact_phone"],
                contact_email=clean["contact_email"],
                status=UnitStatus.ACTIVE,
            ),
            [],
        )

    def clean_text(self, column: Column, text: str) -> str:
        return text

    def clean_credit_code(self, column: Column, text: str) -> str:
        code = normalize_code(text)
        if not code:
            return ""
        if SCIENTIFIC.fullmatch(code):
            raise ValidationError(
                _(
                    "%(code)s is a number in scientific notation: the spreadsheet took the code for "
                    "a number. Format the column as text and type the code again"
                )
                % {"code": text}
            )
        if len(code) != 18 or any(c not in credit_codes.VALUES for c in code):
            raise ValidationError(
                _(
                    "%(code)s is not a credit code: it must have 18 characters, digits and capital "
                    "letters other than I, O, Z, S and V"
                )
                % {"code": code}
            )
        if not credit_codes.is_valid(code):
            raise ValidationError(
                _(
                    "the checksum of %(code)s is wrong: its last character does not match (GB 32100-2015)"
                )
                % {"code": code}
            )
        return code

    def clean_choice(self, column: Column, text: str) -> str:
        if not text:
            return ""
        try:
            return self.choices[column.key][_fold(text)]
        except KeyError:
            raise ValidationError(
                _("“%(value)s” is not an allowed value; see the sheet %(sheet)s of the template")
                % {"value": text, "sheet": SHEET_HELP}
            ) from None

    def clean_region(self, column: Column, text: str) -> int:
        if text not in self.regions:
            raise ValidationError(
                _("no region has the code %(code)s; see the sheet %(sheet)s of the template")
                % {"code": text, "sheet": SHEET_REGIONS}
            )
        pk, name, active = self.regions[text]
        if not active:
            raise ValidationError(
                _("the region %(code)s (%(name)s) is no longer active")
                % {"code": text, "name": name}
            )
        return pk

    def clean_integer(self, column: Column, text: str) -> int | None:
        if not text:
            return None
        digits = unicodedata.normalize("NFKC", text).replace(",", "")
        if not digits.isascii() or not digits.isdigit() or int(digits) > MAX_INTEGER:
            raise ValidationError(
                _("“%(value)s” is not a whole number of 0 or more") % {"value": text}
            )
        return int(digits)

    def clean_boolean(self, column: Column, text: str) -> bool | None:
        if not text:
            return None
        try:
            return self.booleans[_fold(text)]
        except KeyError:
            raise ValidationError(
                _("“%(value)s” is neither %(yes)s nor %(no)s")
                % {"value": text, "yes": YES, "no": NO}
            ) from None

    def clean_phone(self, column: Column, text: str) -> str:
        phone = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
        if not phone:
            return ""
        if not (MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone)):
            raise ValidationError(
                _(
                    "“%(value)s” is neither a mainland mobile number (11 digits, 13… to 19…) nor a "
                    "landline number with its area code (such as 021-64123456)"
                )
                % {"value": text}
            )
        if len(phone) > column.max_length:
            raise ValidationError(
                _("has %(length)d characters; at most %(max)d are allowed")
                % {"length": len(phone), "max": column.max_length}
            )
        return phone

    def clean_email(self, column: Column, text: str) -> str:
        if not text:
            return ""
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid e-mail address") % {"value": text}
            ) from None
        return text


# The template --------------------------------------------------------------------------------------


def _chinese(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def build_template() -> Workbook:
    """The import template: the units sheet with one example row, the instructions, the region codes."""
    workbook = Workbook()
    units = workbook.active
    units.title = SHEET_UNITS
    help_sheet = workbook.create_sheet(SHEET_HELP)
    regions = workbook.create_sheet(SHEET_REGIONS)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE2E1")

    units.append([column.template_header for column in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        cell = units.cell(row=1, column=position)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        letter = get_column_letter(position)
        units.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.kind in {"credit_code", "region", "phone"}:
            # Typed as text, so that Excel keeps leading zeros and all 18 characters of a code.
            units.column_dimensions[letter].number_format = "@"
    units.column_dimensions["A"].width = 40
    units.freeze_panes = "A2"
    example = _example_row()
    units.append([example[column.key] for column in COLUMNS])
    for position, column in enumerate(COLUMNS, start=1):
        if column.kind in {"credit_code", "region", "phone"}:
            units.cell(row=2, column=position).number_format = "@"

    _write_help(help_sheet, units, bold)

    regions.append([_("Code"), _("Name"), _("Level")])
    for cell in regions[1]:
        cell.font = bold
    levels = dict(RegionLevel.choices)
    for code, name, level in (
        Region.objects.filter(is_active=True).order_by("path").values_list("code", "name", "level")
    ):
        regions.append([code, name, str(levels.get(level, level))])
    regions.column_dimensions["A"].width = 20
    regions.column_dimensions["B"].width = 30
    regions.freeze_panes = "A2"
    return workbook


def _example_row() -> dict[str, Any]:
    region = (
        Region.objects.filter(is_active=True, level=RegionLevel.SUBDISTRICT)
        .order_by("path")
        .first()
        or Region.objects.filter(is_active=True).order_by("-depth", "path").first()
    )
    return {
        "name": EXAMPLE_NAME,
        "credit_code": credit_codes.generate(random.Random(2026)),
        "unit_type": _chinese(UnitType.PRIVATE_ENTERPRISE.label),
        "region": region.code if region else "310112008",
        "address": "上海市闵行区示例路 1 号",
        "industry": _chinese(Industry.DIGITAL_ECONOMY.label),
        "employee_count": 120,
        "party_org_type": _chinese(PartyOrgType.BRANCH.label),
        "party_member_count": 8,
        "org_covered": YES,
        "work_covered": YES,
        "instructor": "王指导",
        "key_target": NO,
        "contact_name": "张联络",
        "contact_phone": "021-64123456",
        "contact_email": "contact@example.com",
    }


def _write_help(sheet, units, bold: Font) -> None:
    notes = [
        _("How to fill in the sheet %(sheet)s") % {"sheet": SHEET_UNITS},
        _("Columns marked * are required. Keep the header row; the example row is ignored."),
        _(
            "Unified social credit code: 18 characters (GB 32100-2015), required for enterprises and "
            "social organizations, and unique."
        ),
        _("Region code: a code from the sheet %(sheet)s.") % {"sheet": SHEET_REGIONS},
        _(
            "Unit type, industry and party organization type: a value or a code from the lists "
            "below."
        ),
        _(
            "Organization coverage, work coverage and key target: %(yes)s or %(no)s. An empty "
            "organization coverage means %(yes)s when the unit has a party organization."
        )
        % {"yes": YES, "no": NO},
        _("Employees and party members: whole numbers of 0 or more."),
        _(
            "Contact phone: a mainland mobile number or a landline number with its area code, such "
            "as 021-64123456."
        ),
        _(
            "A file holds at most %(rows)s rows and %(size)d MB. If any row is wrong, nothing is "
            "imported and every wrong row is listed."
        )
        % {"rows": f"{MAX_ROWS:,}", "size": MAX_FILE_SIZE // (1024 * 1024)},
    ]
    for note in notes:
        sheet.append([note])
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append([_("Column"), _("Value"), _("Code")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for column in COLUMNS:
        if not column.choices:
            continue
        first = sheet.max_row + 1
        for value, label in column.choices.choices:
            sheet.append([column.header, _chinese(label), value])
        _dropdown(units, column, f"'{SHEET_HELP}'!$B${first}:$B${sheet.max_row}")
    for column in COLUMNS:
        if column.kind == "boolean":
            sheet.append([column.header, YES, "1"])
            sheet.append([column.header, NO, "0"])
            _dropdown(units, column, f'"{YES},{NO}"')
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 26


def _dropdown(units, column: Column, source: str) -> None:
    # A suggestion only: codes are accepted too, so Excel must not refuse other values.
    validation = DataValidation(
        type="list", formula1=source, allow_blank=True, showErrorMessage=False
    )
    letter = get_column_letter(COLUMNS.index(column) + 1)
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    units.add_data_validation(validation)


def template_bytes() -> bytes:
    handle = io.BytesIO()
    build_template().save(handle)
    return handle.getvalue()
