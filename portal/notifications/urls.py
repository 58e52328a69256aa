from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("preferences/", views.NoticePreferencesView.as_view(), name="preferences"),
    path("deliveries/", views.NoticeDeliveryListView.as_view(), name="deliveries"),
]
