from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
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
