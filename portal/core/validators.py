"""Validators shared by the apps' models, forms and serializers."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

mobile_phone_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter a mainland mobile number: 11 digits starting with 13–19.")
)
