"""Filters of the notice delivery log (district staff: what went to whom on which channel)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.core.filters import IsoDateFilter

from .choices import ChannelName, DeliveryStatus, NoticeKind
from .models import NoticeDelivery


class NoticeDeliveryFilterSet(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(label=_("channel"), choices=ChannelName.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=DeliveryStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind of notice"), choices=NoticeKind.choices)
    user = django_filters.CharFilter(
        label=_("user name"), field_name="user__username", lookup_expr="iexact"
    )
    created_after = IsoDateFilter(
        label=_("created on or after"), field_name="created_at__date", lookup_expr="gte"
    )
    created_before = IsoDateFilter(
        label=_("created on or before"), field_name="created_at__date", lookup_expr="lte"
    )

    class Meta:
        model = NoticeDelivery
        fields = ["channel", "status", "kind", "user", "created_after", "created_before"]
