"""Writes of the region tree: loading the official divisions of a province or city (a first install)."""

from __future__ import annotations

import gzip
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .choices import RegionLevel
from .models import Region

DIVISIONS = Path(__file__).with_name("data") / "divisions-2023.json.gz"
DIVISIONS_EDITION = "2023"
# Municipalities: their districts stand right below them (the city level is "市辖区", a placeholder).
MUNICIPALITIES = {"11", "12", "31", "50"}


@dataclass
class LoadResult:
    created: list[Region] = field(default_factory=list)
    renamed: list[Region] = field(default_factory=list)
    unchanged: int = 0

    @property
    def total(self) -> int:
        return len(self.created) + len(self.renamed) + self.unchanged


@cache
def _divisions() -> list[dict]:
    with gzip.open(DIVISIONS, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _six(code: str) -> str:
    """A province's or city's two- or four-digit statistical prefix as its six-digit GB/T 2260 code."""
    return code.ljust(6, "0")


def _prefix(code: str) -> str:
    """`310000`, `31` → `31`; `440100`, `4401` → `4401`: which province or city is asked for."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise ValidationError(
            _("Give a province or city code of 2, 4 or 6 digits, such as 310000 or 440100.")
        )
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
        raise ValidationError(
            _("%(code)s is a district: give its province or city, such as %(city)s.")
            % {"code": code, "city": code[:4] + "00"}
        )
    return code


def _rows(prefix: str) -> list[tuple[str, str, str, str | None]]:
    """(code, name, level, parent code) of the province or city, from the top down."""
    province = next((p for p in _divisions() if p["code"] == prefix[:2]), None)
    if province is None:
        raise ValidationError(_("No province has the code %(code)s.") % {"code": _six(prefix)})
    rows = [(_six(province["code"]), province["name"], RegionLevel.PROVINCE, None)]
    cities = province.get("children", [])
    if len(prefix) == 4:
        cities = [c for c in cities if c["code"] == prefix]
        if not cities:
            raise ValidationError(_("No city has the code %(code)s.") % {"code": _six(prefix)})
    municipality = province["code"] in MUNICIPALITIES
    for city in cities:
        parent = rows[0][0]
        if not municipality:
            rows.append((_six(city["code"]), city["name"], RegionLevel.CITY, parent))
            parent = _six(city["code"])
        for district in city.get("children", []):
            rows.append((district["code"], district["name"], RegionLevel.DISTRICT, parent))
            for township in district.get("children", []):
                rows.append(
                    (township["code"], township["name"], RegionLevel.SUBDISTRICT, district["code"])
                )
    return rows


@transaction.atomic
def regions_load(*, code: str) -> LoadResult:
    """Create or rename the regions of a province (`310000`) or a city (`440100`) down to its
    streets and towns, from the shipped statistical division codes (portal/regions/data). Idempotent:
    a region that is already there with its name is left as it is; one whose name changed is
    renamed; nothing is deleted or moved, and regions below the streets (communities, grids) stay."""
    rows = _rows(_prefix(code))
    existing = {r.code: r for r in Region.objects.filter(code__in=[row[0] for row in rows])}
    result = LoadResult()
    for code_, name, level, parent_code in rows:
        region = existing.get(code_)
        if region is None:
            region = Region(
                code=code_,
                name=name,
                level=level,
                parent=existing.get(parent_code) if parent_code else None,
            )
            region.save()
            existing[code_] = region
            result.created.append(region)
        elif region.name != name:
            region.name = name
            region.save(update_fields=["name"])
            result.renamed.append(region)
        else:
            result.unchanged += 1
    return result


# --- the XLSX import of communities and grids ---------------------------------------------------

IMPORT_HEADERS = ("代码", "名称", "层级", "上级代码")
IMPORT_LEVELS = {"社区": RegionLevel.COMMUNITY, "网格": RegionLevel.GRID}
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# What may stand above each imported level.
IMPORT_PARENTS = {
    RegionLevel.COMMUNITY: {RegionLevel.SUBDISTRICT},
    RegionLevel.GRID: {RegionLevel.SUBDISTRICT, RegionLevel.COMMUNITY},
}
CODE = re.compile(r"^[0-9A-Za-z-]{1,20}$")


@dataclass(frozen=True)
class ImportRowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: list[Region] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def import_template() -> bytes:
    """The import template: the four columns and one example row that the import skips."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "社区和网格"
    sheet.append([f"{header}*" for header in IMPORT_HEADERS])
    sheet.append(
        ["示例：310115005-C01", "示例：陆家嘴第一居民区（导入时忽略本行）", "社区", "310115005"]
    )
    for column in "ABCD":
        sheet.column_dimensions[column].width = 26
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _read(upload) -> list[tuple[int, list[str]]]:
    if getattr(upload, "size", 0) > IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise ValidationError(_("This is not an XLSX file made from the template.")) from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True, max_col=len(IMPORT_HEADERS))
    header = [_cell(v).rstrip("*") for v in next(lines, ())]
    if tuple(header[: len(IMPORT_HEADERS)]) != IMPORT_HEADERS:
        raise ValidationError(
            _("The first row must be the template's headers: %(headers)s.")
            % {"headers": "、".join(IMPORT_HEADERS)}
        )
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = [_cell(v) for v in values] + [""] * len(IMPORT_HEADERS)
        if not any(cells) or cells[0].startswith("示例"):
            continue
        rows.append((number, cells[: len(IMPORT_HEADERS)]))
        if len(rows) > IMPORT_MAX_ROWS:
            raise ValidationError(_("At most %(rows)d rows at a time.") % {"rows": IMPORT_MAX_ROWS})
    return rows


def regions_import(upload, *, by) -> ImportResult:
    """Create the communities and grids of a filled template: every row is checked first, and
    either every row is created or none is, with each wrong row's reason."""
    if not (by.is_authenticated and by.is_district_staff):
        raise PermissionDenied(_("Only district staff can import regions."))
    rows = _read(upload)
    result = ImportResult(rows=len(rows))
    codes = [cells[0] for _number, cells in rows]
    known = {
        r.code: r
        for r in Region.objects.filter(code__in={*codes, *(cells[3] for _n, cells in rows)})
    }
    levels_in_file: dict[str, str] = {}
    seen: set[str] = set()
    for number, (code, name, level_text, parent_code) in rows:

        def refuse(column: str, message: str, number=number) -> None:
            result.errors.append(ImportRowError(number, column, message))

        level = IMPORT_LEVELS.get(level_text)
        if not CODE.match(code):
            refuse("代码", _("Use 1 to 20 digits, letters and hyphens."))
        elif code in seen:
            refuse("代码", _("This code stands in an earlier row."))
        elif code in known:
            refuse(
                "代码", _("A region with this code exists: %(name)s.") % {"name": known[code].name}
            )
        if not name:
            refuse("名称", _("Required."))
        elif len(name) > 100:
            refuse("名称", _("At most 100 characters."))
        if level is None:
            refuse("层级", _("Write 社区 or 网格."))
        parent_level = (
            known[parent_code].level if parent_code in known else levels_in_file.get(parent_code)
        )
        if not parent_code:
            refuse("上级代码", _("Required."))
        elif parent_level is None:
            refuse("上级代码", _("No region has this code (nor an earlier row)."))
        elif level is not None and parent_level not in IMPORT_PARENTS[level]:
            refuse(
                "上级代码", _("A %(level)s cannot stand below this region.") % {"level": level_text}
            )
        seen.add(code)
        if level is not None:
            levels_in_file[code] = level
    if result.errors:
        return result
    with transaction.atomic():
        made = dict(known)
        for _number, (code, name, level_text, parent_code) in rows:
            region = Region(
                code=code, name=name, level=IMPORT_LEVELS[level_text], parent=made[parent_code]
            )
            region.save()
            made[code] = region
            result.created.append(region)
    return result
