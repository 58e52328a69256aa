from rest_framework.routers import SimpleRouter

from .tokens import ApiTokenViewSet

router = SimpleRouter()
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = router.urls
