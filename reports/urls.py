from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("build/", views.ReportBuildView.as_view(), name="build"),
    path("subscriptions/", views.SubscriptionView.as_view(), name="subscriptions"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<int:pk>/rebuild/", views.ReportRebuildView.as_view(), name="rebuild"),
    path("<int:pk>/xlsx/", views.ReportFileView.as_view(kind="xlsx"), name="xlsx"),
    path("<int:pk>/pdf/", views.ReportFileView.as_view(kind="pdf"), name="pdf"),
]
