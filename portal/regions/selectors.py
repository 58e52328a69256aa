from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet

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
