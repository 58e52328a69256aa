"""The export log for district staff: who downloaded which list, when, with which filter."""

from __future__ import annotations

from urllib.parse import unquote_plus

import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin

from .models import ExportRecord


def export_record_list() -> QuerySet[ExportRecord]:
    """The log, newest first, with the user of each row in the same query."""
    return ExportRecord.objects.select_related("user").order_by("-created_at", "-id")


class ExportRecordFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(
        label=_("user name"), field_name="user__username", lookup_expr="iexact"
    )
    name = django_filters.CharFilter(
        label=_("export (name or its start)"), field_name="name", lookup_expr="startswith"
    )
    exported_after = django_filters.DateFilter(
        label=_("exported on or after"), field_name="created_at__date", lookup_expr="gte"
    )
    exported_before = django_filters.DateFilter(
        label=_("exported on or before"), field_name="created_at__date", lookup_expr="lte"
    )

    class Meta:
        model = ExportRecord
        fields = ["user", "name", "exported_after", "exported_before"]


class ExportRecordListView(
    LoginRequiredMixin, DistrictStaffRequiredMixin, FilteredListMixin, ListView
):
    template_name = "accounts/export_log.html"
    paginate_by = 50
    filterset_class = ExportRecordFilterSet
    context_object_name = "records"

    def get_base_queryset(self):
        return export_record_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for record in context["records"]:
            record.filter_text = unquote_plus(record.query_string)
        return context
