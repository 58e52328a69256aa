"""The claims board's filters, for its page and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.filters import ChoicesFilter, IdFilter, StrictBooleanFilter
from services.choices import ClaimKind, ClaimStatus
from services.models import Claim
from services.selectors.claims import claims_made_by_side, claims_to_decide

from .projects import _user


class ClaimFilterSet(django_filters.FilterSet):
    status = ChoicesFilter(label=_("status"), choices=ClaimStatus.choices)
    kind = ChoicesFilter(label=_("kind"), choices=ClaimKind.choices)
    project = IdFilter(label=_("project"), field_name="project_id", widget=forms.HiddenInput)
    demand = IdFilter(label=_("demand"), field_name="demand_id", widget=forms.HiddenInput)
    unit = IdFilter(label=_("unit"), field_name="unit_id", widget=forms.HiddenInput)
    todo = StrictBooleanFilter(
        label=_("for me to answer"),
        method="filter_todo",
        help_text=_("Pending claims that you may accept or decline."),
    )
    mine = StrictBooleanFilter(
        label=_("made by my side"),
        method="filter_mine",
        help_text=_("Claims your unit made, and invitations and requests of projects you manage."),
    )

    class Meta:
        model = Claim
        fields = ["status", "kind", "project", "demand", "unit", "todo", "mine"]

    def filter_todo(self, queryset, name, value):
        user = _user(self)
        if value is None or user is None:
            return queryset
        condition = claims_to_decide(user)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_mine(self, queryset, name, value):
        user = _user(self)
        if value is None or user is None:
            return queryset
        condition = claims_made_by_side(user)
        return queryset.filter(condition) if value else queryset.exclude(condition)
