from django.urls import path
from rest_framework.routers import SimpleRouter

from .notifications import NotificationViewSet
from .preferences import NoticePreferencesView

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("notice-preferences/", NoticePreferencesView.as_view(), name="notice-preferences"),
    *router.urls,
]
