"""Everything under /api/v1/: each app contributes its router's urls here."""

from django.urls import include, path, re_path

from portal.api.auth import ObtainTokenView
from portal.api.views import not_found
from portal.regions.api.urls import urlpatterns as region_urls

app_name = "api"

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("", include("portal.accounts.api.urls")),
    path("", include(region_urls)),
    path("", include("alliances.api.urls")),
    path("", include("members.api.urls")),
    path("", include("services.api.urls")),
    path("", include("portal.notifications.api.urls")),
    path("", include("reports.api.urls")),
    # Anything else under /api/v1/ is a 404 in the API's error format, not Django's HTML page.
    re_path(r"^.*$", not_found),
]
