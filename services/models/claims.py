"""Claims (双向认领): a unit claims a project or a demand, or a project or demand asks for a unit's resource."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.decisions import Decision, decision_columns
from portal.core.scoping import ScopedQuerySet

from ..choices import (
    ClaimKind,
    ClaimStatus,
    ParticipantRole,
)
from .projects import JointProject


class ClaimQuerySet(ScopedQuerySet):
    def pending(self) -> "ClaimQuerySet":
        return self.filter(status=ClaimStatus.PENDING)

    def scope_for(self, user, action: str) -> "ClaimQuerySet":
        if user.is_street_secretary:
            mine = Q(project__created_by_id=user.pk)
            if user.region_id:
                path = user.region.path
                mine |= Q(project__region__path__startswith=path)
                mine |= Q(demand__region__path__startswith=path)
            return self.filter(mine)
        if user.is_unit_contact and user.unit_id:
            unit = user.unit_id
            return self.filter(
                Q(unit_id=unit)
                | Q(project__lead_unit_id=unit)
                | Q(project__alliance__lead_unit_id=unit)
                | Q(resource_offer__unit_id=unit)
                | Q(demand__unit_id=unit)
            )
        return self.none()


class Claim(Decision):
    """双向认领: a unit claims a project or a demand, or a project invites a unit or asks for an offer."""

    undecided_status = ClaimStatus.PENDING
    already_decided = _("This claim has already been answered or withdrawn.")

    kind = models.CharField(_("kind"), max_length=30, choices=ClaimKind.choices)
    project = models.ForeignKey(
        JointProject,
        verbose_name=_("joint project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    demand = models.ForeignKey(
        "services.Demand",
        verbose_name=_("demand"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="claims",
        help_text=_("The unit that claims, is invited, or offers the resource."),
    )
    resource_offer = models.ForeignKey(
        "services.ResourceOffer",
        verbose_name=_("resource offer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_made",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_by, decided_at = decision_columns("claims_decided")
    decision_reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=[
                            ClaimKind.UNIT_CLAIMS_PROJECT,
                            ClaimKind.PROJECT_INVITES_UNIT,
                            ClaimKind.PROJECT_REQUESTS_RESOURCE,
                        ],
                        project__isnull=False,
                        demand__isnull=True,
                    )
                    | Q(
                        kind__in=[ClaimKind.UNIT_CLAIMS_DEMAND, ClaimKind.DEMAND_REQUESTS_RESOURCE],
                        project__isnull=True,
                        demand__isnull=False,
                    )
                ),
                name="claim_target_matches_kind",
                violation_error_message=_("A claim is for exactly one project or one demand."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        ClaimKind.PROJECT_REQUESTS_RESOURCE,
                        ClaimKind.DEMAND_REQUESTS_RESOURCE,
                    ],
                    resource_offer__isnull=False,
                )
                | Q(
                    kind__in=[
                        ClaimKind.UNIT_CLAIMS_PROJECT,
                        ClaimKind.PROJECT_INVITES_UNIT,
                        ClaimKind.UNIT_CLAIMS_DEMAND,
                    ],
                    resource_offer__isnull=True,
                ),
                name="claim_resource_only_for_requests",
                violation_error_message=_("Only a request for a resource names a resource offer."),
            ),
            models.UniqueConstraint(
                fields=["project", "unit"],
                condition=Q(status=ClaimStatus.PENDING, resource_offer__isnull=True),
                name="claim_one_pending_per_project_unit",
                violation_error_message=_(
                    "There is already a pending claim or invitation between this unit and the project."
                ),
            ),
            models.UniqueConstraint(
                fields=["demand", "unit"],
                condition=Q(status=ClaimStatus.PENDING, resource_offer__isnull=True),
                name="claim_one_pending_per_demand_unit",
                violation_error_message=_("This unit has already offered to handle the demand."),
            ),
            models.UniqueConstraint(
                fields=["project", "resource_offer"],
                condition=Q(status=ClaimStatus.PENDING),
                name="claim_one_pending_per_project_offer",
                violation_error_message=_("This offer has already been requested for the project."),
            ),
            models.UniqueConstraint(
                fields=["demand", "resource_offer"],
                condition=Q(status=ClaimStatus.PENDING),
                name="claim_one_pending_per_demand_offer",
                violation_error_message=_("This offer has already been requested for the demand."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="claim_status_idx"),
            models.Index(fields=["project", "status"], name="claim_project_idx"),
            models.Index(fields=["demand", "status"], name="claim_demand_idx"),
            models.Index(fields=["unit", "status"], name="claim_unit_idx"),
            models.Index(fields=["resource_offer", "status"], name="claim_offer_idx"),
        ]

    def __str__(self) -> str:
        target = self.project or self.demand
        return f"{self.unit} → {target}"

    def get_absolute_url(self) -> str:
        target = self.project or self.demand
        return target.get_absolute_url()
