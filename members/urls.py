from django.urls import path

from .views import imports, registrations, self_service, unit_changes, units

app_name = "members"

urlpatterns = [
    path("units/", units.UnitListView.as_view(), name="unit-list"),
    path("units/new/", units.UnitCreateView.as_view(), name="unit-create"),
    path("units/import/", imports.UnitImportView.as_view(), name="unit-import"),
    path(
        "units/import/template/",
        imports.UnitImportTemplateView.as_view(),
        name="unit-import-template",
    ),
    path("units/<int:pk>/", units.UnitDetailView.as_view(), name="unit-detail"),
    path("units/<int:pk>/edit/", units.UnitUpdateView.as_view(), name="unit-update"),
    path("units/<int:pk>/deactivate/", units.UnitDeactivateView.as_view(), name="unit-deactivate"),
    path("units/<int:pk>/join/", units.UnitJoinView.as_view(), name="unit-join"),
    path("my-unit/", self_service.MyUnitView.as_view(), name="my-unit"),
    path("my-unit/edit/", self_service.UnitProfileEditView.as_view(), name="my-unit-edit"),
    path(
        "units/<int:pk>/contacts/invite/",
        self_service.ContactInviteView.as_view(),
        name="unit-contact-invite",
    ),
    path("changes/", unit_changes.UnitChangeListView.as_view(), name="change-list"),
    path(
        "changes/<int:pk>/approve/",
        unit_changes.UnitChangeDecisionView.as_view(decision="approve"),
        name="change-approve",
    ),
    path(
        "changes/<int:pk>/reject/",
        unit_changes.UnitChangeDecisionView.as_view(decision="reject"),
        name="change-reject",
    ),
    path("register/", registrations.RegistrationCreateView.as_view(), name="registration-create"),
    path(
        "register/sent/",
        registrations.RegistrationSentView.as_view(),
        name="registration-sent",
    ),
    path(
        "register/confirm/<str:token>/",
        registrations.RegistrationConfirmView.as_view(),
        name="registration-confirm",
    ),
    path(
        "register/status/<str:token>/",
        registrations.RegistrationStatusView.as_view(),
        name="registration-status",
    ),
    path(
        "registrations/",
        registrations.RegistrationListView.as_view(),
        name="registration-list",
    ),
    path(
        "registrations/<int:pk>/",
        registrations.RegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<int:pk>/approve/",
        registrations.RegistrationDecisionView.as_view(decision="approve"),
        name="registration-approve",
    ),
    path(
        "registrations/<int:pk>/reject/",
        registrations.RegistrationDecisionView.as_view(decision="reject"),
        name="registration-reject",
    ),
]
