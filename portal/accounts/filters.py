"""Filters of the export log (district staff: who downloaded which list, when, with which filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.core.filters import IsoDateFilter

from .models import ExportRecord


class ExportRecordFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(
        label=_("user name"), field_name="user__username", lookup_expr="iexact"
    )
    name = django_filters.CharFilter(
        label=_("export (name or its start)"), field_name="name", lookup_expr="startswith"
    )
    exported_after = IsoDateFilter(
        label=_("exported on or after"), field_name="created_at__date", lookup_expr="gte"
    )
    exported_before = IsoDateFilter(
        label=_("exported on or before"), field_name="created_at__date", lookup_expr="lte"
    )

    class Meta:
        model = ExportRecord
        fields = ["user", "name", "exported_after", "exported_before"]
