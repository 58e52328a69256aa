"""Service stations and the catalogue of services they offer."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import CHINA_LATITUDE, CHINA_LONGITUDE, StationKind


class ServiceCategoryQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "ServiceCategoryQuerySet":
        return self if action == "view" else self.none()

    def scope_anonymous(self, action: str) -> "ServiceCategoryQuerySet":
        return self if action == "view" else self.none()


class ServiceCategory(models.Model):
    """One entry of the catalogue of services stations offer (policy consulting, legal aid …); staff edit it."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = ServiceCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceStationQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "ServiceStationQuerySet":
        if user.is_street_secretary and user.region_id:
            if action == "view":
                return self
            return self.filter(region__path__startswith=user.region.path)
        if user.is_unit_contact and action == "view":
            return self.filter(Q(is_public=True) | Q(operator_id=user.unit_id))
        return self.none()

    def scope_anonymous(self, action: str) -> "ServiceStationQuerySet":
        return self.filter(is_public=True, is_open=True) if action == "view" else self.none()

    def in_region(self, region) -> "ServiceStationQuerySet":
        return self.filter(region__path__startswith=region.path)


class ServiceStation(models.Model):
    """A place where the network meets people: a party-building center, an enterprise station, a warm station."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=StationKind.choices, db_index=True)
    operator = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="stations",
    )
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(CHINA_LATITUDE[0]), MaxValueValidator(CHINA_LATITUDE[1])],
        help_text=_("WGS-84, e.g. 31.168 for Minhang."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(CHINA_LONGITUDE[0]), MaxValueValidator(CHINA_LONGITUDE[1])],
        help_text=_("WGS-84, e.g. 121.381 for Minhang."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    services = models.ManyToManyField(
        ServiceCategory, verbose_name=_("services"), blank=True, related_name="stations"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, db_index=True, help_text=_("Shown on the public map.")
    )
    is_open = models.BooleanField(_("open"), default=True, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[services])
    objects = ServiceStationQuerySet.as_manager()

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(
                        latitude__gte=CHINA_LATITUDE[0],
                        latitude__lte=CHINA_LATITUDE[1],
                        longitude__gte=CHINA_LONGITUDE[0],
                        longitude__lte=CHINA_LONGITUDE[1],
                    )
                ),
                name="station_coordinates_in_china",
                violation_error_message=_(
                    "Give both coordinates, inside China (latitude 3–54, longitude 73–136)."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "is_open"], name="station_region_open_idx"),
            models.Index(fields=["is_public", "is_open", "kind"], name="station_public_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:station-detail", args=[self.pk])
