from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.accounts.security import PasswordResetView
from portal.accounts.views import ExportRecordListView
from portal.core import views as core_views
from portal.core.media import media
from portal.core.metrics import metrics
from reports.views import DashboardView, OpenDataFileView, OpenDataView

admin.site.site_header = _("Alliance Portal administration")
admin.site.site_title = _("Alliance Portal")

handler404 = "portal.core.views.page_not_found"

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/exports/", ExportRecordListView.as_view(), name="export-log"),
    path("accounts/", include("portal.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("portal.regions.urls")),
    path("alliances/", include("alliances.urls")),
    path("services/", include("services.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("reports/", include("reports.urls")),
    path("open-data/", OpenDataView.as_view(), name="open-data"),
    path("open-data/<slug:slug>.<str:fmt>", OpenDataFileView.as_view(), name="open-data-file"),
    path("", include("members.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.MEDIA_URL.startswith("/"):  # not with an absolute MEDIA_URL (another server)
    urlpatterns.append(path(f"{settings.MEDIA_URL[1:]}<path:path>", media, name="media"))
