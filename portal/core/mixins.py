from django.contrib.auth.mixins import UserPassesTestMixin

from portal.core.scoping import CHANGE, VIEW


class ScopedViewMixin:
    """Browser views see only what the user's scope allows, through the same queryset method as the API."""

    scope_action = VIEW

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.scope_action)


class ScopedChangeMixin(ScopedViewMixin):
    scope_action = CHANGE


class DistrictStaffRequiredMixin(UserPassesTestMixin):
    def test_func(self) -> bool:
        user = self.request.user
        return user.is_authenticated and user.is_district_staff
