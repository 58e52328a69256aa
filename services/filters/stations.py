"""One filter set for the station map and list, its XLSX export, /api/v1/stations/ and its GeoJSON."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from members.models import MemberUnit
from portal.core.filters import (
    ChoicesFilter,
    IdFilter,
    NamePicker,
    RegionFilter,
    StrictBooleanFilter,
)
from portal.core.scoping import VIEW
from portal.regions.models import Region
from services.choices import StationKind
from services.models import ServiceCategory, ServiceStation

from ..selectors.stations import station_export


def category_lookup(values) -> tuple[set[int], set[str]]:
    """Split service references into ids (all digits) and codes; a code always has a letter."""
    ids, codes = set(), set()
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and len(text) < 19:
            ids.add(int(text))
        elif text and "\x00" not in text:  # PostgreSQL refuses NUL in a query; no code has one
            codes.add(text)
    return ids, codes


class CategoryCodeOrIdField(forms.ModelMultipleChoiceField):
    """Services named by code (`legal-aid`) or by id (`3`), as the page's select and API clients send them."""

    default_error_messages = {
        "invalid_choice": _("Unknown service: %(value)s."),
    }

    def _check_values(self, value):
        ids, codes = category_lookup(value)
        found = list(self.queryset.filter(Q(pk__in=ids) | Q(code__in=codes)))
        known = {str(c.pk) for c in found} | {c.code for c in found}
        for item in value:
            if str(item).strip() and str(item).strip() not in known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return found


# The page's help text is for people; the API's description names the values it takes.
@extend_schema_field(
    {
        "type": "string",
        "description": "Stations offering any of these services, each by its catalogue code "
        "(`legal-aid`) or id; repeatable.",
    }
)
class CategoryFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = CategoryCodeOrIdField

    def get_filter_predicate(self, v):
        # The field speaks codes (`to_field_name`), the join is on keys.
        return {self.field_name: v.pk}


def station_operators(request):
    """The units operating a station the user sees, by name: the page's operator choices (one query)."""
    operating = ServiceStation.objects.restrict(request.user, VIEW).values("operator_id")
    return MemberUnit.objects.filter(pk__in=operating).order_by("name").values_list("pk", "name")


class StationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name or address"), method="filter_q")
    kind = ChoicesFilter(label=_("kind"), choices=StationKind.choices)
    service = CategoryFilter(
        label=_("service"),
        field_name="services",
        to_field_name="code",
        queryset=ServiceCategory.objects.order_by("position", "name"),
        distinct=True,
        help_text=_("Stations offering any of the services chosen."),
    )
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it."),
    )
    operator = IdFilter(
        label=_("operator"),
        field_name="operator_id",
        picker=NamePicker(options=station_operators),
    )
    is_open = StrictBooleanFilter(label=_("open"))
    is_public = StrictBooleanFilter(label=_("public"))

    export_table = station_export

    class Meta:
        model = ServiceStation
        fields = ["q", "kind", "service", "region", "operator", "is_open", "is_public"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)


class ServiceCategoryFilterSet(django_filters.FilterSet):
    is_active = StrictBooleanFilter(label=_("active"))

    class Meta:
        model = ServiceCategory
        fields = ["is_active"]
