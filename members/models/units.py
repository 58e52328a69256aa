"""Member units (成员单位): the enterprises, organizations and offices in the network."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from ..choices import (
    CREDIT_CODE_REQUIRED,
    Industry,
    PartyOrgType,
    UnitStatus,
    UnitType,
)
from ..credit_code import CreditCodeValidator


class MemberUnitQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "MemberUnitQuerySet":
        if user.is_street_secretary:
            # The whole network is readable; contact details are masked outside their region.
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id:
            if action != "view":
                return self.none()
            from alliances.models import Membership

            alliances = (
                Membership.objects.current().filter(unit_id=user.unit_id).values("alliance_id")
            )
            fellow_units = (
                Membership.objects.current().filter(alliance_id__in=alliances).values("unit_id")
            )
            return self.filter(Q(pk=user.unit_id) | Q(pk__in=fellow_units))
        return self.none()

    def active(self) -> "MemberUnitQuerySet":
        return self.filter(status=UnitStatus.ACTIVE)


class MemberUnit(models.Model):
    """An enterprise, social organization, department or committee that takes part in the network."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = models.CharField(  # noqa: DJ001 — NULL, not "", so that many units may lack a code
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        validators=[CreditCodeValidator()],
        help_text=_(
            "18 characters (GB 32100-2015); required for enterprises and social organizations."
        ),
    )
    unit_type = models.CharField(
        _("unit type"), max_length=30, choices=UnitType.choices, db_index=True
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    industry = models.CharField(
        _("industry"), max_length=30, choices=Industry.choices, blank=True, db_index=True
    )
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    party_org_type = models.CharField(
        _("party organization"),
        max_length=20,
        choices=PartyOrgType.choices,
        default=PartyOrgType.NONE,
        db_index=True,
    )
    party_member_count = models.PositiveIntegerField(_("party members"), default=0)
    org_covered = models.BooleanField(_("organization coverage"), default=False, db_index=True)
    work_covered = models.BooleanField(_("work coverage"), default=False, db_index=True)
    instructor = models.CharField(_("party-building instructor"), max_length=100, blank=True)
    key_target = models.BooleanField(
        _("key target"), default=False, db_index=True, help_text=_("重点对象")
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=UnitStatus.choices,
        default=UnitStatus.ACTIVE,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = MemberUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                name="unit_credit_code_unique",
                violation_error_message=_(
                    "A unit with this unified social credit code already exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(party_member_count__gte=0),
                name="unit_party_members_not_negative",
                violation_error_message=_("The number of party members cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="unit_status_name_idx"),
            models.Index(fields=["region", "status"], name="unit_region_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # An empty code is "none": several units may lack one, but no two may share one.
        self.credit_code = (self.credit_code or "").strip().upper() or None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:unit-detail", args=[self.pk])

    def clean(self) -> None:
        self.credit_code = (self.credit_code or "").strip().upper() or None
        if self.unit_type in CREDIT_CODE_REQUIRED and not self.credit_code:
            raise ValidationError(
                {
                    "credit_code": _(
                        "Enterprises and social organizations must give their unified social credit code."
                    )
                }
            )
        if self.party_org_type == PartyOrgType.NONE and self.org_covered:
            raise ValidationError(
                {
                    "org_covered": _(
                        "A unit without a party organization cannot count as organization-covered."
                    )
                }
            )
