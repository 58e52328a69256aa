from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.RegionTreeView.as_view(), name="tree"),
    path("new/", views.RegionCreateView.as_view(), name="create"),
    path("import/", views.RegionImportView.as_view(), name="import"),
    path("import/template/", views.RegionImportTemplateView.as_view(), name="import-template"),
    path("<int:pk>/", views.RegionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RegionUpdateView.as_view(), name="update"),
]
