import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.filters import ChoicesFilter, StrictBooleanFilter

from .choices import MeetingKind, MeetingStatus
from .models import Alliance, Meeting


def upcoming_first(queryset):
    """Meetings still ahead soonest first, then past meetings latest first."""
    now = timezone.now()
    is_past = Case(
        When(end_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(is_past=is_past).order_by(
        "is_past",
        Case(When(end_at__gte=now, then=F("start_at"))).asc(nulls_last=True),
        "-start_at",
        "-id",
    )


class MeetingFilterSet(django_filters.FilterSet):
    """One filter set for the meeting list page and /api/v1/meetings/."""

    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"), queryset=Alliance.objects.order_by("name")
    )
    kind = ChoicesFilter(label=_("kind"), choices=MeetingKind.choices)
    status = ChoicesFilter(label=_("status"), choices=MeetingStatus.choices)
    starts_after = django_filters.DateFilter(
        label=_("on or after"),
        field_name="start_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts_before = django_filters.DateFilter(
        label=_("on or before"),
        field_name="start_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    upcoming = StrictBooleanFilter(label=_("upcoming only"), method="filter_upcoming")

    class Meta:
        model = Meeting
        fields = ["alliance", "kind", "status", "starts_after", "starts_before", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        if value is None:
            return queryset
        return queryset.filter(end_at__gte=now) if value else queryset.filter(end_at__lt=now)
