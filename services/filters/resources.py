"""One filter set for the resource offer list and /api/v1/resources/."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.filters import UNIT_PICKER
from portal.core.filters import (
    ChoicesFilter,
    IdFilter,
    IsoDateFilter,
    RegionFilter,
    StrictBooleanFilter,
)
from portal.regions.models import Region
from services.choices import ResourceCategory
from services.models import ResourceOffer

from ..selectors.resources import resource_offer_export


class ResourceOfferFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("title or description"), method="filter_q")
    category = ChoicesFilter(label=_("category"), choices=ResourceCategory.choices)
    region = RegionFilter(
        label=_("region"),
        method="filter_region",
        help_text=_("The region chosen and everything below it."),
    )
    unit = IdFilter(label=_("unit"), field_name="unit_id", picker=UNIT_PICKER)
    available_on = IsoDateFilter(
        label=_("available on"),
        method="filter_available_on",
        help_text=_("Offers available on this day."),
    )
    active = StrictBooleanFilter(label=_("active"), field_name="is_active")

    export_table = resource_offer_export

    class Meta:
        model = ResourceOffer
        fields = ["q", "category", "region", "unit", "available_on", "active"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_region(self, queryset, name, value):
        root = Region.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(region__path__startswith=root.path)

    def filter_available_on(self, queryset, name, value):
        return queryset.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=value),
            Q(available_until__isnull=True) | Q(available_until__gte=value),
        )
