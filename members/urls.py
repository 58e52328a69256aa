from django.urls import include, path

from . import views

app_name = "members"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit-create"),
    path("units/import/", include("members.urls_import")),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit-detail"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit-update"),
    path("units/<int:pk>/deactivate/", views.UnitDeactivateView.as_view(), name="unit-deactivate"),
    path("units/<int:pk>/join/", views.UnitJoinView.as_view(), name="unit-join"),
]
