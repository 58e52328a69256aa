"""需求清单: demands units raise, the quarterly collections they are raised in, and their history."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import (
    DEMAND_OPEN_STATUSES,
    DemandCategory,
    DemandEventKind,
    DemandSource,
    DemandStatus,
)


class DemandCampaignQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "DemandCampaignQuerySet":
        return self if action == "view" else self.none()


class DemandCampaign(models.Model):
    """A collection window (征集) with a theme, e.g. the quarter's special collection; demands count against it."""

    title = models.CharField(_("title"), max_length=200)
    theme = models.TextField(_("theme"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demand_campaigns",
        help_text=_("Leave empty for a district-wide collection."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_demand_campaigns",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DemandCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection campaign")
        verbose_name_plural = _("collection campaigns")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="demand_campaign_closes_after_opens",
                violation_error_message=_("The collection cannot close before it opens."),
            ),
        ]
        indexes = [models.Index(fields=["opens_on", "closes_on"], name="campaign_window_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:campaign-detail", args=[self.pk])


class DemandDeadline(models.Model):
    """How many days a demand of a category may take from assignment; staff set it per category."""

    category = models.CharField(
        _("category"), max_length=30, choices=DemandCategory.choices, unique=True
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to resolve"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline by category")
        verbose_name_plural = _("deadlines by category")
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_days__gte=1, due_days__lte=365),
                name="demand_deadline_days_range",
                violation_error_message=_("Give between 1 and 365 days."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.due_days}"


class DemandQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "DemandQuerySet":
        if user.is_street_secretary and user.region_id:
            return self.filter(
                Q(region__path__startswith=user.region.path) | Q(created_by_id=user.pk)
            )
        if user.is_unit_contact and user.unit_id:
            return self.filter(Q(unit_id=user.unit_id) | Q(assignee_unit_id=user.unit_id))
        return self.none()

    def in_region(self, region) -> "DemandQuerySet":
        return self.filter(region__path__startswith=region.path)

    def open(self) -> "DemandQuerySet":
        return self.filter(status__in=DEMAND_OPEN_STATUSES)

    def overdue(self, today) -> "DemandQuerySet":
        return self.open().filter(due_on__lt=today)


class Demand(models.Model):
    """One demand (诉求) a unit raises or someone enters on its behalf, from submission to closure."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=30, choices=DemandCategory.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=DemandSource.choices, default=DemandSource.ONLINE
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        help_text=_("The unit that raises the demand; empty for a resident's demand."),
    )
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="demands",
    )
    campaign = models.ForeignKey(
        DemandCampaign,
        verbose_name=_("collection campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.SUBMITTED
    )
    assignee_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_demands",
        help_text=_("The unit or department that handles the demand."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_demands",
        help_text=_("The person answerable for it, if one is named."),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    resolution = models.TextField(_("resolution"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.TextField(_("comment on the resolution"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    project = models.ForeignKey(
        "services.JointProject",
        verbose_name=_("joint project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_demands",
    )
    created_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="demand_satisfaction_1_to_5",
                violation_error_message=_("Rate the resolution from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(status=DemandStatus.MERGED, merged_into__isnull=False)
                | (~Q(status=DemandStatus.MERGED) & Q(merged_into__isnull=True)),
                name="demand_merged_has_target",
                violation_error_message=_("A merged demand names the demand it was merged into."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="demand_not_merged_into_itself",
                violation_error_message=_("A demand cannot be merged into itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"], name="demand_status_category_idx"),
            models.Index(fields=["region", "status"], name="demand_region_status_idx"),
            models.Index(fields=["status", "due_on"], name="demand_status_due_idx"),
            models.Index(fields=["unit", "status"], name="demand_unit_status_idx"),
            models.Index(fields=["assignee_unit", "status"], name="demand_assignee_unit_idx"),
            models.Index(fields=["campaign", "status"], name="demand_campaign_idx"),
            models.Index(fields=["source", "created_at"], name="demand_source_idx"),
            models.Index(fields=["resolved_at"], name="demand_resolved_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:demand-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in DEMAND_OPEN_STATUSES


class DemandEvent(models.Model):
    """One step in a demand's life: who moved it from which state to which, when, and why."""

    demand = models.ForeignKey(
        Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DemandEventKind.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=DemandStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=DemandStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demand_events",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("demand event")
        verbose_name_plural = _("demand events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["demand", "created_at"], name="demand_event_demand_idx")]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.get_kind_display()}"


def demand_attachment_path(attachment: "DemandAttachment", filename: str) -> str:
    return f"demands/{attachment.demand_id or 'new'}/{filename}"


class DemandAttachment(models.Model):
    """A document or photo that comes with a demand."""

    demand = models.ForeignKey(
        Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=demand_attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class DemandOverdueNotice(models.Model):
    """The overdue reminder sent for a demand on one day; the unique pair keeps it to once a day."""

    demand = models.ForeignKey(
        Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="overdue_notices"
    )
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "sent_on"], name="demand_overdue_notice_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.sent_on}"
