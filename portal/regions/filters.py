import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.filters import StrictBooleanFilter

from .choices import RegionLevel
from .models import Region


class RegionFilterSet(django_filters.FilterSet):
    """One filter set for the region list page and /api/v1/regions/."""

    level = django_filters.ChoiceFilter(label=_("level"), choices=RegionLevel.choices)
    parent = django_filters.ModelChoiceFilter(
        label=_("parent region"), queryset=Region.objects.all()
    )
    top_level = StrictBooleanFilter(
        label=_("top level only"), field_name="parent", lookup_expr="isnull"
    )
    within = django_filters.CharFilter(
        label=_("within region (code)"),
        method="filter_within",
        help_text=_("The region with this code and everything below it."),
    )
    q = django_filters.CharFilter(label=_("name or code contains"), method="filter_q")
    is_active = StrictBooleanFilter(label=_("active"))

    class Meta:
        model = Region
        fields = ["level", "parent", "top_level", "within", "q", "is_active", "code"]

    def filter_within(self, queryset, name, value):
        root = Region.objects.filter(code=value).only("path").first()
        if root is None:
            return queryset.none()
        return queryset.filter(path__startswith=root.path)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))
