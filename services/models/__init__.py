"""Stations, activities, the three lists (resources, demands, joint projects) and claims."""

from .activities import Activity, ActivityPhoto, ActivityQuerySet, activity_photo_path
from .claims import Claim, ClaimQuerySet
from .demands import (
    Demand,
    DemandAttachment,
    DemandCampaign,
    DemandDeadline,
    DemandEvent,
    DemandOverdueNotice,
    DemandQuerySet,
    demand_attachment_path,
)
from .projects import (
    JointProject,
    JointProjectQuerySet,
    ProjectEvent,
    ProjectMilestone,
    ProjectParticipant,
)
from .resources import ResourceOffer, ResourceOfferQuerySet
from .stations import (
    ServiceCategory,
    ServiceCategoryQuerySet,
    ServiceStation,
    ServiceStationQuerySet,
)

__all__ = [
    "Claim",
    "ClaimQuerySet",
    "Demand",
    "DemandAttachment",
    "DemandCampaign",
    "DemandDeadline",
    "DemandEvent",
    "DemandOverdueNotice",
    "DemandQuerySet",
    "JointProject",
    "JointProjectQuerySet",
    "ProjectEvent",
    "ProjectMilestone",
    "ProjectParticipant",
    "demand_attachment_path",
    "Activity",
    "ActivityPhoto",
    "ActivityQuerySet",
    "ResourceOffer",
    "ResourceOfferQuerySet",
    "ServiceCategory",
    "ServiceCategoryQuerySet",
    "ServiceStation",
    "ServiceStationQuerySet",
    "activity_photo_path",
]
