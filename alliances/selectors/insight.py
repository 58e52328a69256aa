"""Network insight: the three lists district staff act on (docs/insight.md defines each one).

Every selector runs a fixed number of queries, however many units, regions or alliances there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from members.choices import Industry, PartyOrgType
from members.models import MemberUnit
from portal.regions.choices import RegionLevel
from portal.regions.models import PATH_SEPARATOR, Region

from ..choices import AllianceStatus
from ..models import Alliance, Membership

# The names of a connector's alliances are joined the way a Chinese list is written.
NAME_SEPARATOR = "、"


def _live_memberships() -> QuerySet[Membership]:
    """Memberships that count for the network: still open, in an active alliance."""
    return Membership.objects.current().filter(alliance__status=AllianceStatus.ACTIVE)


def _connected() -> Exists:
    """True for a unit (the outer row) that holds a live membership."""
    return Exists(_live_memberships().filter(unit_id=OuterRef("pk")))


# 1. Connectors


def connector_units(*, min_alliances: int = 2) -> QuerySet[MemberUnit]:
    """Active units in at least `min_alliances` active alliances, most connected first.

    Each unit carries `alliance_count` and `live_memberships` (with their alliances, by name),
    from the one query and a single prefetch.
    """
    # Filtering before annotating joins only the live memberships, not every unit's history.
    return (
        MemberUnit.objects.active()
        .filter(
            memberships__left_on__isnull=True,
            memberships__alliance__status=AllianceStatus.ACTIVE,
        )
        .annotate(alliance_count=Count("memberships__alliance", distinct=True))
        .filter(alliance_count__gte=min_alliances)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=_live_memberships()
                .select_related("alliance")
                .order_by("alliance__name", "alliance_id"),
                to_attr="live_memberships",
            )
        )
        .order_by("-alliance_count", "name", "id")
    )


def alliance_names(unit: MemberUnit) -> str:
    """The names of a unit from `connector_units`'s alliances, joined with 、."""
    return NAME_SEPARATOR.join(m.alliance.name for m in unit.live_memberships)


# 2. Uncovered streets and industries


@dataclass(frozen=True)
class UncoveredRegion:
    region: Region
    district_name: str
    unit_count: int
    key_target_count: int


@dataclass(frozen=True)
class UncoveredIndustry:
    industry: str
    label: str
    unit_count: int


def _units_by(field: str) -> Iterable[dict]:
    """Active units grouped by `field`: how many, how many key targets, how many connected."""
    return (
        MemberUnit.objects.active()
        .annotate(connected=_connected())
        .values(field)
        .annotate(
            units=Count("pk"),
            key_targets=Count("pk", filter=Q(key_target=True)),
            connected_units=Count("pk", filter=Q(connected=True)),
        )
        .order_by()
    )


def _street_of(path: str, streets: dict[str, Region]) -> str | None:
    """The path of the street in `streets` that `path` lies in (or is), if any."""
    prefix = ""
    for code in path.split(PATH_SEPARATOR)[:-1]:
        prefix += code + PATH_SEPARATOR
        if prefix in streets:
            return prefix
    return None


def uncovered_regions() -> list[UncoveredRegion]:
    """Active streets and towns in whose subtree no active unit holds a live membership.

    Two queries: the streets, and the active units grouped by the path of their region, which
    is then bucketed by street in Python (a unit in a community or grid counts for its street).
    Most key targets first, then most units.
    """
    streets = {
        r.path: r
        for r in Region.objects.filter(level=RegionLevel.SUBDISTRICT, is_active=True)
        .select_related("parent")
        .order_by("path")
    }
    totals = {path: {"units": 0, "key_targets": 0, "connected_units": 0} for path in streets}
    for row in _units_by("region__path"):
        street = _street_of(row["region__path"], streets)
        if street is not None:
            for key, value in totals[street].items():
                totals[street][key] = value + row[key]
    uncovered = [
        UncoveredRegion(
            region=region,
            district_name=region.parent.name if region.parent else "",
            unit_count=totals[path]["units"],
            key_target_count=totals[path]["key_targets"],
        )
        for path, region in streets.items()
        if totals[path]["connected_units"] == 0
    ]
    uncovered.sort(key=lambda u: (-u.key_target_count, -u.unit_count, u.region.path))
    return uncovered


def uncovered_industries() -> list[UncoveredIndustry]:
    """Industries with active units, none of them connected and no active alliance of their own.

    Two queries whatever the number of units; the most units first.
    """
    with_alliance = set(
        Alliance.objects.active().exclude(industry="").values_list("industry", flat=True)
    )
    labels = dict(Industry.choices)
    uncovered = [
        UncoveredIndustry(
            industry=row["industry"],
            label=str(labels.get(row["industry"], row["industry"])),
            unit_count=row["units"],
        )
        for row in _units_by("industry")
        if row["industry"] and row["connected_units"] == 0 and row["industry"] not in with_alliance
    ]
    uncovered.sort(key=lambda u: (-u.unit_count, u.industry))
    return uncovered


# 3. Key targets without a party organization


def key_targets_without_party() -> QuerySet[MemberUnit]:
    """Active key-target units with no party organization, the largest first."""
    return (
        MemberUnit.objects.active()
        .filter(key_target=True, party_org_type=PartyOrgType.NONE)
        .select_related("region")
        .order_by(F("employee_count").desc(nulls_last=True), "name", "id")
    )
