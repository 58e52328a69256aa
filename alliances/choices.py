import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class AllianceKind(models.TextChoices):
    HUB = "hub", _("Hub community")
    INDUSTRY_CLUSTER = "industry_cluster", _("Industry-cluster alliance")
    CROSS_REGIONAL = "cross_regional", _("Cross-regional alliance")
    FUNCTIONAL_ZONE = "functional_zone", _("Functional-zone community")
    URBAN_RENEWAL = "urban_renewal", _("Urban-renewal community")
    STREET_GOVERNANCE = "street_governance", _("Street-governance community")
    SECTOR = "sector", _("Sector alliance")
    BUILDING_COUNCIL = "building_council", _("Building council")


class AllianceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    DISSOLVED = "dissolved", _("Dissolved")


class MeetingCadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")
    NONE = "none", _("No fixed cadence")


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    DEPUTY = "deputy", _("Deputy lead unit")
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member unit")


# The order in which an alliance page lists its members.
ROLE_ORDER = {role: rank for rank, role in enumerate(MembershipRole.values)}


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class JoinRequestSource(models.TextChoices):
    SELF_SERVICE = "self_service", _("Asked by the unit")
    REGISTRATION = "registration", _("From the unit's registration")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    QUARTERLY_FORUM = "quarterly_forum", _("Quarterly forum")
    JOINT_CONFERENCE = "joint_conference", _("Joint conference")
    CONSULTATION = "consultation", _("Consultation meeting")
    OTHER = "other", _("Other")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# Reminder offsets before a meeting's start, in minutes: 3 days and 2 hours (DESIGN.md §5).
DEFAULT_REMINDER_OFFSETS = [3 * 24 * 60, 2 * 60]


# Meeting reminders (ReminderDelivery).
class DeliveryKind(models.TextChoices):
    BEFORE = "before", _("Before the meeting")
    MINUTES_DUE_2D = "minutes_due_2d", _("Minutes due, 2 days after")
    MINUTES_DUE_7D = "minutes_due_7d", _("Minutes due, 7 days after")


class DeliveryStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


# After a meeting the organizer is reminded of missing minutes or attendance this long after its end.
AFTER_MEETING_DELAYS = {
    DeliveryKind.MINUTES_DUE_2D: datetime.timedelta(days=2),
    DeliveryKind.MINUTES_DUE_7D: datetime.timedelta(days=7),
}
