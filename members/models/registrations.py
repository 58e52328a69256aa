"""Registrations: a unit registers itself, confirms its e-mail and waits for review."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.decisions import Decision, decision_columns
from portal.core.scoping import ScopedQuerySet
from portal.core.tokens import new_token
from portal.core.validators import mobile_phone_validator

from ..choices import (
    REGISTRATION_PENDING,
    Industry,
    PartyOrgType,
    RegistrationStatus,
    UnitType,
)
from ..credit_code import CreditCodeValidator
from .units import MemberUnit


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


class Registration(Decision):
    """A unit's request to join the network, made by its contact without signing in."""

    undecided_status = RegistrationStatus.SUBMITTED
    already_decided = _("Only a registration awaiting review can be approved or rejected.")

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
    decided_by, decided_at = decision_columns("decided_registrations")
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
