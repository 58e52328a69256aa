# Placeholder until the import views land; the import work replaces this file.
from django.http import Http404
from django.urls import path


def _pending(request):
    raise Http404


urlpatterns = [
    path("", _pending, name="unit-import"),
    path("template/", _pending, name="unit-import-template"),
]
