"""Service stations, the activities held at them and the resources units offer (demands arrive with issue 6)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from .choices import CHINA_LATITUDE, CHINA_LONGITUDE, ActivityType, ResourceCategory, StationKind


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


class ActivityQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "ActivityQuerySet":
        if user.is_street_secretary and user.region_id:
            if action == "view":
                return self
            return self.filter(region__path__startswith=user.region.path)
        if user.is_unit_contact and user.unit_id and action == "view":
            from alliances.models import Membership

            alliances = (
                Membership.objects.current().filter(unit_id=user.unit_id).values("alliance_id")
            )
            return self.filter(Q(alliance_id__in=alliances) | Q(organizer_id=user.unit_id))
        return self.none()

    def in_region(self, region) -> "ActivityQuerySet":
        return self.filter(region__path__startswith=region.path)


class Activity(models.Model):
    """What a secretary logs: an event held at a station or a place, with its participants and photos."""

    title = models.CharField(_("title"), max_length=200)
    activity_type = models.CharField(
        _("type"), max_length=30, choices=ActivityType.choices, db_index=True
    )
    held_on = models.DateField(_("held on"), db_index=True)
    station = models.ForeignKey(
        ServiceStation,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where it was held, if not at a station."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    organizer = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_activities",
    )
    participant_count = models.PositiveIntegerField(_("participants (人次)"), default=0)
    party_member_count = models.PositiveIntegerField(_("party members among them"), default=0)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="recorded_activities",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_member_count__lte=F("participant_count")),
                name="activity_party_members_within_participants",
                violation_error_message=_(
                    "Party members among the participants cannot outnumber the participants."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "held_on"], name="activity_region_held_idx"),
            models.Index(fields=["alliance", "held_on"], name="activity_alliance_held_idx"),
            models.Index(fields=["station", "held_on"], name="activity_station_held_idx"),
            models.Index(fields=["activity_type", "held_on"], name="activity_type_held_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:activity-detail", args=[self.pk])


def activity_photo_path(photo: "ActivityPhoto", filename: str) -> str:
    return f"activities/{photo.activity_id or 'new'}/{filename}"


class ActivityPhoto(models.Model):
    """A photo of an activity, kept through the storage API (the file system here, object storage in production)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=activity_photo_path)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name


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
