from rest_framework.routers import SimpleRouter

from .views import AllianceViewSet, MembershipViewSet

router = SimpleRouter()
router.register("alliances", AllianceViewSet, basename="alliance")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = router.urls
