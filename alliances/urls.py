from django.urls import path

from . import views, views_insight, views_join

app_name = "alliances"

urlpatterns = [
    path("", views.AllianceListView.as_view(), name="list"),
    path("chart/", views.AllianceChartView.as_view(), name="chart"),
    path("new/", views.AllianceCreateView.as_view(), name="create"),
    path("insight/", views_insight.InsightView.as_view(), name="insight"),
    path(
        "insight/<slug:kind>.xlsx", views_insight.InsightExportView.as_view(), name="insight-export"
    ),
    path("join-requests/", views_join.JoinRequestListView.as_view(), name="join-request-list"),
    path(
        "join-requests/<int:pk>/accept/",
        views_join.JoinRequestAcceptView.as_view(),
        name="join-request-accept",
    ),
    path(
        "join-requests/<int:pk>/decline/",
        views_join.JoinRequestDeclineView.as_view(),
        name="join-request-decline",
    ),
    path(
        "join-requests/<int:pk>/withdraw/",
        views_join.JoinRequestWithdrawView.as_view(),
        name="join-request-withdraw",
    ),
    path("<int:pk>/", views.AllianceDetailView.as_view(), name="detail"),
    path("<int:pk>/join/", views_join.JoinRequestCreateView.as_view(), name="join-request-create"),
    path("<int:pk>/edit/", views.AllianceUpdateView.as_view(), name="update"),
    path("<int:pk>/end/", views.AllianceEndView.as_view(), name="end"),
    path("<int:pk>/members/add/", views.MembershipAddView.as_view(), name="membership-add"),
    path(
        "<int:pk>/members/candidates/",
        views.MembershipCandidatesView.as_view(),
        name="membership-candidates",
    ),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership-end"),
    path(
        "memberships/<int:pk>/leave/",
        views_join.MembershipLeaveView.as_view(),
        name="membership-leave",
    ),
]
