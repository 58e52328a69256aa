from rest_framework.routers import SimpleRouter

from .activities import register as register_activities
from .stations import register as register_stations

router = SimpleRouter()
register_stations(router)
register_activities(router)

urlpatterns = router.urls
