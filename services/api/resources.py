"""/api/v1/resources/: the resource offers (资源清单) of the network's units."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from members.models import MemberUnit
from portal.api.fields import PageUrlField
from portal.api.steps import step
from portal.api.viewsets import ExportMixin, HistoryActionMixin, ScopedModelViewSet, run_action
from portal.regions.models import Region
from services.actions import resources as actions
from services.filters.resources import ResourceOfferFilterSet
from services.models import ResourceOffer
from services.selectors.resources import resource_offer_list


class ResourceOfferSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        required=False,
        allow_null=True,
        # The action's refusals (no unit from staff, another unit from a contact) come as `invalid`.
        error_messages={"invalid": _("Choose the unit that offers this resource.")},
        help_text=_(
            "Unit id; district staff must name it, a unit contact's offer is always their own unit's."
        ),
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Region id; the unit's region if left out."),
    )
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    url = PageUrlField("services:resource-detail", help_text=_("The offer's page."))

    class Meta:
        model = ResourceOffer
        fields = [
            "id",
            "unit",
            "unit_name",
            "category",
            "title",
            "description",
            "available_from",
            "available_until",
            "region",
            "region_code",
            "region_name",
            "is_active",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_active", "created_at", "updated_at"]

    def validate(self, attrs):
        current = self.instance
        start = attrs.get("available_from", current.available_from if current else None)
        end = attrs.get("available_until", current.available_until if current else None)
        try:
            actions.availability_check(start, end)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class ResourceOfferViewSet(ExportMixin, HistoryActionMixin, ScopedModelViewSet):
    """Resource offers. Anyone signed in reads them; district staff and unit contacts (for their own
    unit) publish and edit them. An offer is never deleted: withdraw it and it keeps its records."""

    serializer_class = ResourceOfferSerializer
    filterset_class = ResourceOfferFilterSet
    search_fields = ["title", "description"]
    ordering_fields = ["title", "category", "available_from", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return resource_offer_list(user=self.request.user)

    def can_create(self, user) -> bool:
        return actions.can_offer_resources(user)

    def perform_create(self, serializer):
        serializer.instance = run_action(
            actions.resource_offer_create,
            by=self.request.user,
            data=dict(serializer.validated_data),
        )

    def perform_update(self, serializer):
        serializer.instance = run_action(
            actions.resource_offer_update,
            offer=serializer.instance,
            by=self.request.user,
            data=dict(serializer.validated_data),
        )

    def get_output_queryset(self):
        return resource_offer_list(user=self.request.user)

    @step(output=ResourceOfferSerializer)
    def withdraw(self, request, offer):
        """Withdraw the offer: it stays in the records, marked inactive."""
        return actions.resource_offer_withdraw(offer=offer, by=request.user)

    @step(output=ResourceOfferSerializer)
    def restore(self, request, offer):
        """Offer a withdrawn resource again."""
        return actions.resource_offer_restore(offer=offer, by=request.user)
