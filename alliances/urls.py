from django.urls import path

from . import views, views_insight, views_join, views_meetings

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
    path("meetings/", views_meetings.MeetingListView.as_view(), name="meeting-list"),
    path(
        "meetings/calendar/", views_meetings.CalendarSettingsView.as_view(), name="meeting-calendar"
    ),
    path("meetings/<int:pk>/", views_meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "meetings/<int:pk>/edit/", views_meetings.MeetingUpdateView.as_view(), name="meeting-update"
    ),
    path(
        "meetings/<int:pk>/cancel/",
        views_meetings.MeetingCancelView.as_view(),
        name="meeting-cancel",
    ),
    path(
        "meetings/<int:pk>/invite/",
        views_meetings.InvitationAddView.as_view(),
        name="meeting-invitation-add",
    ),
    path(
        "meetings/<int:pk>/minutes/",
        views_meetings.MeetingMinutesView.as_view(),
        name="meeting-minutes",
    ),
    path(
        "meetings/<int:pk>/attendance.xlsx",
        views_meetings.MeetingExportView.as_view(),
        name="meeting-export",
    ),
    path(
        "meetings/<int:pk>/meeting.ics", views_meetings.MeetingIcsView.as_view(), name="meeting-ics"
    ),
    path("meetings/<int:pk>/qr.svg", views_meetings.MeetingQrView.as_view(), name="meeting-qr"),
    path(
        "meetings/check-in/<str:token>/",
        views_meetings.MeetingCheckInView.as_view(),
        name="meeting-check-in",
    ),
    path(
        "invitations/<int:pk>/rsvp/",
        views_meetings.InvitationRsvpView.as_view(),
        name="invitation-rsvp",
    ),
    path(
        "invitations/<int:pk>/attendance/",
        views_meetings.InvitationAttendanceView.as_view(),
        name="invitation-attendance",
    ),
    path(
        "invitations/<int:pk>/remove/",
        views_meetings.InvitationRemoveView.as_view(),
        name="invitation-remove",
    ),
    path(
        "calendar/alliance/<str:token>.ics",
        views_meetings.AllianceCalendarFeedView.as_view(),
        name="calendar-alliance",
    ),
    path(
        "calendar/<str:token>.ics",
        views_meetings.UserCalendarFeedView.as_view(),
        name="calendar-user",
    ),
    path("<int:pk>/", views.AllianceDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/meetings/new/",
        views_meetings.MeetingCreateView.as_view(),
        name="meeting-create",
    ),
    path(
        "<int:pk>/calendar/renew/",
        views_meetings.AllianceCalendarRegenerateView.as_view(),
        name="alliance-calendar-regenerate",
    ),
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
