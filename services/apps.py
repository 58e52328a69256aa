from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services")

    def ready(self):
        from portal.core.media import serve_media

        from .selectors.activities import activity_photo_readable

        # Activity photos only to those who may read the activity.
        serve_media("activities/", activity_photo_readable)
