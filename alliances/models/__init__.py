"""Alliances and their memberships, join requests, meetings with invitations, reminders and feeds."""

from .alliances import Alliance, AllianceQuerySet, default_reminder_offsets
from .join_requests import JoinRequest, JoinRequestQuerySet
from .meetings import (
    CalendarFeedToken,
    Invitation,
    InvitationQuerySet,
    Meeting,
    MeetingQuerySet,
    new_uid,
)
from .memberships import Membership, MembershipQuerySet
from .reminders import ReminderDelivery

__all__ = [
    "Alliance",
    "AllianceQuerySet",
    "CalendarFeedToken",
    "Invitation",
    "InvitationQuerySet",
    "JoinRequest",
    "JoinRequestQuerySet",
    "Meeting",
    "MeetingQuerySet",
    "Membership",
    "MembershipQuerySet",
    "ReminderDelivery",
    "default_reminder_offsets",
    "new_uid",
]
