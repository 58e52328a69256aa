from rest_framework.routers import SimpleRouter

from .reports import QuarterlyReportViewSet

router = SimpleRouter()
router.register("reports", QuarterlyReportViewSet, basename="report")

urlpatterns = router.urls
