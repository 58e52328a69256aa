from django.contrib.auth.mixins import UserPassesTestMixin
from django.contrib.auth.views import redirect_to_login

from portal.core.filters import show_on_page
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
    """A list page driven by the same FilterSet as its API list; a wrong filter value lists nothing and says why.

    `?format=xlsx` downloads the filtered list when the FilterSet declares an `export_table`
    (`portal.core.exports.ExportTable`): anonymous users are sent to sign in first, unless the
    table names who may download it (`allowed`), when others get a 403.

    The page's filter form shows names where the API takes codes and ids (`show_on_page`).
    """

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

    def get(self, request, *args, **kwargs):
        table = getattr(self.filterset_class, "export_table", None)
        if table is not None and request.GET.get("format") == "xlsx":
            if not request.user.is_authenticated and table.allowed is None:
                return redirect_to_login(request.get_full_path())
            return table.response(request=request, queryset=self.get_queryset())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        show_on_page(self.filterset, self.request)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        context["query"] = query.urlencode()
        # On a phone the filters fold behind a button, unfolded while one of them is in use.
        context["filters_active"] = any(value for _name, value in query.items())
        return context
