from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.choices import RegionLevel
from portal.regions.models import Region


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
    cards = [
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
    return {"cards": cards, "regions_chart": chart}
