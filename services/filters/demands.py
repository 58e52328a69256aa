"""One filter set for the demand board, its export, and /api/v1/demands/."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.filters import (
    ChoicesFilter,
    IdFilter,
    IsoDateFilter,
    RegionFilter,
    StrictBooleanFilter,
)
from portal.regions.models import Region

from ..choices import DEMAND_OPEN_STATUSES, DemandCategory, DemandSource, DemandStatus
from ..models import Demand
from ..selectors.demands import demand_export

# "Due soon": open demands due today or within this many days.
DUE_SOON_DAYS = 3

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DemandFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method="filter_q",
        help_text=_("Words in the title or description, the unit's name, or the demand's number."),
    )
    status = ChoicesFilter(
        label=_("status"), choices=DemandStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    category = ChoicesFilter(label=_("category"), choices=DemandCategory.choices)
    source = ChoicesFilter(label=_("source"), choices=DemandSource.choices)
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it."),
    )
    campaign = IdFilter(label=_("collection campaign"), field_name="campaign_id")
    unit = IdFilter(label=_("raising unit"), field_name="unit_id", widget=forms.HiddenInput)
    assignee_unit = IdFilter(
        label=_("handling unit"), field_name="assignee_unit_id", widget=forms.HiddenInput
    )
    assignee = IdFilter(label=_("assignee"), field_name="assignee_id", widget=forms.HiddenInput)
    overdue = StrictBooleanFilter(
        label=_("overdue"),
        method="filter_overdue",
        help_text=_("Yes: open demands past their due date; no: all the others."),
    )
    due_soon = StrictBooleanFilter(
        label=_("due soon"),
        method="filter_due_soon",
        help_text=_("Yes: open demands due today or in the next 3 days."),
    )
    raised_after = IsoDateFilter(
        label=_("raised on or after"), field_name="created_at", lookup_expr="date__gte", widget=DATE
    )
    raised_before = IsoDateFilter(
        label=_("raised on or before"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DATE,
    )
    mine = django_filters.ChoiceFilter(
        label=_("mine"),
        choices=[
            ("raised", _("raised by my unit or me")),
            ("assigned", _("assigned to my unit or me")),
        ],
        method="filter_mine",
        help_text=_("Demands you or your unit raised, or those you or your unit handle."),
    )
    has_project = StrictBooleanFilter(
        label=_("became a project"), field_name="project", lookup_expr="isnull", exclude=True
    )

    export_table = demand_export

    class Meta:
        model = Demand
        fields = [
            "q",
            "status",
            "category",
            "source",
            "region",
            "campaign",
            "unit",
            "assignee_unit",
            "assignee",
            "overdue",
            "due_soon",
            "raised_after",
            "raised_before",
            "mine",
            "has_project",
        ]

    def filter_q(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        match = Q(title__icontains=value) | Q(description__icontains=value)
        match |= Q(unit__name__icontains=value)
        number = value.lstrip("#")
        if number.isdigit() and len(number) <= 18:
            match |= Q(pk=int(number))
        return queryset.filter(match)

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value.strip()).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)

    @staticmethod
    def _today() -> datetime.date:
        return timezone.localdate()

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=DEMAND_OPEN_STATUSES, due_on__lt=self._today())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_due_soon(self, queryset, name, value):
        today = self._today()
        soon = Q(
            status__in=DEMAND_OPEN_STATUSES,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        return queryset.filter(soon) if value else queryset.exclude(soon)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        if value == "raised":
            match = Q(created_by_id=user.pk)
            if user.is_unit_contact and user.unit_id:
                match |= Q(unit_id=user.unit_id)
        else:
            match = Q(assignee_id=user.pk)
            if user.is_unit_contact and user.unit_id:
                match |= Q(assignee_unit_id=user.unit_id)
        return queryset.filter(match)
