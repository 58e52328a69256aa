from django.urls import path
from rest_framework.routers import SimpleRouter

from .registrations import RegistrationViewSet
from .self_service import MyUnitContactsView, MyUnitView
from .unit_changes import UnitChangeViewSet
from .units import MemberUnitViewSet

router = SimpleRouter()
router.register("units", MemberUnitViewSet, basename="unit")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("unit-changes", UnitChangeViewSet, basename="unit-change")

urlpatterns = [
    path("my-unit/", MyUnitView.as_view(), name="my-unit"),
    path("my-unit/contacts/", MyUnitContactsView.as_view(), name="my-unit-contacts"),
    *router.urls,
]
