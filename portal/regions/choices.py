from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict or town")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


# The order of levels from the top of the tree; a parent always stands above its child.
LEVEL_RANK = {level: rank for rank, level in enumerate(RegionLevel.values)}
