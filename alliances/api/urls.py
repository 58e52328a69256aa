from rest_framework.routers import SimpleRouter

from .meetings import MeetingViewSet
from .views import AllianceViewSet, JoinRequestViewSet, MembershipViewSet

router = SimpleRouter()
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("join-requests", JoinRequestViewSet, basename="join-request")

urlpatterns = router.urls
