from django.urls import include, path

from . import views, views_registration, views_self

app_name = "members"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit-create"),
    path("units/import/", include("members.urls_import")),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit-update"),
    path("units/<int:pk>/deactivate/", views.UnitDeactivateView.as_view(), name="unit-deactivate"),
    path("units/<int:pk>/join/", views.UnitJoinView.as_view(), name="unit-join"),
    path("my-unit/", views_self.MyUnitView.as_view(), name="my-unit"),
    path("my-unit/edit/", views_self.UnitProfileEditView.as_view(), name="my-unit-edit"),
    path(
        "units/<int:pk>/contacts/invite/",
        views_self.ContactInviteView.as_view(),
        name="unit-contact-invite",
    ),
    path("changes/", views_self.UnitChangeListView.as_view(), name="change-list"),
    path(
        "changes/<int:pk>/approve/",
        views_self.UnitChangeDecisionView.as_view(decision="approve"),
        name="change-approve",
    ),
    path(
        "changes/<int:pk>/reject/",
        views_self.UnitChangeDecisionView.as_view(decision="reject"),
        name="change-reject",
    ),
    path(
        "register/", views_registration.RegistrationCreateView.as_view(), name="registration-create"
    ),
    path(
        "register/sent/",
        views_registration.RegistrationSentView.as_view(),
        name="registration-sent",
    ),
    path(
        "register/confirm/<str:token>/",
        views_registration.RegistrationConfirmView.as_view(),
        name="registration-confirm",
    ),
    path(
        "register/status/<str:token>/",
        views_registration.RegistrationStatusView.as_view(),
        name="registration-status",
    ),
    path(
        "registrations/",
        views_registration.RegistrationListView.as_view(),
        name="registration-list",
    ),
    path(
        "registrations/<int:pk>/",
        views_registration.RegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<int:pk>/approve/",
        views_registration.RegistrationDecisionView.as_view(decision="approve"),
        name="registration-approve",
    ),
    path(
        "registrations/<int:pk>/reject/",
        views_registration.RegistrationDecisionView.as_view(decision="reject"),
        name="registration-reject",
    ),
]
