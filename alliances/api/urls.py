from rest_framework.routers import SimpleRouter

from .alliances import AllianceViewSet
from .join_requests import JoinRequestViewSet
from .meetings import MeetingViewSet
from .memberships import MembershipViewSet

router = SimpleRouter()
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("join-requests", JoinRequestViewSet, basename="join-request")

urlpatterns = router.urls
