from rest_framework.routers import SimpleRouter

from .views import QuarterlyReportViewSet

router = SimpleRouter()
router.register("reports", QuarterlyReportViewSet, basename="report")

urlpatterns = router.urls
