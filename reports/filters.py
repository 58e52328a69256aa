"""One filter set for the report list page and /api/v1/reports/."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.core.filters import IdFilter

from .choices import ReportScope
from .models import QuarterlyReport


class QuarterlyReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year"), min_value=2000, max_value=2100)
    quarter = django_filters.ChoiceFilter(
        label=_("quarter"), choices=[(q, str(q)) for q in range(1, 5)]
    )
    scope = django_filters.ChoiceFilter(label=_("scope"), choices=ReportScope.choices)
    alliance = IdFilter(label=_("alliance (id)"), field_name="alliance_id")

    class Meta:
        model = QuarterlyReport
        fields = ["year", "quarter", "scope", "alliance"]
