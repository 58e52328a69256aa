"""Pages of service stations: the public map and list, a station's page, and their management."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from portal.core.actions_views import ActionFormMixin, ActionView
from portal.core.history import history_entries
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin
from portal.core.scoping import CHANGE
from services.actions.stations import (
    can_manage_stations,
    station_close,
    station_create,
    station_reopen,
    station_update,
)
from services.filters.stations import StationFilterSet
from services.forms.stations import ServiceCategoryForm, StationCloseForm, StationForm
from services.models import ServiceCategory, ServiceStation
from services.selectors.stations import (
    station_changeable_ids,
    station_detail,
    station_list,
    station_map_points,
    station_recent_activities,
)


def map_settings() -> dict:
    """What station_map.js needs besides the points: the tile server (may be unreachable) and its credit."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "label_url": settings.MAP_LABEL_URL,
        "subdomains": settings.MAP_TILE_SUBDOMAINS,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }


class StationListView(FilteredListMixin, ListView):
    """The public map of stations with its list beside it; those who manage stations see theirs, closed too."""

    template_name = "services/station_list.html"
    paginate_by = 50
    filterset_class = StationFilterSet
    context_object_name = "stations"

    def get_base_queryset(self):
        return station_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["points"] = station_map_points(queryset=self.object_list)
        context["map_settings"] = map_settings()
        context["can_manage"] = can_manage_stations(user)
        context["changeable"] = (
            station_changeable_ids(user=user, stations=context["stations"])
            if context["can_manage"]
            else set()
        )
        return context


class StationDetailView(DetailView):
    template_name = "services/station_detail.html"
    context_object_name = "station"

    def get_queryset(self):
        return station_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        station, user = self.object, self.request.user
        # The CSP-safe station_map.js draws the small map; without coordinates there is none.
        context["region_path"] = [*station.region.ancestors(), station.region]
        context["activities"] = station_recent_activities(user=user, station=station)
        context["can_change"] = bool(station_changeable_ids(user=user, stations=[station]))
        context["map_settings"] = map_settings()
        if station.latitude is not None:
            context["points"] = station_map_points(
                queryset=ServiceStation.objects.filter(pk=station.pk)
            )
        if user.is_authenticated and user.is_district_staff:
            context["history"] = history_entries(station, limit=50)
        if context["can_change"] and station.is_open:
            context["close_form"] = StationCloseForm()
        return context


class StationManagerMixin(UserPassesTestMixin):
    """District staff and street secretaries; which stations they may touch is the scope's business."""

    def test_func(self) -> bool:
        return can_manage_stations(self.request.user)


class StationCreateView(StationManagerMixin, ActionFormMixin, CreateView):
    model = ServiceStation
    form_class = StationForm
    template_name = "services/station_form.html"
    success_message = gettext_lazy("Station %(name)s was created.")
    invalid_status = 200  # as CreateView answers a refused form

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        user = self.request.user
        return {"region": user.region_id} if user.is_street_secretary else {}

    def perform(self, form):
        return station_create(
            by=self.request.user, services=form.cleaned_data["services"], **form.station_fields()
        )

    def get_message_data(self, station):
        return {"name": station.name}


class StationUpdateView(StationManagerMixin, ActionFormMixin, UpdateView):
    form_class = StationForm
    template_name = "services/station_form.html"
    context_object_name = "station"
    success_message = gettext_lazy("Station %(name)s was saved.")
    invalid_status = 200  # as UpdateView answers a refused form

    def get_queryset(self):
        return ServiceStation.objects.restrict(self.request.user, CHANGE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return station_update(
            station=ServiceStation.objects.get(pk=self.object.pk),
            by=self.request.user,
            services=form.cleaned_data["services"],
            **form.station_fields(),
        )

    def get_message_data(self, station):
        return {"name": station.name}


class StationCloseView(StationManagerMixin, ActionFormMixin, FormView):
    """Close a station (it stays in the records); GET asks for the day, POST closes."""

    form_class = StationCloseForm
    template_name = "services/station_close.html"
    success_message = gettext_lazy("Station %(name)s is closed; it stays in the records.")
    invalid_status = 200  # as FormView answers a refused form

    @cached_property
    def station(self) -> ServiceStation:
        return get_object_or_404(
            ServiceStation.objects.restrict(self.request.user, CHANGE), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "station": self.station}

    def perform(self, form):
        station_close(
            station=self.station, by=self.request.user, closed_on=form.cleaned_data["closed_on"]
        )
        return self.station

    def get_message_data(self, station):
        return {"name": station.name}


class StationReopenView(StationManagerMixin, ActionView):
    success_message = gettext_lazy("Station %(name)s is open again.")
    follow_next = False

    def get_queryset(self):
        return ServiceStation.objects.restrict(self.request.user, CHANGE)

    def perform(self, station, form):
        station_reopen(station=station, by=self.request.user)

    def get_message_data(self, result):
        return {"name": self.object.name}


class ServiceCategoryListView(DistrictStaffRequiredMixin, ListView):
    """The catalogue of services, with a form to add one (district staff)."""

    template_name = "services/service_category_list.html"
    context_object_name = "categories"

    def get_queryset(self):
        return ServiceCategory.objects.order_by("-is_active", "position", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or ServiceCategoryForm(
            initial={"position": (self.object_list.count() + 1) * 10}
        )
        return context

    def post(self, request):
        form = ServiceCategoryForm(request.POST)
        if form.is_valid():
            category = form.save()
            messages.success(request, _("Service %(name)s was added.") % {"name": category.name})
            return redirect("services:service-category-list")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ServiceCategoryUpdateView(DistrictStaffRequiredMixin, UpdateView):
    model = ServiceCategory
    form_class = ServiceCategoryForm
    template_name = "services/service_category_form.html"
    context_object_name = "category"

    def get_success_url(self):
        messages.success(
            self.request, _("Service %(name)s was saved.") % {"name": self.object.name}
        )
        return reverse("services:service-category-list")


class ServiceCategoryActiveView(DistrictStaffRequiredMixin, View):
    """Deactivate a service (stations keep it, new ones cannot pick it) or bring it back."""

    def post(self, request, pk):
        category = get_object_or_404(ServiceCategory, pk=pk)
        category.is_active = request.POST.get("active") == "1"
        category.save(update_fields=["is_active"])
        if category.is_active:
            messages.success(
                request, _("Service %(name)s is offered again.") % {"name": category.name}
            )
        else:
            messages.success(
                request, _("Service %(name)s was deactivated.") % {"name": category.name}
            )
        return redirect("services:service-category-list")
