from rest_framework.routers import SimpleRouter

from .activities import ActivityViewSet
from .claims import ClaimViewSet
from .demands import DemandCampaignViewSet, DemandDeadlineViewSet, DemandViewSet
from .projects import ProjectViewSet
from .resources import ResourceOfferViewSet
from .stations import ServiceCategoryViewSet, ServiceStationViewSet

router = SimpleRouter()
router.register("stations", ServiceStationViewSet, basename="station")
router.register("service-categories", ServiceCategoryViewSet, basename="service-category")
router.register("activities", ActivityViewSet, basename="activity")
router.register("resources", ResourceOfferViewSet, basename="resource")
router.register("projects", ProjectViewSet, basename="project")
router.register("claims", ClaimViewSet, basename="claim")
router.register("demands", DemandViewSet, basename="demand")
router.register("demand-campaigns", DemandCampaignViewSet, basename="demand-campaign")
router.register("demand-deadlines", DemandDeadlineViewSet, basename="demand-deadline")

urlpatterns = router.urls
