"""The one filter set of activities: the list page, its totals and export, and /api/v1/activities/."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from portal.core.filters import ChoicesFilter, IdFilter, IsoDateFilter, RegionFilter
from portal.regions.models import Region

from ..choices import ActivityType
from ..models import Activity, ServiceStation
from ..selectors.activities import activity_export


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("title"), method="filter_q")
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it, down to the grids."),
    )
    activity_type = ChoicesFilter(label=_("type"), choices=ActivityType.choices)
    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"), queryset=Alliance.objects.order_by("name")
    )
    station = django_filters.ModelChoiceFilter(
        label=_("station"), queryset=ServiceStation.objects.order_by("name")
    )
    organizer = IdFilter(label=_("organizer"), field_name="organizer_id", widget=forms.HiddenInput)
    project = IdFilter(label=_("joint project"), field_name="project_id", widget=forms.HiddenInput)
    held_after = IsoDateFilter(
        label=_("held on or after"),
        field_name="held_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    held_before = IsoDateFilter(
        label=_("held on or before"),
        field_name="held_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    export_table = activity_export

    class Meta:
        model = Activity
        fields = [
            "q",
            "region",
            "activity_type",
            "alliance",
            "station",
            "organizer",
            "project",
            "held_after",
            "held_before",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value.strip()).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)
