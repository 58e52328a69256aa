"""Matching: which resource offers and units fit a demand or an open project, and why.

Each suggestion carries the reasons it was made (same category, same street, a fellow member of the
alliance …) so that staff can judge it rather than trust a score. The candidates come from a fixed
number of queries, each bounded, whatever the size of the network; the scoring is done on those rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Membership
from members.choices import Industry, UnitStatus
from members.models import MemberUnit
from services.choices import DemandCategory, DemandStatus, ResourceCategory
from services.models import Demand, JointProject, ResourceOffer

# Which kinds of offer answer which kind of need.
OFFER_CATEGORIES: dict[str, tuple[str, ...]] = {
    DemandCategory.FINANCING: (ResourceCategory.FUNDING,),
    DemandCategory.TALENT: (
        ResourceCategory.TRAINING,
        ResourceCategory.EXPERTISE,
        ResourceCategory.VOLUNTEERS,
    ),
    DemandCategory.POLICY: (ResourceCategory.EXPERTISE, ResourceCategory.TRAINING),
    DemandCategory.LAND_SPACE: (ResourceCategory.VENUE,),
    DemandCategory.LEGAL: (ResourceCategory.EXPERTISE,),
    DemandCategory.TAX: (ResourceCategory.EXPERTISE, ResourceCategory.TRAINING),
    DemandCategory.MARKET_ACCESS: (ResourceCategory.EXPERTISE, ResourceCategory.FUNDING),
    DemandCategory.DAILY_LIFE: (
        ResourceCategory.VOLUNTEERS,
        ResourceCategory.VENUE,
        ResourceCategory.EQUIPMENT,
    ),
    DemandCategory.OTHER: tuple(ResourceCategory.values),
}

# Which industries serve which kind of need (a bank for financing, a law firm for legal questions).
SERVING_INDUSTRIES: dict[str, tuple[str, ...]] = {
    DemandCategory.FINANCING: (Industry.FINANCE,),
    DemandCategory.TAX: (Industry.FINANCE,),
    DemandCategory.LEGAL: (Industry.LEGAL_SERVICES,),
    DemandCategory.TALENT: (Industry.EDUCATION_HEALTH,),
    DemandCategory.LAND_SPACE: (Industry.PROPERTY,),
    DemandCategory.MARKET_ACCESS: (Industry.COMMERCE,),
    DemandCategory.POLICY: (Industry.PUBLIC_SERVICE,),
    DemandCategory.DAILY_LIFE: (Industry.PUBLIC_SERVICE,),
}

# Bounds on the rows read per query: enough to rank, small enough at the size of Pudong.
CANDIDATE_LIMIT = 200


@dataclass
class Suggestion:
    """One resource offer or unit that fits, with the reasons it was chosen."""

    kind: str  # "offer" or "unit"
    unit: MemberUnit
    offer: ResourceOffer | None = None
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score += points
        self.reasons.append(reason)

    @property
    def title(self) -> str:
        return self.offer.title if self.offer else self.unit.name

    @property
    def url(self) -> str:
        return (self.offer or self.unit).get_absolute_url()


@dataclass
class _Need:
    """What is being matched: a demand or a project reduced to the fields matching uses."""

    category: str
    region_path: str
    own_units: set[int]
    alliance_ids: set[int]
    alliance_names: dict[int, str]
    industry: str
    exclude_units: set[int]
    # A demand wants units able to answer it; a project also welcomes any fellow member.
    members_fit: bool = False


def _district_prefix(path: str) -> str:
    # Paths are province/city-or-district/…: the first two codes name the district (or city).
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:2]) + "/" if len(parts) >= 2 else path


def _alliances_of(unit_ids: set[int]) -> dict[int, str]:
    if not unit_ids:
        return {}
    rows = (
        Membership.objects.current()
        .filter(unit_id__in=unit_ids)
        .values_list("alliance_id", "alliance__name")
    )
    return dict(rows)


def _fellow_alliances(alliance_ids: set[int], unit_ids: set[int]) -> dict[int, list[int]]:
    """For each of `unit_ids`, which of `alliance_ids` it is a current member of (one query)."""
    found: dict[int, list[int]] = defaultdict(list)
    if not alliance_ids or not unit_ids:
        return found
    rows = (
        Membership.objects.current()
        .filter(alliance_id__in=alliance_ids, unit_id__in=unit_ids)
        .values_list("unit_id", "alliance_id")
    )
    for unit_id, alliance_id in rows:
        found[unit_id].append(alliance_id)
    return found


def _place_reason(suggestion: Suggestion, region, need: _Need) -> None:
    if region is None or not need.region_path:
        return
    if region.path.startswith(need.region_path) or need.region_path.startswith(region.path):
        suggestion.add(3, _("in the same area (%(region)s)") % {"region": region.name})
    elif region.path.startswith(_district_prefix(need.region_path)):
        suggestion.add(1, _("in the same district"))


def _alliance_reason(suggestion: Suggestion, alliances: list[int], need: _Need) -> None:
    if alliances:
        names = "、".join(need.alliance_names[a] for a in alliances[:2])
        suggestion.add(4, _("a fellow member of %(alliance)s") % {"alliance": names})


def _offer_suggestions(need: _Need, today: datetime.date) -> list[Suggestion]:
    categories = OFFER_CATEGORIES.get(need.category, ())
    category_labels = dict(ResourceCategory.choices)
    in_reach = (
        Q(region__path__startswith=_district_prefix(need.region_path)) if need.region_path else Q()
    )
    if need.alliance_ids:
        members = Membership.objects.current().filter(alliance_id__in=need.alliance_ids)
        in_reach |= Q(unit_id__in=members.values("unit_id"))
    offers = list(
        ResourceOffer.objects.filter(
            in_reach,
            is_active=True,
            category__in=categories,
            unit__status=UnitStatus.ACTIVE,
        )
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .exclude(unit_id__in=need.exclude_units)
        .select_related("unit", "region")
        .order_by("-created_at", "-id")[:CANDIDATE_LIMIT]
    )
    fellows = _fellow_alliances(need.alliance_ids, {o.unit_id for o in offers})
    suggestions = []
    for offer in offers:
        suggestion = Suggestion(kind="offer", unit=offer.unit, offer=offer)
        suggestion.add(
            2,
            _("offers %(what)s, which a %(need)s need calls for")
            % {
                "what": category_labels[offer.category],
                "need": DemandCategory(need.category).label,
            },
        )
        _alliance_reason(suggestion, fellows.get(offer.unit_id, []), need)
        _place_reason(suggestion, offer.region, need)
        if need.industry and offer.unit.industry == need.industry:
            suggestion.add(1, _("in the same industry"))
        suggestions.append(suggestion)
    return suggestions


def _unit_suggestions(need: _Need) -> list[Suggestion]:
    candidates: dict[int, Suggestion] = {}
    handled = (
        Demand.objects.filter(
            category=need.category,
            status__in=[DemandStatus.RESOLVED, DemandStatus.CLOSED],
            assignee_unit__isnull=False,
            assignee_unit__status=UnitStatus.ACTIVE,
        )
        .exclude(assignee_unit_id__in=need.exclude_units)
        .values("assignee_unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    )
    handled_counts = {row["assignee_unit_id"]: row["n"] for row in handled}
    serving = SERVING_INDUSTRIES.get(need.category, ())
    near = _district_prefix(need.region_path) if need.region_path else ""
    local_peers = Q(pk__in=list(handled_counts))
    if serving and near:
        local_peers |= Q(industry__in=serving, region__path__startswith=near)
    if need.alliance_ids:
        members = Membership.objects.current().filter(alliance_id__in=need.alliance_ids)
        local_peers |= Q(pk__in=members.values("unit_id"))
    units = list(
        MemberUnit.objects.filter(local_peers, status=UnitStatus.ACTIVE)
        .exclude(pk__in=need.exclude_units)
        .select_related("region")
        .order_by("-id")[:CANDIDATE_LIMIT]
    )
    fellows = _fellow_alliances(need.alliance_ids, {u.pk for u in units})
    for unit in units:
        suggestion = Suggestion(kind="unit", unit=unit)
        if unit.pk in handled_counts:
            suggestion.add(
                3,
                _("has resolved %(count)s %(need)s demands before")
                % {
                    "count": handled_counts[unit.pk],
                    "need": DemandCategory(need.category).label,
                },
            )
        if unit.industry in serving:
            suggestion.add(
                2, _("works in %(industry)s") % {"industry": unit.get_industry_display()}
            )
        _alliance_reason(suggestion, fellows.get(unit.pk, []), need)
        _place_reason(suggestion, unit.region, need)
        if need.industry and unit.industry == need.industry:
            suggestion.add(1, _("in the same industry"))
        fits = unit.pk in handled_counts or unit.industry in serving
        if fits or (need.members_fit and fellows.get(unit.pk)):
            candidates[unit.pk] = suggestion
    return list(candidates.values())


def _rank(suggestions: list[Suggestion], limit: int) -> list[Suggestion]:
    # Alliance members first, then the score; the newest row breaks ties so the order is stable.
    suggestions.sort(
        key=lambda s: (-s.score, -(s.offer.pk if s.offer else s.unit.pk)),
    )
    return suggestions[:limit]


def _suggest(need: _Need, limit: int) -> list[Suggestion]:
    today = timezone.localdate()
    offers = _rank(_offer_suggestions(need, today), limit)
    units = _rank(_unit_suggestions(need), limit)
    return offers + units


def suggestions_for_demand(demand: Demand, *, limit: int = 8) -> list[Suggestion]:
    """Offers (up to `limit`) then units (up to `limit`) that could answer `demand`, best first."""
    own = {demand.unit_id} if demand.unit_id else set()
    alliances = _alliances_of(own)
    need = _Need(
        category=demand.category,
        region_path=demand.region.path if demand.region_id else "",
        own_units=own,
        alliance_ids=set(alliances),
        alliance_names=alliances,
        industry=demand.unit.industry if demand.unit_id else "",
        exclude_units=own,
    )
    return _suggest(need, limit)


def suggestions_for_project(project: JointProject, *, limit: int = 8) -> list[Suggestion]:
    """Offers then units that could join or serve `project`, its alliance's members first."""
    taking_part = set(project.participants.values_list("unit_id", flat=True))
    if project.lead_unit_id:
        taking_part.add(project.lead_unit_id)
    need = _Need(
        category=project.category,
        region_path=project.region.path if project.region_id else "",
        own_units=taking_part,
        alliance_ids={project.alliance_id},
        alliance_names={project.alliance_id: project.alliance.name},
        industry=project.lead_unit.industry if project.lead_unit_id else "",
        exclude_units=taking_part,
        members_fit=True,
    )
    return _suggest(need, limit)
