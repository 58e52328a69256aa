from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.RegionTreeView.as_view(), name="tree"),
    path("new/", views.RegionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.RegionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.RegionUpdateView.as_view(), name="update"),
]
