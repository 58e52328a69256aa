from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Demo data and the scale generator: development tools that nothing in the product imports."""

    name = "devtools"
    label = "devtools"
    verbose_name = _("Development tools")
