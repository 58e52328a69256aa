from django.urls import path

from .views import alliances, insight, join_requests, meetings, memberships

app_name = "alliances"

urlpatterns = [
    path("", alliances.AllianceListView.as_view(), name="list"),
    path("chart/", alliances.AllianceChartView.as_view(), name="chart"),
    path("new/", alliances.AllianceCreateView.as_view(), name="create"),
    path("insight/", insight.InsightView.as_view(), name="insight"),
    path("insight/<slug:kind>.xlsx", insight.InsightExportView.as_view(), name="insight-export"),
    path("join-requests/", join_requests.JoinRequestListView.as_view(), name="join-request-list"),
    path(
        "join-requests/<int:pk>/accept/",
        join_requests.JoinRequestAcceptView.as_view(),
        name="join-request-accept",
    ),
    path(
        "join-requests/<int:pk>/decline/",
        join_requests.JoinRequestDeclineView.as_view(),
        name="join-request-decline",
    ),
    path(
        "join-requests/<int:pk>/withdraw/",
        join_requests.JoinRequestWithdrawView.as_view(),
        name="join-request-withdraw",
    ),
    path("meetings/", meetings.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/calendar/", meetings.CalendarSettingsView.as_view(), name="meeting-calendar"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.MeetingUpdateView.as_view(), name="meeting-update"),
    path(
        "meetings/<int:pk>/cancel/",
        meetings.MeetingCancelView.as_view(),
        name="meeting-cancel",
    ),
    path(
        "meetings/<int:pk>/invite/",
        meetings.InvitationAddView.as_view(),
        name="meeting-invitation-add",
    ),
    path(
        "meetings/<int:pk>/minutes/",
        meetings.MeetingMinutesView.as_view(),
        name="meeting-minutes",
    ),
    path(
        "meetings/<int:pk>/attendance.xlsx",
        meetings.MeetingExportView.as_view(),
        name="meeting-export",
    ),
    path("meetings/<int:pk>/meeting.ics", meetings.MeetingIcsView.as_view(), name="meeting-ics"),
    path("meetings/<int:pk>/qr.svg", meetings.MeetingQrView.as_view(), name="meeting-qr"),
    path(
        "meetings/check-in/<str:token>/",
        meetings.MeetingCheckInView.as_view(),
        name="meeting-check-in",
    ),
    path(
        "invitations/check-in/<str:token>/",
        meetings.InvitationCheckInView.as_view(),
        name="invitation-check-in",
    ),
    path(
        "invitations/<int:pk>/rsvp/",
        meetings.InvitationRsvpView.as_view(),
        name="invitation-rsvp",
    ),
    path(
        "invitations/<int:pk>/attendance/",
        meetings.InvitationAttendanceView.as_view(),
        name="invitation-attendance",
    ),
    path(
        "invitations/<int:pk>/remove/",
        meetings.InvitationRemoveView.as_view(),
        name="invitation-remove",
    ),
    path(
        "calendar/alliance/<str:token>.ics",
        meetings.AllianceCalendarFeedView.as_view(),
        name="calendar-alliance",
    ),
    path(
        "calendar/<str:token>.ics",
        meetings.UserCalendarFeedView.as_view(),
        name="calendar-user",
    ),
    path("<int:pk>/", alliances.AllianceDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/meetings/new/",
        meetings.MeetingCreateView.as_view(),
        name="meeting-create",
    ),
    path(
        "<int:pk>/calendar/renew/",
        meetings.AllianceCalendarRegenerateView.as_view(),
        name="alliance-calendar-regenerate",
    ),
    path(
        "<int:pk>/join/", join_requests.JoinRequestCreateView.as_view(), name="join-request-create"
    ),
    path("<int:pk>/edit/", alliances.AllianceUpdateView.as_view(), name="update"),
    path("<int:pk>/end/", alliances.AllianceEndView.as_view(), name="end"),
    path("<int:pk>/members/add/", memberships.MembershipAddView.as_view(), name="membership-add"),
    path(
        "<int:pk>/members/candidates/",
        memberships.MembershipCandidatesView.as_view(),
        name="membership-candidates",
    ),
    path(
        "memberships/<int:pk>/end/", memberships.MembershipEndView.as_view(), name="membership-end"
    ),
    path(
        "memberships/<int:pk>/leave/",
        memberships.MembershipLeaveView.as_view(),
        name="membership-leave",
    ),
]
