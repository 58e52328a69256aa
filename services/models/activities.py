"""Activities that secretaries log, with their photos."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import ActivityType
from .stations import ServiceStation


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
    project = models.ForeignKey(
        "services.JointProject",
        verbose_name=_("joint project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
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
