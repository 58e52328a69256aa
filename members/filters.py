import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from alliances.models import Alliance, Membership
from portal.core.filters import (
    ChoicesFilter,
    IdFilter,
    NamePicker,
    RegionFilter,
    StrictBooleanFilter,
)
from portal.core.scoping import VIEW
from portal.regions.models import Region

from .choices import ChangeStatus, Industry, PartyOrgType, RegistrationStatus, UnitStatus, UnitType
from .models import MemberUnit, Registration, UnitChange
from .search import name_or_code_search
from .selectors import registration_export, unit_export


def _visible_units(request):
    return MemberUnit.objects.restrict(request.user, VIEW)


# A district has about 150,000 units: a page picks one by typing part of its name (or credit code),
# through /api/v1/units/?search=, and the filter still sends the unit's id.
UNIT_PICKER = NamePicker(search_url="api:unit-list", queryset=_visible_units)


class MemberUnitFilterSet(django_filters.FilterSet):
    """One filter set for the unit list page, its XLSX export and /api/v1/units/."""

    q = django_filters.CharFilter(label=_("name or credit code"), method="filter_q")
    unit_type = ChoicesFilter(label=_("unit type"), choices=UnitType.choices)
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it."),
    )
    industry = ChoicesFilter(label=_("industry"), choices=Industry.choices)
    party_org_type = ChoicesFilter(label=_("party organization"), choices=PartyOrgType.choices)
    org_covered = StrictBooleanFilter(label=_("organization coverage"))
    work_covered = StrictBooleanFilter(label=_("work coverage"))
    key_target = StrictBooleanFilter(label=_("key target"))
    alliance = django_filters.ModelChoiceFilter(
        label=_("alliance"),
        queryset=Alliance.objects.all(),
        method="filter_alliance",
        help_text=_("Current members of this alliance."),
    )
    status = ChoicesFilter(label=_("status"), choices=UnitStatus.choices)

    export_table = unit_export

    class Meta:
        model = MemberUnit
        fields = [
            "q",
            "unit_type",
            "region",
            "industry",
            "party_org_type",
            "org_covered",
            "work_covered",
            "key_target",
            "alliance",
            "status",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return name_or_code_search(queryset, value)

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_alliance(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.current().filter(alliance=value).values("unit_id")
        )


class RegistrationFilterSet(django_filters.FilterSet):
    """One filter set for the registration queue and /api/v1/registrations/."""

    q = django_filters.CharFilter(label=_("name or credit code"), method="filter_q")
    status = ChoicesFilter(label=_("status"), choices=RegistrationStatus.choices)
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it."),
    )

    export_table = registration_export

    class Meta:
        model = Registration
        fields = ["q", "status", "region"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__startswith=value.upper()))

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)


class UnitChangeFilterSet(django_filters.FilterSet):
    """One filter set for the profile-change queue and /api/v1/unit-changes/."""

    q = django_filters.CharFilter(label=_("unit name"), method="filter_q")
    status = ChoicesFilter(label=_("status"), choices=ChangeStatus.choices)
    unit = IdFilter(label=_("unit"), field_name="unit_id", picker=UNIT_PICKER)

    class Meta:
        model = UnitChange
        fields = ["q", "status", "unit"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(unit__name__icontains=value) | Q(name__icontains=value))
