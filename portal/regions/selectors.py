from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet, Subquery

from .choices import RegionLevel
from .models import Region


def region_list(*, queryset: QuerySet[Region] | None = None) -> QuerySet[Region]:
    """Regions as a list shows them: the parent's name and the number of children, in one query."""
    qs = queryset if queryset is not None else Region.objects.all()
    return qs.select_related("parent").annotate(children_count=Count("children")).order_by("path")


def region_tree(
    *, queryset: QuerySet[Region], root: Region | None = None, max_depth: int | None = None
) -> list[dict[str, Any]]:
    """Nested dicts of the (visible) tree under `root`, or of the whole tree, built from one query."""
    qs = queryset
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    if max_depth is not None:
        base = root.depth if root is not None else 0
        qs = qs.filter(depth__lte=base + max_depth)
    nodes = list(
        qs.order_by("path").values("id", "code", "name", "level", "parent_id", "is_active")
    )
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    ids = {node["id"] for node in nodes}
    for node in nodes:
        node["children"] = children[node["id"]]
        children[node["parent_id"] if node["parent_id"] in ids else None].append(node)
    for node in nodes:
        del node["parent_id"]
    return children[None]


def region_filter_choices(user, selected: str | None = None) -> list[tuple[str, str]]:
    """The regions a list page's region filter offers, as (code, name) indented by level.

    A street secretary chooses among their street and its communities; everyone else among the
    districts and their streets. One query (two when the page was reached with a code not offered,
    which is then named too, so that the select still shows what filters the list).
    """
    regions = Region.objects.restrict(user, "view")
    if getattr(user, "is_street_secretary", False) and user.region_id:
        root = Region.objects.filter(pk=user.region_id).values("path")[:1]
        regions = regions.filter(
            path__startswith=Subquery(root),
            level__in=[RegionLevel.SUBDISTRICT, RegionLevel.COMMUNITY],
        )
    else:
        regions = regions.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.SUBDISTRICT])
    rows = list(regions.order_by("path").values_list("code", "name", "depth"))
    top = min((depth for _code, _name, depth in rows), default=0)
    choices = [(code, "\u3000" * (depth - top) + name) for code, name, depth in rows]
    selected = (selected or "").strip()
    if selected and "\x00" not in selected and selected not in {code for code, _name in choices}:
        named = Region.objects.restrict(user, "view").filter(code=selected).values_list("name")
        choices.append((selected, named[0][0] if named else selected))
    return choices
