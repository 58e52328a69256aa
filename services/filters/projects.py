"""One filter set for the project board and /api/v1/projects/, one for the claims page and /api/v1/claims/."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from portal.core.filters import (
    ChoicesFilter,
    IdFilter,
    IsoDateFilter,
    RegionFilter,
    StrictBooleanFilter,
)
from portal.core.scoping import CHANGE
from portal.regions.models import Region
from services.choices import DemandCategory, ProjectStatus
from services.models import JointProject, ProjectParticipant
from services.selectors.projects import has_pending_claims

from ..selectors.projects import project_export

DATE = forms.DateInput(attrs={"type": "date"})


def _user(filterset):
    request = getattr(filterset, "request", None)
    return getattr(request, "user", None)


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("title or description"), method="filter_q")
    status = ChoicesFilter(label=_("status"), choices=ProjectStatus.choices)
    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"), queryset=Alliance.objects.order_by("name")
    )
    category = ChoicesFilter(label=_("category"), choices=DemandCategory.choices)
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it."),
    )
    lead_unit = IdFilter(label=_("lead unit"), field_name="lead_unit_id", widget=forms.HiddenInput)
    participant = IdFilter(
        label=_("participating unit"), method="filter_participant", widget=forms.HiddenInput
    )
    has_open_claims = StrictBooleanFilter(
        label=_("has pending claims"), method="filter_has_open_claims"
    )
    active_from = IsoDateFilter(
        label=_("running on or after"),
        method="filter_active_from",
        widget=DATE,
        help_text=_("Projects that have not ended before this day."),
    )
    active_until = IsoDateFilter(
        label=_("running on or before"),
        method="filter_active_until",
        widget=DATE,
        help_text=_("Projects that have started by this day."),
    )
    mine = StrictBooleanFilter(
        label=_("my projects"),
        method="filter_mine",
        help_text=_(
            "Projects you manage or your unit takes part in (district staff: those you created)."
        ),
    )

    export_table = project_export

    class Meta:
        model = JointProject
        fields = [
            "q",
            "status",
            "alliance",
            "category",
            "region",
            "lead_unit",
            "participant",
            "has_open_claims",
            "active_from",
            "active_until",
            "mine",
        ]

    def filter_q(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value.strip()).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)

    def filter_participant(self, queryset, name, value):
        return queryset.filter(
            pk__in=ProjectParticipant.objects.filter(unit_id=value).values("project_id")
        )

    def filter_has_open_claims(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(has_pending_claims() if value else ~has_pending_claims())

    def filter_active_from(self, queryset, name, value):
        return queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=value))

    def filter_active_until(self, queryset, name, value):
        return queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=value))

    def filter_mine(self, queryset, name, value):
        user = _user(self)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        if user.is_district_staff:
            mine = Q(created_by_id=user.pk)
        else:
            mine = Q(pk__in=JointProject.objects.restrict(user, CHANGE).values("pk"))
            if user.is_unit_contact and user.unit_id:
                mine |= Q(
                    pk__in=ProjectParticipant.objects.filter(unit_id=user.unit_id).values(
                        "project_id"
                    )
                )
        return queryset.filter(mine) if value else queryset.exclude(mine)
