"""Reads of alliances: the scoped lists, the detail, the tree and its chart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy

from members.choices import UnitStatus
from portal.core.exports import export_table

from ..choices import ROLE_ORDER
from ..models import Alliance, Membership


def alliance_list(*, user) -> QuerySet[Alliance]:
    """Alliances as the directory shows them: lead unit, parent and the number of current members."""
    return (
        Alliance.objects.restrict(user)
        .select_related("lead_unit", "parent")
        .prefetch_related("regions")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("name")
    )


EXPORT_HEADERS = [
    gettext_lazy("name"),
    gettext_lazy("short name"),
    gettext_lazy("kind"),
    gettext_lazy("parent alliance"),
    gettext_lazy("lead unit"),
    gettext_lazy("regions"),
    gettext_lazy("industry"),
    gettext_lazy("founded on"),
    gettext_lazy("ended on"),
    gettext_lazy("status"),
    gettext_lazy("meeting cadence"),
    gettext_lazy("current member units"),
]


@export_table(
    filename="alliances",
    sheet_title=gettext_lazy("alliances"),
    headers=EXPORT_HEADERS,
)
def alliance_export(queryset: QuerySet[Alliance], user) -> Iterator[list[Any]]:
    """The XLSX of a (filtered) list from `alliance_list`; rows are streamed."""
    # iterator() with a chunk size keeps prefetch_related working while streaming.
    for alliance in queryset.iterator(chunk_size=1000):
        yield [
            alliance.name,
            alliance.short_name,
            alliance.get_kind_display(),
            alliance.parent.name if alliance.parent_id else "",
            alliance.lead_unit.name if alliance.lead_unit_id else "",
            "、".join(region.name for region in alliance.regions.all()),
            alliance.get_industry_display(),
            alliance.founded_on,
            alliance.ended_on,
            alliance.get_status_display(),
            alliance.get_meeting_cadence_display(),
            alliance.member_count,
        ]


def alliance_detail(*, user) -> QuerySet[Alliance]:
    return (
        Alliance.objects.restrict(user)
        .select_related("lead_unit", "parent")
        .prefetch_related(Prefetch("regions", queryset=_regions_with_parents()), "children")
    )


def _regions_with_parents():
    from portal.regions.models import Region

    return Region.objects.select_related("parent", "parent__parent").order_by("path")


def alliance_tree(
    *, user, root: Alliance | None = None, with_members: bool = False
) -> list[dict[str, Any]]:
    """Nested alliances (and, if asked, their current member units as leaves) from two queries."""
    alliances = list(
        Alliance.objects.restrict(user)
        .select_related("lead_unit")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by("name")
    )
    nodes = {
        a.pk: {
            "id": a.pk,
            "name": a.name,
            "short_name": a.short_name,
            "kind": a.kind,
            "status": a.status,
            "lead_unit": a.lead_unit.name if a.lead_unit else None,
            "member_count": a.member_count,
            "children": [],
            "members": [],
        }
        for a in alliances
    }
    parents = {a.pk: a.parent_id for a in alliances}
    if with_members:
        memberships = (
            Membership.objects.restrict(user)
            .current()
            .filter(alliance_id__in=nodes, unit__status=UnitStatus.ACTIVE)
            .select_related("unit")
            .order_by("unit__name")
        )
        for m in memberships:
            nodes[m.alliance_id]["members"].append(
                {"id": m.unit_id, "name": m.unit.name, "role": m.role}
            )
        for node in nodes.values():
            node["members"].sort(key=lambda u: ROLE_ORDER[u["role"]])
    tops = []
    for pk, node in nodes.items():
        parent = parents[pk]
        if parent in nodes:
            nodes[parent]["children"].append(node)
        else:
            tops.append(node)
    if root is not None:
        return [nodes[root.pk]] if root.pk in nodes else []
    return tops


def echarts_tree(nodes: list[dict[str, Any]], *, title: str) -> dict[str, Any]:
    """An ECharts tree option for nested alliance nodes (member units drawn as leaves)."""

    def convert(node: dict[str, Any]) -> dict[str, Any]:
        children = [convert(c) for c in node["children"]]
        children += [
            {
                "name": u["name"],
                "value": u["role"],
                "itemStyle": {"color": "#6c757d"},
                "unit_id": u["id"],
            }
            for u in node.get("members", [])
        ]
        label = node["short_name"] or node["name"]
        return {
            "name": f"{label}（{node['member_count']}）",
            "alliance_id": node["id"],
            "itemStyle": {"color": "#c8102e" if node["status"] == "active" else "#adb5bd"},
            "children": children,
        }

    data = (
        convert(nodes[0])
        if len(nodes) == 1
        else {"name": title, "children": [convert(n) for n in nodes]}
    )
    leaves = _count_leaves(data)
    return {
        "tooltip": {"trigger": "item", "triggerOn": "mousemove"},
        "series": [
            {
                "type": "tree",
                "data": [data],
                "top": "2%",
                "left": "12%",
                "bottom": "2%",
                "right": "30%",
                "symbolSize": 9,
                "initialTreeDepth": -1,
                "label": {
                    "position": "left",
                    "verticalAlign": "middle",
                    "align": "right",
                    "fontSize": 12,
                },
                "leaves": {
                    "label": {"position": "right", "verticalAlign": "middle", "align": "left"}
                },
                "expandAndCollapse": True,
                "animationDuration": 300,
            }
        ],
        "height_hint": max(320, leaves * 22),
    }


def _count_leaves(node: dict[str, Any]) -> int:
    children = node.get("children") or []
    return 1 if not children else sum(_count_leaves(c) for c in children)
