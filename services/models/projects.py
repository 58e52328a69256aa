"""项目清单: joint projects under an alliance, their participants, milestones, timeline, and claims."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import (
    DemandCategory,
    ParticipantRole,
    ProjectEventKind,
    ProjectStatus,
)


class JointProjectQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "JointProjectQuerySet":
        if user.is_street_secretary:
            if action == "view":
                return self
            # A secretary answers for the projects of their street (and those they created).
            mine = Q(created_by_id=user.pk)
            if user.region_id:
                mine |= Q(region__path__startswith=user.region.path)
            return self.filter(mine)
        if user.is_unit_contact and user.unit_id:
            owned = Q(lead_unit_id=user.unit_id) | Q(alliance__lead_unit_id=user.unit_id)
            if action != "view":
                return self.filter(owned)
            taking_part = Q(
                pk__in=ProjectParticipant.objects.filter(unit_id=user.unit_id).values("project_id")
            )
            return self.filter(owned | taking_part | ~Q(status=ProjectStatus.PROPOSED))
        return self.none()

    def in_region(self, region) -> "JointProjectQuerySet":
        return self.filter(region__path__startswith=region.path)


class JointProject(models.Model):
    """共建项目 / 共同行动: a project an alliance's units carry out together."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    lead_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    category = models.CharField(
        _("category"),
        max_length=30,
        choices=DemandCategory.choices,
        default=DemandCategory.OTHER,
        help_text=_("What the project answers; used to suggest offers and units."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    contract_amount = models.DecimalField(
        _("contract amount (合作金额, yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="created_projects",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = JointProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="project_progress_0_to_100",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
                violation_error_message=_("The project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(budget__isnull=True) | Q(budget__gte=0))
                & (Q(contract_amount__isnull=True) | Q(contract_amount__gte=0)),
                name="project_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="project_status_idx"),
            models.Index(fields=["alliance", "status"], name="project_alliance_status_idx"),
            models.Index(fields=["lead_unit", "status"], name="project_lead_status_idx"),
            models.Index(fields=["category", "status"], name="project_category_status_idx"),
            models.Index(fields=["region", "status"], name="project_region_status_idx"),
            models.Index(fields=["completed_at"], name="project_completed_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:project-detail", args=[self.pk])

    @property
    def from_demand(self):
        """The first demand this project was made from (the link is `Demand.project`), if any."""
        return self.demands.order_by("pk").first()


class ProjectParticipant(models.Model):
    """A unit taking part in a project, with its role."""

    project = models.ForeignKey(
        JointProject,
        verbose_name=_("joint project"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    joined_on = models.DateField(_("joined on"))

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "unit"],
                name="project_participant_once",
                violation_error_message=_("This unit already takes part in the project."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "project"], name="participant_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_role_display()})"


class ProjectMilestone(models.Model):
    """A dated step of a project; done when `done_on` is set."""

    project = models.ForeignKey(
        JointProject,
        verbose_name=_("joint project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["project", "due_on"], name="milestone_project_idx")]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(models.Model):
    """An entry of a project's timeline: a status change, progress, a milestone, a claim."""

    project = models.ForeignKey(
        JointProject,
        verbose_name=_("joint project"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectEventKind.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=ProjectStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ProjectStatus.choices, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_events",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "created_at"], name="project_event_idx")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_kind_display()}"
