from django.urls import path

from . import views, views_insight

app_name = "alliances"

urlpatterns = [
    path("", views.AllianceListView.as_view(), name="list"),
    path("chart/", views.AllianceChartView.as_view(), name="chart"),
    path("new/", views.AllianceCreateView.as_view(), name="create"),
    path("insight/", views_insight.InsightView.as_view(), name="insight"),
    path(
        "insight/<slug:kind>.xlsx", views_insight.InsightExportView.as_view(), name="insight-export"
    ),
    path("<int:pk>/", views.AllianceDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.AllianceUpdateView.as_view(), name="update"),
    path("<int:pk>/end/", views.AllianceEndView.as_view(), name="end"),
    path("<int:pk>/members/add/", views.MembershipAddView.as_view(), name="membership-add"),
    path(
        "<int:pk>/members/candidates/",
        views.MembershipCandidatesView.as_view(),
        name="membership-candidates",
    ),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership-end"),
]
