import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import Industry
from members.models import MemberUnit
from portal.core.filters import ChoicesFilter, IsoDateFilter, RegionFilter, StrictBooleanFilter
from portal.regions.models import Region

from .choices import (
    AllianceKind,
    AllianceStatus,
    JoinRequestStatus,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
)
from .models import Alliance, JoinRequest, Meeting, Membership
from .selectors.alliances import alliance_export
from .selectors.meetings import meeting_export


class AllianceFilterSet(django_filters.FilterSet):
    """One filter set for the alliance directory and /api/v1/alliances/."""

    q = django_filters.CharFilter(label=_("name contains"), method="filter_q")
    kind = ChoicesFilter(label=_("kind"), choices=AllianceKind.choices)
    status = ChoicesFilter(label=_("status"), choices=AllianceStatus.choices)
    industry = django_filters.ChoiceFilter(label=_("industry"), choices=Industry.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("parent alliance"), queryset=Alliance.objects.all()
    )
    top_level = StrictBooleanFilter(
        label=_("top level only"), field_name="parent", lookup_expr="isnull"
    )
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("Alliances that span the region chosen or a region below it."),
    )

    export_table = alliance_export

    class Meta:
        model = Alliance
        fields = ["q", "kind", "status", "industry", "parent", "top_level", "region"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(
            pk__in=Alliance.regions.through.objects.filter(
                region__path__startswith=root.path
            ).values("alliance_id")
        )


class MembershipFilterSet(django_filters.FilterSet):
    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"), queryset=Alliance.objects.all()
    )
    unit = django_filters.ModelChoiceFilter(label=_("unit"), queryset=MemberUnit.objects.all())
    role = ChoicesFilter(label=_("role"), choices=MembershipRole.choices)
    current = StrictBooleanFilter(
        label=_("current only"), field_name="left_on", lookup_expr="isnull"
    )
    joined_after = IsoDateFilter(
        label=_("joined on or after"), field_name="joined_on", lookup_expr="gte"
    )
    joined_before = IsoDateFilter(
        label=_("joined on or before"), field_name="joined_on", lookup_expr="lte"
    )

    class Meta:
        model = Membership
        fields = ["alliance", "unit", "role", "current", "joined_after", "joined_before"]


class JoinRequestFilterSet(django_filters.FilterSet):
    """One filter set for the join request page and /api/v1/join-requests/."""

    status = ChoicesFilter(label=_("status"), choices=JoinRequestStatus.choices)
    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"), queryset=Alliance.objects.order_by("name")
    )
    # Hidden in the page (too many units for a list); links such as "?unit=5" still filter.
    unit = django_filters.ModelChoiceFilter(
        label=_("unit"), queryset=MemberUnit.objects.all(), widget=forms.HiddenInput
    )

    class Meta:
        model = JoinRequest
        fields = ["status", "alliance", "unit"]


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
    starts_after = IsoDateFilter(
        label=_("on or after"),
        field_name="start_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts_before = IsoDateFilter(
        label=_("on or before"),
        field_name="start_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    upcoming = StrictBooleanFilter(label=_("upcoming only"), method="filter_upcoming")

    export_table = meeting_export

    class Meta:
        model = Meeting
        fields = ["alliance", "kind", "status", "starts_after", "starts_before", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        if value is None:
            return queryset
        return queryset.filter(end_at__gte=now) if value else queryset.filter(end_at__lt=now)
