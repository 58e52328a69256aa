from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from alliances.models import Alliance
from members.models import MemberUnit
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.choices import RegionLevel
from portal.regions.models import Region
from portal.reports.selectors import dashboard_report


def dashboard_overview(*, user: User) -> dict[str, Any]:
    """Figures for the dashboard shell, limited to the user's region for a street secretary."""
    regions = Region.objects.restrict(user).filter(is_active=True)
    if user.is_street_secretary and user.region_id:
        regions = regions.filter(path__startswith=user.region.path)
    by_level = dict(regions.values_list("level").annotate(n=Count("id")).order_by())
    users_by_role = dict(
        User.objects.restrict(user)
        .filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("id"))
        .order_by()
    )
    units = MemberUnit.objects.restrict(user).active()
    if user.is_street_secretary and user.region_id:
        units = units.filter(region__path__startswith=user.region.path)
    unit_figures = units.aggregate(
        total=Count("id"),
        org_covered=Count("id", filter=Q(org_covered=True)),
        work_covered=Count("id", filter=Q(work_covered=True)),
    )
    total = unit_figures["total"]
    cards = [
        {
            "key": "alliances",
            "label": _("Active alliances"),
            "value": Alliance.objects.restrict(user).active().count(),
        },
        {"key": "units", "label": _("Active member units"), "value": total},
        {
            "key": "org-coverage",
            "label": _("Organization coverage"),
            "value": f"{unit_figures['org_covered'] / total:.1%}" if total else "—",
        },
        {
            "key": "work-coverage",
            "label": _("Work coverage"),
            "value": f"{unit_figures['work_covered'] / total:.1%}" if total else "—",
        },
        {"key": "regions", "label": _("Regions"), "value": sum(by_level.values())},
        {
            "key": "subdistricts",
            "label": _("Streets and towns"),
            "value": by_level.get(RegionLevel.SUBDISTRICT, 0),
        },
        {"key": "grids", "label": _("Grids"), "value": by_level.get(RegionLevel.GRID, 0)},
        {
            "key": "secretaries",
            "label": _("Street secretaries"),
            "value": users_by_role.get(Role.STREET_SECRETARY, 0),
        },
    ]
    chart = {
        "tooltip": {},
        "grid": {"left": 40, "right": 10, "top": 20, "bottom": 30},
        "xAxis": {
            "type": "category",
            "data": [str(label) for _value, label in RegionLevel.choices],
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "data": [by_level.get(value, 0) for value, _label in RegionLevel.choices],
            }
        ],
    }
    return {
        "cards": cards,
        "regions_chart": chart,
        "meetings_due": dashboard_meetings_due(user=user),
        "report": dashboard_report(user=user),
    }


def dashboard_meetings_due(*, user: User, limit: int = 20) -> dict[str, Any] | None:
    """Quarterly alliances with no meeting this quarter (district staff only): the count and the first few."""
    if not user.is_district_staff:
        return None
    from alliances.meeting_selectors import meetings_due

    due = meetings_due()
    rows = list(due[: limit + 1])
    return {"alliances": rows[:limit], "more": len(rows) > limit}
