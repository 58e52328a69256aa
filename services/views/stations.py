"""Pages of service stations: the public map and list, a station's page, and their management."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from portal.core.forms import apply_validation_error
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
    return {"tile_url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


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


class StationCreateView(StationManagerMixin, CreateView):
    model = ServiceStation
    form_class = StationForm
    template_name = "services/station_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        user = self.request.user
        return {"region": user.region_id} if user.is_street_secretary else {}

    def form_valid(self, form):
        try:
            station = station_create(
                by=self.request.user,
                services=form.cleaned_data["services"],
                **form.station_fields(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Station %(name)s was created.") % {"name": station.name})
        return redirect(station)


class StationUpdateView(StationManagerMixin, UpdateView):
    form_class = StationForm
    template_name = "services/station_form.html"
    context_object_name = "station"

    def get_queryset(self):
        return ServiceStation.objects.restrict(self.request.user, CHANGE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        station = ServiceStation.objects.get(pk=self.object.pk)
        try:
            station = station_update(
                station=station,
                by=self.request.user,
                services=form.cleaned_data["services"],
                **form.station_fields(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Station %(name)s was saved.") % {"name": station.name})
        return redirect(station)


class StationCloseView(StationManagerMixin, FormView):
    """Close a station (it stays in the records); GET asks for the day, POST closes."""

    form_class = StationCloseForm
    template_name = "services/station_close.html"

    @cached_property
    def station(self) -> ServiceStation:
        return get_object_or_404(
            ServiceStation.objects.restrict(self.request.user, CHANGE), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "station": self.station}

    def form_valid(self, form):
        try:
            station_close(
                station=self.station, by=self.request.user, closed_on=form.cleaned_data["closed_on"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Station %(name)s is closed; it stays in the records.") % {"name": self.station.name},
        )
        return redirect(self.station)


class StationReopenView(StationManagerMixin, View):
    def post(self, request, pk):
        station = get_object_or_404(ServiceStation.objects.restrict(request.user, CHANGE), pk=pk)
        try:
            station_reopen(station=station, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("Station %(name)s is open again.") % {"name": station.name})
        return redirect(station)


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
