from django.urls import path

from . import views_import

# Included under "units/import/" in the members namespace.
urlpatterns = [
    path("", views_import.UnitImportView.as_view(), name="unit-import"),
    path("template/", views_import.UnitImportTemplateView.as_view(), name="unit-import-template"),
]
