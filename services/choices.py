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


# WGS-84 bounds that contain all of China (mainland, Hainan and the South China Sea islands).
CHINA_LATITUDE = (3.0, 54.0)
CHINA_LONGITUDE = (73.0, 136.0)

MAX_PHOTOS = 9
