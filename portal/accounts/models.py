import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet

from .choices import Role


class UserQuerySet(ScopedQuerySet):
    def scope_for(self, user: "User", action: str) -> "UserQuerySet":
        return self.filter(pk=user.pk)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in; what they may see and do follows from `role` and the region or unit it binds."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The street or town a street secretary works for."),
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("The member unit a unit contact speaks for."),
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    wecom_userid = models.CharField(
        _("WeCom user id"),
        max_length=64,
        blank=True,
        help_text=_("The account's user id in the organisation's WeCom, for WeCom messages."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.STREET_SECRETARY) | Q(region__isnull=False),
                name="user_secretary_has_region",
                violation_error_message=_("A street secretary must be bound to a region."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.UNIT_CONTACT) | Q(unit__isnull=False),
                name="user_contact_has_unit",
                violation_error_message=_("A unit contact must be bound to a unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs) -> None:
        # District staff use the Django admin; nobody else does unless they are a superuser.
        self.is_staff = self.is_superuser or self.role == Role.DISTRICT_STAFF
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        # Chinese order: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_district_staff(self) -> bool:
        return self.is_superuser or self.role == Role.DISTRICT_STAFF

    @property
    def is_street_secretary(self) -> bool:
        return self.role == Role.STREET_SECRETARY

    @property
    def is_unit_contact(self) -> bool:
        return self.role == Role.UNIT_CONTACT


class ApiTokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Tokens that are neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A key for the API (`Authorization: Token <key>`); only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        # Users are deactivated, not deleted (their records PROTECT them); the tokens stay as a trail.
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        blank=True,
        help_text=_("What the token is for, e.g. the dashboard screen."),
    )
    digest = models.CharField(_("SHA-256 digest of the key"), max_length=64, unique=True)
    prefix = models.CharField(
        _("prefix"), max_length=8, help_text=_("The first characters of the key, to recognize it.")
    )
    read_only = models.BooleanField(
        _("read-only"), default=False, help_text=_("Refuses POST, PUT, PATCH and DELETE.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("created_at")),
                name="apitoken_expires_after_creation",
                violation_error_message=_("A token must expire after it was created."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.prefix} ({self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return ApiTokenStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return ApiTokenStatus.EXPIRED
        return ApiTokenStatus.ACTIVE

    def get_status_display(self) -> str:
        return ApiTokenStatus(self.status).label


class ExportRecord(models.Model):
    """One download of personal data (an XLSX list export): who, when, which, with what filter."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        # The log outlives nothing it records: users are deactivated, not deleted.
        on_delete=models.PROTECT,
        related_name="export_records",
    )
    created_at = models.DateTimeField(_("exported"), default=timezone.now, db_index=True)
    name = models.CharField(_("export"), max_length=100, db_index=True)
    path = models.CharField(_("path"), max_length=500)
    query_string = models.TextField(_("filter (query string)"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.row_count})"
