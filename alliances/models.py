from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.choices import Industry
from portal.core.scoping import ScopedQuerySet

from .choices import (
    AllianceKind,
    AllianceStatus,
    JoinRequestSource,
    JoinRequestStatus,
    MeetingCadence,
    MembershipRole,
)


class AllianceQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "AllianceQuerySet":
        # The directory is public; only district staff change alliances.
        return self if action == "view" else self.none()

    def scope_anonymous(self, action: str) -> "AllianceQuerySet":
        return self if action == "view" else self.none()

    def active(self) -> "AllianceQuerySet":
        return self.filter(status=AllianceStatus.ACTIVE)


class Alliance(models.Model):
    """A party-building alliance or community; alliances nest (Minhang's "1+4+X", biomedicine's "1+3")."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AllianceKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    lead_unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_alliances",
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions"), blank=True, related_name="alliances"
    )
    industry = models.CharField(
        _("industry"), max_length=30, choices=Industry.choices, blank=True, db_index=True
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AllianceStatus.choices,
        default=AllianceStatus.ACTIVE,
        db_index=True,
    )
    meeting_cadence = models.CharField(
        _("meeting cadence"),
        max_length=20,
        choices=MeetingCadence.choices,
        default=MeetingCadence.QUARTERLY,
    )
    description = models.TextField(_("description"), blank=True)
    mechanisms = models.JSONField(
        _("mechanisms"),
        default=list,
        blank=True,
        help_text=_("Working mechanisms, e.g. 党群联动、发展联推."),
    )

    history = HistoricalRecords(m2m_fields=[regions])
    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="alliance_not_own_parent",
                violation_error_message=_("An alliance cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(ended_on__gte=F("founded_on")),
                name="alliance_ends_after_founding",
                violation_error_message=_("An alliance cannot end before it was founded."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alliances:detail", args=[self.pk])


class MembershipQuerySet(ScopedQuerySet):
    def current(self) -> "MembershipQuerySet":
        return self.filter(left_on__isnull=True)

    def scope_for(self, user, action: str) -> "MembershipQuerySet":
        if user.is_street_secretary:
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id and action == "view":
            alliances = (
                Membership.objects.current().filter(unit_id=user.unit_id).values("alliance_id")
            )
            return self.filter(Q(unit_id=user.unit_id) | Q(alliance_id__in=alliances))
        return self.none()


class Membership(models.Model):
    """A unit in an alliance with a role; leaving keeps the row with its dates."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["alliance", "role", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "unit"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_unit",
                violation_error_message=_("This unit is already a member of this alliance."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_leaves_after_joining",
                violation_error_message=_("A unit cannot leave before it joined."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "left_on"], name="membership_unit_open_idx"),
            models.Index(fields=["alliance", "left_on"], name="membership_alliance_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.alliance}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class JoinRequestQuerySet(ScopedQuerySet):
    def pending(self) -> "JoinRequestQuerySet":
        return self.filter(status=JoinRequestStatus.PENDING)

    def scope_for(self, user, action: str) -> "JoinRequestQuerySet":
        if user.is_street_secretary:
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id:
            # The lead unit's contacts answer the requests to their alliances; a unit follows its own.
            to_mine = Q(alliance__lead_unit_id=user.unit_id)
            if action == "view":
                return self.filter(to_mine | Q(unit_id=user.unit_id))
            return self.filter(to_mine)
        return self.none()


class JoinRequest(models.Model):
    """A unit asks to join an alliance; the alliance's lead unit or district staff accept or decline."""

    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        related_name="join_requests",
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="join_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    message = models.TextField(_("message"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=JoinRequestSource.choices,
        default=JoinRequestSource.SELF_SERVICE,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_requests_made",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_requests_decided",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()
    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "unit"],
                condition=Q(status=JoinRequestStatus.PENDING),
                name="joinrequest_one_pending_per_unit",
                violation_error_message=_(
                    "This unit has already asked to join this alliance; the request is pending."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="joinrequest_status_idx"),
            models.Index(fields=["alliance", "-created_at"], name="joinrequest_alliance_idx"),
            models.Index(fields=["unit", "-created_at"], name="joinrequest_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.alliance}"

    def get_absolute_url(self) -> str:
        return f"{reverse('alliances:join-request-list')}?alliance={self.alliance_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING

    def can_be_decided_by(self, user) -> bool:
        """District staff, or a contact of the alliance's lead unit (the row's alliance must be loaded)."""
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_district_staff:
            return True
        return bool(
            user.is_unit_contact and user.unit_id and user.unit_id == self.alliance.lead_unit_id
        )

    def can_be_withdrawn_by(self, user) -> bool:
        """Only a contact of the unit that asked."""
        return bool(
            user.is_authenticated
            and user.is_active
            and user.is_unit_contact
            and user.unit_id
            and user.unit_id == self.unit_id
        )
