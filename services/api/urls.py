from rest_framework.routers import SimpleRouter

from .activities import register as register_activities
from .demands import register as register_demands
from .projects import register as register_projects
from .resources import register as register_resources
from .stations import register as register_stations

router = SimpleRouter()
register_stations(router)
register_activities(router)
register_resources(router)
register_projects(router)
register_demands(router)

urlpatterns = router.urls
