"""资源清单: what units offer the network."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import ResourceCategory


class ResourceOfferQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "ResourceOfferQuerySet":
        if action == "view":
            return self
        if user.is_unit_contact and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def in_region(self, region) -> "ResourceOfferQuerySet":
        return self.filter(region__path__startswith=region.path)


class ResourceOffer(models.Model):
    """资源清单: what a unit offers the network (a venue, expertise, funding …) and when it is available."""

    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="resource_offers",
    )
    category = models.CharField(_("category"), max_length=30, choices=ResourceCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="resource_offers",
        help_text=_("The unit's region if left empty."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_resource_offers",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ResourceOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource offer")
        verbose_name_plural = _("resource offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(available_from__isnull=True)
                    | Q(available_until__isnull=True)
                    | Q(available_until__gte=F("available_from"))
                ),
                name="resource_offer_until_after_from",
                violation_error_message=_(
                    "The offer cannot end before it starts: “available until” is before “available from”."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["category", "is_active"], name="resource_category_active_idx"),
            models.Index(fields=["region", "is_active"], name="resource_region_idx"),
            models.Index(fields=["unit", "is_active"], name="resource_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:resource-detail", args=[self.pk])
