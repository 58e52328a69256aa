from rest_framework.routers import SimpleRouter

from .registrations import RegistrationViewSet
from .views import MemberUnitViewSet

router = SimpleRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("registrations", RegistrationViewSet, basename="registration")

urlpatterns = router.urls
