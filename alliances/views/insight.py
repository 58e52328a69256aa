"""Network insight for district staff and street secretaries: the page and its XLSX downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from portal.core.exports import xlsx_response

from ..selectors.insight import (
    alliance_names,
    connector_units,
    key_targets_without_party,
    uncovered_industries,
    uncovered_regions,
)

# The page shows the head of each long list; the XLSX has all of it.
PAGE_LIMIT = 200


class InsightAccessMixin(UserPassesTestMixin):
    """District staff and street secretaries; anonymous visitors go to the sign-in page, others get 403."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_authenticated and (user.is_district_staff or user.is_street_secretary)


class InsightView(InsightAccessMixin, TemplateView):
    template_name = "alliances/insight.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        connectors = connector_units()
        key_targets = key_targets_without_party()
        regions, industries = uncovered_regions(), uncovered_industries()
        context.update(
            page_limit=PAGE_LIMIT,
            connectors=list(connectors[:PAGE_LIMIT]),
            connector_count=connectors.count(),
            uncovered_regions=regions,
            uncovered_industries=industries,
            uncovered_count=len(regions) + len(industries),
            key_targets=list(key_targets[:PAGE_LIMIT]),
            key_target_count=key_targets.count(),
        )
        return context


def _connectors() -> Iterator[list[Any]]:
    for unit in connector_units().iterator(chunk_size=2000):
        yield [
            unit.name,
            unit.credit_code or "",
            unit.region.name,
            unit.get_unit_type_display(),
            unit.alliance_count,
            alliance_names(unit),
        ]


def _uncovered_regions() -> Iterator[list[Any]]:
    for row in uncovered_regions():
        yield [row.region.name, row.district_name, row.unit_count, row.key_target_count]


def _uncovered_industries() -> Iterator[list[Any]]:
    for row in uncovered_industries():
        yield [row.label, row.unit_count]


def _key_targets() -> Iterator[list[Any]]:
    for unit in key_targets_without_party().iterator(chunk_size=2000):
        yield [
            unit.name,
            unit.credit_code or "",
            unit.region.name,
            unit.get_industry_display(),
            unit.employee_count,
            unit.instructor,
            unit.contact_name,
        ]


# kind in the URL -> (sheet title, headers, rows)
EXPORTS: dict[str, tuple[Any, list[Any], Callable[[], Iterator[list[Any]]]]] = {
    "connectors": (
        gettext_lazy("Connector units"),
        [
            gettext_lazy("name"),
            gettext_lazy("unified social credit code"),
            gettext_lazy("region"),
            gettext_lazy("unit type"),
            gettext_lazy("Number of alliances"),
            gettext_lazy("Alliances"),
        ],
        _connectors,
    ),
    "uncovered-regions": (
        gettext_lazy("Uncovered streets and towns"),
        [
            gettext_lazy("Subdistrict or town"),
            gettext_lazy("District"),
            gettext_lazy("Active units"),
            gettext_lazy("Key targets"),
        ],
        _uncovered_regions,
    ),
    "uncovered-industries": (
        gettext_lazy("Uncovered industries"),
        [gettext_lazy("Industry"), gettext_lazy("Active units")],
        _uncovered_industries,
    ),
    "key-targets-without-party": (
        gettext_lazy("Key targets without a party organization"),
        [
            gettext_lazy("name"),
            gettext_lazy("unified social credit code"),
            gettext_lazy("region"),
            gettext_lazy("industry"),
            gettext_lazy("employees"),
            gettext_lazy("party-building instructor"),
            gettext_lazy("contact name"),
        ],
        _key_targets,
    ),
}


class InsightExportView(InsightAccessMixin, View):
    def get(self, request, kind: str) -> FileResponse:
        if kind not in EXPORTS:
            raise Http404(_("There is no such list."))
        sheet_title, headers, rows = EXPORTS[kind]
        return xlsx_response(
            request=request,
            filename=f"insight-{kind}",
            sheet_title=str(sheet_title),
            headers=headers,
            rows=rows(),
        )
