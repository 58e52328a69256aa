
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet
from portal.core.tokens import new_token
from portal.core.validators import mobile_phone_validator

from .choices import (
    CREDIT_CODE_REQUIRED,
    REGISTRATION_PENDING,
    ChangeStatus,
    Industry,
    PartyOrgType,
    RegistrationStatus,
    UnitStatus,
    UnitType,
)
from .credit_code import CreditCodeValidator


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


class RegistrationQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "RegistrationQuerySet":
        # Street secretaries review the registrations of their own subtree.
        if user.is_street_secretary and user.region_id:
            return self.filter(region__path__startswith=user.region.path)
        return self.none()

    def pending(self) -> "RegistrationQuerySet":
        return self.filter(status__in=REGISTRATION_PENDING)

    def unconfirmed_since(self, cutoff) -> "RegistrationQuerySet":
        """Registrations whose e-mail was not confirmed in time: they no longer hold their code."""
        return self.filter(status=RegistrationStatus.UNCONFIRMED, created_at__lt=cutoff)


class Registration(models.Model):
    """A unit's request to join the network, made by its contact without signing in."""

    name = models.CharField(_("unit name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[CreditCodeValidator()],
        help_text=_("18 characters (GB 32100-2015)."),
    )
    unit_type = models.CharField(_("unit type"), max_length=30, choices=UnitType.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    address = models.CharField(_("address"), max_length=255)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    party_org_type = models.CharField(
        _("party organization"),
        max_length=20,
        choices=PartyOrgType.choices,
        default=PartyOrgType.NONE,
    )
    party_member_count = models.PositiveIntegerField(_("party members"), default=0)
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_phone = models.CharField(
        _("mobile phone"), max_length=11, validators=[mobile_phone_validator]
    )
    contact_email = models.EmailField(_("contact e-mail"))
    alliances = models.ManyToManyField(
        "alliances.Alliance",
        verbose_name=_("alliances to join"),
        blank=True,
        related_name="registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.UNCONFIRMED,
        db_index=True,
    )
    confirm_token = models.CharField(
        _("confirmation token"), max_length=64, unique=True, default=new_token, editable=False
    )
    status_token = models.CharField(
        _("status token"), max_length=64, unique=True, default=new_token, editable=False
    )
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_registrations",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    unit = models.ForeignKey(
        MemberUnit,
        verbose_name=_("created unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    submitter_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["confirm_token", "status_token"])
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(status__in=REGISTRATION_PENDING),
                name="registration_credit_code_pending_unique",
                violation_error_message=_(
                    "A registration with this unified social credit code is already under review."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="registration_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:registration-detail", args=[self.pk])


class UnitChangeQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "UnitChangeQuerySet":
        # A unit contact follows the changes asked for their unit; district staff decide them.
        if user.is_unit_contact and user.unit_id and action == "view":
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def pending(self) -> "UnitChangeQuerySet":
        return self.filter(status=ChangeStatus.PENDING)


class UnitChange(models.Model):
    """A unit contact's change to the unit's name, credit code or type, waiting for staff's review."""

    unit = models.ForeignKey(
        MemberUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="changes"
    )
    name = models.CharField(_("new name"), max_length=200)
    credit_code = models.CharField(  # noqa: DJ001 — NULL like MemberUnit.credit_code
        _("new unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        validators=[CreditCodeValidator()],
    )
    unit_type = models.CharField(_("new unit type"), max_length=30, choices=UnitType.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChangeStatus.choices,
        default=ChangeStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="requested_unit_changes",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_unit_changes",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = UnitChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status=ChangeStatus.PENDING),
                name="unit_change_one_pending",
                violation_error_message=_("A change of this unit is already awaiting review."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="unit_change_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.credit_code = (self.credit_code or "").strip().upper() or None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("members:change-list") + f"?unit={self.unit_id}"

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, current value, proposed value) for each field this change alters."""
        unit = self.unit
        rows = []
        for field in ("name", "credit_code", "unit_type"):
            current, proposed = getattr(unit, field), getattr(self, field)
            if (current or None) != (proposed or None):
                if field == "unit_type":
                    current = unit.get_unit_type_display()
                    proposed = self.get_unit_type_display()
                label = MemberUnit._meta.get_field(field).verbose_name
                rows.append((label, current or "—", proposed or "—"))
        return rows
