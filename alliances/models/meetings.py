"""Alliance meetings, their invitations and the calendar feeds that publish them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.scoping import ScopedQuerySet
from portal.core.tokens import new_token

from ..choices import (
    MeetingKind,
    MeetingStatus,
    Rsvp,
)
from .alliances import Alliance


def new_uid() -> str:
    return f"{uuid.uuid4()}@alliance-portal"


class MeetingQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "MeetingQuerySet":
        if user.is_street_secretary:
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id:
            led = Q(alliance__lead_unit_id=user.unit_id)
            if action != "view":
                return self.filter(led)
            # One subquery, a UNION of the meetings the unit is invited to and those of the alliances
            # it leads: no join made DISTINCT, and no OR that would test every meeting against both
            # sets (docs/benchmarks.md).
            invited = (
                Invitation.objects.filter(unit_id=user.unit_id).order_by().values("meeting_id")
            )
            led_ids = Meeting.objects.filter(led).order_by().values("pk")
            return self.filter(pk__in=invited.union(led_ids))
        return self.none()


class Meeting(models.Model):
    """An alliance meeting: a regular meeting, a quarterly forum, a joint conference."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.PROTECT, related_name="meetings"
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_meetings",
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    title = models.CharField(_("title"), max_length=200)
    start_at = models.DateTimeField(_("starts"), db_index=True)
    end_at = models.DateTimeField(_("ends"))
    station = models.ForeignKey(
        "services.ServiceStation",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
        db_index=True,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    reminder_offsets = models.JSONField(
        _("reminder offsets (minutes)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the alliance's offsets."),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous meeting of the series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_meetings",
    )
    # iCalendar identity: the UID stays, SEQUENCE grows with each change that invitees must see.
    uid = models.CharField(_("calendar UID"), max_length=100, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    checkin_token = models.CharField(
        _("check-in token"), max_length=64, unique=True, default=new_token
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["checkin_token"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=F("start_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start_at"], name="meeting_status_start_idx"),
            models.Index(fields=["alliance", "start_at"], name="meeting_alliance_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliances:meeting-detail", args=[self.pk])

    def effective_reminder_offsets(self) -> list[int]:
        offsets = self.reminder_offsets
        if offsets is None:
            offsets = self.alliance.reminder_offsets
        return sorted({int(minutes) for minutes in offsets or []}, reverse=True)


class InvitationQuerySet(ScopedQuerySet):
    def scope_for(self, user, action: str) -> "InvitationQuerySet":
        if user.is_street_secretary:
            return self if action == "view" else self.none()
        if user.is_unit_contact and user.unit_id:
            return self.filter(
                Q(unit_id=user.unit_id) | Q(meeting__alliance__lead_unit_id=user.unit_id)
            )
        return self.none()


class Invitation(models.Model):
    """A unit (or a guest outside the alliance) invited to a meeting, with its answer and attendance."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey(
        "members.MemberUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    guest_name = models.CharField(_("guest name"), max_length=100, blank=True)
    guest_email = models.EmailField(_("guest e-mail"), blank=True)
    rsvp = models.CharField(
        _("answer"), max_length=20, choices=Rsvp.choices, default=Rsvp.PENDING, db_index=True
    )
    attending_count = models.PositiveSmallIntegerField(_("people attending"), default=0)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    history = HistoricalRecords()
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "unit"],
                condition=Q(unit__isnull=False),
                name="invitation_one_per_unit",
                violation_error_message=_("This unit is already invited to this meeting."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "guest_email"],
                condition=Q(unit__isnull=True),
                name="invitation_one_per_guest",
                violation_error_message=_("This guest is already invited to this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(guest_email=""),
                name="invitation_unit_or_guest",
                violation_error_message=_("Invite a unit, or a guest with an e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.guest_name or self.guest_email)


class CalendarFeedToken(models.Model):
    """The secret in a calendar feed's address: one per user (their meetings) or per alliance."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
    )
    alliance = models.OneToOneField(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, alliance__isnull=False)
                | Q(user__isnull=False, alliance__isnull=True),
                name="calendar_feed_user_or_alliance",
                violation_error_message=_("A calendar feed belongs to a user or to an alliance."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.alliance)

    def get_absolute_url(self) -> str:
        if self.alliance_id:
            return reverse("alliances:calendar-alliance", args=[self.token])
        return reverse("alliances:calendar-user", args=[self.token])
