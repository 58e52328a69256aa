from django.contrib.auth.mixins import UserPassesTestMixin

from portal.core.pagination import BoundedCountPaginator
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


class FilteredListMixin:
    """A list page driven by the same FilterSet as its API list; a wrong filter value lists nothing and says why."""

    filterset_class = None
    paginator_class = BoundedCountPaginator

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        # The request too: some filters depend on who asks (e.g. "mine").
        self.filterset = self.filterset_class(
            self.request.GET, queryset=self.get_base_queryset(), request=self.request
        )
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context["query"] = query.urlencode()
        return context
