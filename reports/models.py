"""Quarterly reports with their files, who subscribes to them, and the proof of each mailing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.scoping import ScopedQuerySet

from .choices import DeliveryStatus, ReportScope
from .periods import Quarter

DISTRICT_XOR_ALLIANCE = Q(scope=ReportScope.DISTRICT, alliance__isnull=True) | Q(
    scope=ReportScope.ALLIANCE, alliance__isnull=False
)


def report_file_path(report: "QuarterlyReport", filename: str) -> str:
    return f"reports/{report.year}Q{report.quarter}/{filename}"


class QuarterlyReportQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "QuarterlyReportQuerySet":
        if action != "view":
            return self.none()
        if user.is_street_secretary:
            return self
        if user.is_unit_contact and user.unit_id:
            # A unit contact reads the reports of the alliances their unit is a current member of.
            from alliances.models import Membership

            alliances = (
                Membership.objects.current().filter(unit_id=user.unit_id).values("alliance_id")
            )
            return self.filter(scope=ReportScope.ALLIANCE, alliance_id__in=alliances)
        return self.none()


class QuarterlyReport(models.Model):
    """The indicators of one quarter for the district or one alliance, with the XLSX and PDF made from them."""

    scope = models.CharField(_("scope"), max_length=20, choices=ReportScope.choices)
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quarterly_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    indicators = models.JSONField(_("indicators"), default=dict)
    xlsx = models.FileField(_("XLSX workbook"), upload_to=report_file_path, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_file_path, blank=True)
    generated_at = models.DateTimeField(_("first built"), default=timezone.now)
    rebuilt_at = models.DateTimeField(_("built again"), null=True, blank=True)
    build_count = models.PositiveIntegerField(_("times built"), default=1)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last built by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the scheduled job built it."),
    )
    build_seconds = models.FloatField(_("build time (s)"), default=0)

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["-year", "-quarter", "scope", "alliance__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=DISTRICT_XOR_ALLIANCE,
                name="report_scope_matches_alliance",
                violation_error_message=_(
                    "A district report names no alliance; an alliance report names one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="report_quarter_1_to_4",
                violation_error_message=_("The quarter is 1, 2, 3 or 4."),
            ),
            models.UniqueConstraint(
                fields=["year", "quarter"],
                condition=Q(scope=ReportScope.DISTRICT),
                name="report_one_district_per_quarter",
                violation_error_message=_("The district report of this quarter already exists."),
            ),
            models.UniqueConstraint(
                fields=["alliance", "year", "quarter"],
                condition=Q(scope=ReportScope.ALLIANCE),
                name="report_one_per_alliance_quarter",
                violation_error_message=_("This alliance's report of this quarter already exists."),
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "-year", "-quarter"], name="report_scope_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} · {self.scope_name}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def period_label(self) -> str:
        return self.period.label

    @property
    def scope_name(self) -> str:
        if self.scope == ReportScope.ALLIANCE and self.alliance_id:
            return self.alliance.name
        return str(_("District report"))

    @property
    def file_stem(self) -> str:
        """The downloads' name: 2026Q3-district, 2026Q3-alliance-12."""
        suffix = (
            "district" if self.scope == ReportScope.DISTRICT else f"alliance-{self.alliance_id}"
        )
        return f"{self.year}Q{self.quarter}-{suffix}"


class ReportSubscriptionQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "ReportSubscriptionQuerySet":
        return self.none()


class ReportSubscription(models.Model):
    """A staff member who wants the district report, or one alliance's, mailed each quarter."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    scope = models.CharField(_("scope"), max_length=20, choices=ReportScope.choices)
    alliance = models.ForeignKey(
        "alliances.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    objects = ReportSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["user", "scope", "alliance__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=DISTRICT_XOR_ALLIANCE,
                name="report_subscription_scope_matches_alliance",
                violation_error_message=_(
                    "A subscription is to the district report or to one alliance's."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(scope=ReportScope.DISTRICT),
                name="report_subscription_one_district",
                violation_error_message=_("You already subscribe to the district report."),
            ),
            models.UniqueConstraint(
                fields=["user", "alliance"],
                condition=Q(scope=ReportScope.ALLIANCE),
                name="report_subscription_one_per_alliance",
                violation_error_message=_("You already subscribe to this alliance's report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.alliance or _('District report')}"


class ReportDelivery(models.Model):
    """The proof that one report was (or is being) mailed to one subscriber: one row each, by constraint."""

    report = models.ForeignKey(
        QuarterlyReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="report_deliveries",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.CLAIMED
    )
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                name="report_delivery_once",
                violation_error_message=_("This report was already mailed to this person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.user_id}"
