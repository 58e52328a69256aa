from django.urls import path
from rest_framework.routers import SimpleRouter

from .deliveries import NoticeDeliveryViewSet
from .notifications import NotificationViewSet
from .preferences import NoticePreferencesView

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("notice-deliveries", NoticeDeliveryViewSet, basename="notice-delivery")

urlpatterns = [
    path("notice-preferences/", NoticePreferencesView.as_view(), name="notice-preferences"),
    *router.urls,
]
