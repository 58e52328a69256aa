from rest_framework.routers import SimpleRouter

from .views import MemberUnitViewSet

router = SimpleRouter()
router.register("units", MemberUnitViewSet, basename="unit")

urlpatterns = router.urls
