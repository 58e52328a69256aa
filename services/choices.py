from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    PARTY_CENTER = "party_center", _("Party-building service center")
    PARTY_STATION = "party_station", _("Party-building service station")
    ENTERPRISE_STATION = "enterprise_station", _("Enterprise service station")
    TRAINING_BASE = "training_base", _("Training base")
    SHARED_SPACE = "shared_space", _("Shared space")
    WARM_STATION = "warm_station", _("Warm station")


class ActivityType(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    VOLUNTEER_SERVICE = "volunteer_service", _("Volunteer service")
    SALON = "salon", _("Salon")
    ENTERPRISE_VISIT = "enterprise_visit", _("Enterprise visit")
    TRAINING = "training", _("Training")
    FORUM = "forum", _("Forum")
    CULTURE_SPORTS = "culture_sports", _("Culture and sports")
    OTHER = "other", _("Other")


class ResourceCategory(models.TextChoices):
    VENUE = "venue", _("Venue")
    EXPERTISE = "expertise", _("Expertise")
    FUNDING = "funding", _("Funding")
    VOLUNTEERS = "volunteers", _("Volunteers")
    TRAINING = "training", _("Training")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class DemandCategory(models.TextChoices):
    FINANCING = "financing", _("Financing")
    TALENT = "talent", _("Talent")
    POLICY = "policy", _("Policy")
    LAND_SPACE = "land_space", _("Land and space")
    LEGAL = "legal", _("Legal")
    TAX = "tax", _("Tax")
    MARKET_ACCESS = "market_access", _("Market access")
    DAILY_LIFE = "daily_life", _("Daily life")
    OTHER = "other", _("Other")


# Days from assignment to the due date when staff have not set one for the category.
DEFAULT_DUE_DAYS = 15


class DemandSource(models.TextChoices):
    VISIT = "visit", _("Visit")
    ONLINE = "online", _("Online")
    CAMPAIGN = "campaign", _("Collection campaign")
    GRID = "grid", _("Grid")
    HOTLINE = "hotline", _("Hotline")


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another")


# States in which a demand is still being worked on (and can become overdue).
DEMAND_OPEN_STATUSES = (
    DemandStatus.SUBMITTED,
    DemandStatus.ACCEPTED,
    DemandStatus.ASSIGNED,
    DemandStatus.IN_PROGRESS,
)


class DemandEventKind(models.TextChoices):
    CREATED = "created", _("Raised")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Work started")
    PROGRESS = "progress", _("Progress")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    OVERDUE = "overdue", _("Overdue")
    COMMENT = "comment", _("Comment")
    PROJECT = "project", _("Became a joint project")


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OPEN = "open", _("Open for claiming")
    CLAIMED = "claimed", _("Claimed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO_ORGANIZER = "co_organizer", _("Co-organizer")
    PARTICIPANT = "participant", _("Participant")
    RESOURCE_PROVIDER = "resource_provider", _("Resource provider")


class ProjectEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS = "status", _("Status changed")
    PROGRESS = "progress", _("Progress")
    MILESTONE = "milestone", _("Milestone")
    PARTICIPANT = "participant", _("Participant")
    CLAIM = "claim", _("Claim")
    COMMENT = "comment", _("Comment")


class ClaimKind(models.TextChoices):
    # 双向认领: a unit claims a project or a demand, or a project invites a unit or asks for an offer.
    UNIT_CLAIMS_PROJECT = "unit_claims_project", _("A unit claims the project")
    PROJECT_INVITES_UNIT = "project_invites_unit", _("The project invites a unit")
    PROJECT_REQUESTS_RESOURCE = "project_requests_resource", _("The project requests a resource")
    UNIT_CLAIMS_DEMAND = "unit_claims_demand", _("A unit offers to handle the demand")
    DEMAND_REQUESTS_RESOURCE = "demand_requests_resource", _("The demand requests a resource")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# WGS-84 bounds that contain all of China (mainland, Hainan and the South China Sea islands).
CHINA_LATITUDE = (3.0, 54.0)
CHINA_LONGITUDE = (73.0, 136.0)

MAX_PHOTOS = 9
