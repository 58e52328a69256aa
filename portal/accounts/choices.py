from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_STAFF = "district_staff", _("District staff")
    STREET_SECRETARY = "street_secretary", _("Street secretary")
    UNIT_CONTACT = "unit_contact", _("Unit contact")
