"""Open data (公开数据): the public datasets, written as CSV and JSON with a data dictionary.

Only what the portal already shows to anyone without signing in, and aggregates: the public open
service stations with their services and opening hours, the alliance directory, and per street and
quarter the counts of activities, participants and demands. Never a person, a phone number, an
e-mail address or a single demand. `open_data_build()` writes every dataset into the default storage
under `opendata/` (a daily beat task and `manage.py build_open_data` call it); the public page
`/open-data/` lists them with their dates and sizes.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alliances.choices import AllianceStatus
from alliances.models import Alliance
from portal.regions.choices import RegionLevel
from portal.regions.models import Region
from services.choices import DemandStatus
from services.models import Activity, Demand, ServiceStation

PREFIX = "opendata"
INDEX = f"{PREFIX}/index.json"
FORMATS = ("csv", "json")
RESOLVED = {DemandStatus.RESOLVED, DemandStatus.CLOSED}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # string, integer, number, date
    description: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[dict]]

    def dictionary(self) -> dict:
        return {
            "slug": self.slug,
            "title": str(self.title),
            "description": str(self.description),
            "fields": [
                {"name": f.name, "type": f.kind, "description": str(f.description)}
                for f in self.fields
            ],
        }


def _stations() -> Iterable[dict]:
    stations = (
        ServiceStation.objects.filter(is_public=True, is_open=True)
        .select_related("region")
        .prefetch_related("services")
        .order_by("region__code", "name")
    )
    for s in stations:
        yield {
            "id": s.pk,
            "name": s.name,
            "kind": s.get_kind_display(),
            "region_code": s.region.code,
            "region_name": s.region.name,
            "address": s.address,
            "latitude": float(s.latitude) if s.latitude is not None else None,
            "longitude": float(s.longitude) if s.longitude is not None else None,
            "opening_hours": s.opening_hours,
            "services": "；".join(sorted(c.name for c in s.services.all())),
        }


def _alliances() -> Iterable[dict]:
    alliances = (
        Alliance.objects.filter(status=AllianceStatus.ACTIVE)
        .select_related("lead_unit")
        .annotate(
            members=Count("memberships", filter=Q(memberships__left_on__isnull=True), distinct=True)
        )
        .order_by("name")
    )
    for a in alliances:
        yield {
            "id": a.pk,
            "name": a.name,
            "kind": a.get_kind_display(),
            "lead_unit": a.lead_unit.name if a.lead_unit_id else "",
            "founded_on": a.founded_on.isoformat() if a.founded_on else None,
            "member_units": a.members,
            "description": a.description,
        }


def _quarter(month: int) -> int:
    return (month - 1) // 3 + 1


def _street_quarters() -> Iterable[dict]:
    """Per street and quarter: activities, participants, demands raised and resolved (3 queries)."""
    streets = {
        r.pk: r for r in Region.objects.filter(level=RegionLevel.SUBDISTRICT).only("code", "name")
    }
    figures: dict[tuple[int, int, int], dict] = {}

    def cell(region_id, year, month) -> dict:
        key = (region_id, year, _quarter(month))
        return figures.setdefault(
            key,
            {"activities": 0, "participants": 0, "demands_raised": 0, "demands_resolved": 0},
        )

    local = timezone.get_current_timezone()

    def monthly(queryset, field: str, *, tz=None, **sums):
        """The rows of `queryset` counted per region and month of `field`."""
        return (
            queryset.filter(region_id__in=streets)
            .annotate(y=ExtractYear(field, tzinfo=tz), m=ExtractMonth(field, tzinfo=tz))
            .values("region_id", "y", "m")
            .annotate(n=Count("id"), **sums)
        )

    for row in monthly(Activity.objects, "held_on", people=Sum("participant_count")):
        c = cell(row["region_id"], row["y"], row["m"])
        c["activities"] += row["n"]
        c["participants"] += row["people"] or 0
    demands = (
        ("demands_raised", Demand.objects.all(), "created_at"),
        ("demands_resolved", Demand.objects.filter(status__in=RESOLVED), "resolved_at"),
    )
    for name, queryset, field in demands:
        for row in monthly(queryset.filter(**{f"{field}__isnull": False}), field, tz=local):
            cell(row["region_id"], row["y"], row["m"])[name] += row["n"]
    for (region_id, year, quarter), counts in sorted(
        figures.items(), key=lambda item: (streets[item[0][0]].code, item[0][1], item[0][2])
    ):
        street = streets[region_id]
        yield {
            "region_code": street.code,
            "region_name": street.name,
            "period": f"{year}Q{quarter}",
            **counts,
        }


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "stations",
        _("Public service stations"),
        _(
            "The open service stations shown on the public map, with their services and opening hours."
        ),
        (
            Field("id", "integer", _("The station's number in the portal.")),
            Field("name", "string", _("Name.")),
            Field("kind", "string", _("Kind of station.")),
            Field("region_code", "string", _("Statistical division code of its street or town.")),
            Field("region_name", "string", _("Its street or town.")),
            Field("address", "string", _("Address.")),
            Field("latitude", "number", _("Latitude (WGS 84), empty if unknown.")),
            Field("longitude", "number", _("Longitude (WGS 84), empty if unknown.")),
            Field("opening_hours", "string", _("Opening hours as the station states them.")),
            Field("services", "string", _("The services it offers, separated by ；.")),
        ),
        _stations,
    ),
    Dataset(
        "alliances",
        _("Alliance directory"),
        _("The active party-building alliances with their lead unit and number of member units."),
        (
            Field("id", "integer", _("The alliance's number in the portal.")),
            Field("name", "string", _("Name.")),
            Field("kind", "string", _("Kind of alliance.")),
            Field("lead_unit", "string", _("The lead unit.")),
            Field("founded_on", "date", _("Founded on (YYYY-MM-DD), empty if unknown.")),
            Field("member_units", "integer", _("Current member units.")),
            Field("description", "string", _("Description.")),
        ),
        _alliances,
    ),
    Dataset(
        "street-quarters",
        _("Figures per street and quarter"),
        _(
            "Per street or town and quarter: activities held, their participants (人次), demands "
            "raised and demands resolved. Counts only; quarters without any are left out."
        ),
        (
            Field("region_code", "string", _("Statistical division code of the street or town.")),
            Field("region_name", "string", _("The street or town.")),
            Field("period", "string", _("The quarter, as 2026Q3.")),
            Field("activities", "integer", _("Activities held.")),
            Field("participants", "integer", _("Participants of those activities (人次).")),
            Field("demands_raised", "integer", _("Demands raised.")),
            Field("demands_resolved", "integer", _("Demands resolved.")),
        ),
        _street_quarters,
    ),
)
BY_SLUG = {d.slug: d for d in DATASETS}


def _csv(dataset: Dataset, rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[f.name for f in dataset.fields], lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    # With a byte-order mark, so that Excel opens the Chinese as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def path_of(slug: str, fmt: str) -> str:
    return f"{PREFIX}/{slug}.{fmt}"


def open_data_build(*, now: datetime.datetime | None = None) -> list[dict]:
    """Write every dataset as CSV and JSON (the JSON with its dictionary) and the index; returns the
    index's entries. Written in Chinese, the portal's language, whoever runs it."""
    now = now or timezone.now()
    entries = []
    with translation.override("zh-hans"):
        for dataset in DATASETS:
            rows = list(dataset.rows())
            files = {
                "csv": _csv(dataset, rows),
                "json": json.dumps(
                    {**dataset.dictionary(), "generated_at": now.isoformat(), "rows": rows},
                    ensure_ascii=False,
                    indent=1,
                ).encode("utf-8"),
            }
            sizes = {}
            for fmt, content in files.items():
                path = path_of(dataset.slug, fmt)
                if default_storage.exists(path):
                    default_storage.delete(path)
                default_storage.save(path, ContentFile(content))
                sizes[fmt] = len(content)
            entries.append(
                {
                    **dataset.dictionary(),
                    "rows": len(rows),
                    "sizes": sizes,
                    "generated_at": now.isoformat(),
                }
            )
    if default_storage.exists(INDEX):
        default_storage.delete(INDEX)
    default_storage.save(
        INDEX, ContentFile(json.dumps(entries, ensure_ascii=False).encode("utf-8"))
    )
    return entries


def open_data_index() -> list[dict]:
    """The index the last build wrote; empty before the first build."""
    if not default_storage.exists(INDEX):
        return []
    with default_storage.open(INDEX, "rb") as handle:
        entries = json.loads(handle.read().decode("utf-8"))
    for entry in entries:
        entry["generated_at"] = datetime.datetime.fromisoformat(entry["generated_at"])
    return entries
