from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from alliances.actions.memberships import membership_add
from alliances.selectors.join_requests import join_requests_for_unit
from portal.core.actions_views import ActionView
from portal.core.history import history_entries
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin

from ..actions.units import unit_deactivate
from ..choices import UnitStatus
from ..filters import MemberUnitFilterSet
from ..forms import ContactInviteForm, JoinAllianceForm, MemberUnitForm
from ..models import MemberUnit
from ..selectors import (
    unit_contact_users,
    unit_contacts,
    unit_detail,
    unit_list,
    unit_pending_change,
)


class UnitListView(LoginRequiredMixin, FilteredListMixin, ListView):
    """The unit directory with its filters; `?format=xlsx` downloads the filtered list."""

    template_name = "members/unit_list.html"
    paginate_by = 50
    filterset_class = MemberUnitFilterSet

    def get_base_queryset(self):
        return unit_list(user=self.request.user).order_by("name", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (unit, unit_contacts(user=self.request.user, unit=unit))
            for unit in context["object_list"]
        ]
        return context


class UnitDetailView(LoginRequiredMixin, DetailView):
    template_name = "members/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self):
        return unit_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        memberships = list(unit.memberships.all())
        context["contacts"] = unit_contacts(user=self.request.user, unit=unit)
        context["current_memberships"] = [m for m in memberships if m.left_on is None]
        context["past_memberships"] = [m for m in memberships if m.left_on is not None]
        user = self.request.user
        own_unit = user.is_unit_contact and user.unit_id == unit.pk
        if user.is_district_staff:
            context["join_form"] = kwargs.get("join_form") or JoinAllianceForm()
        if user.is_district_staff or own_unit:
            context["own_unit"] = own_unit
            context["history"] = history_entries(unit, limit=50)
            context["unit_contacts"] = list(unit_contact_users(unit=unit))
            context["pending_change"] = unit_pending_change(unit=unit)
            context["join_requests"] = list(join_requests_for_unit(unit=unit)[:20])
            if unit.status == UnitStatus.ACTIVE:
                context["invite_form"] = kwargs.get("invite_form") or ContactInviteForm()
        return context

    @classmethod
    def render_with(cls, request, pk, status=400, **forms):
        """The unit's page again, showing a form that was refused with its errors."""
        view = cls()
        view.setup(request, pk=pk)
        view.object = unit_detail(user=request.user).get(pk=pk)
        return view.render_to_response(view.get_context_data(**forms), status=status)


class UnitCreateView(DistrictStaffRequiredMixin, SuccessMessageMixin, CreateView):
    model = MemberUnit
    form_class = MemberUnitForm
    template_name = "members/unit_form.html"
    success_message = gettext_lazy("Unit %(name)s was created.")


class UnitUpdateView(DistrictStaffRequiredMixin, SuccessMessageMixin, UpdateView):
    model = MemberUnit
    form_class = MemberUnitForm
    template_name = "members/unit_form.html"
    context_object_name = "unit"
    success_message = gettext_lazy("Unit %(name)s was saved.")


class UnitDeactivateView(DistrictStaffRequiredMixin, View):
    def post(self, request, pk):
        unit = get_object_or_404(MemberUnit, pk=pk)
        unit_deactivate(unit=unit)
        messages.success(
            request,
            _("Unit %(name)s was deactivated and has left its alliances.") % {"name": unit.name},
        )
        return redirect(unit)


class UnitJoinView(DistrictStaffRequiredMixin, ActionView):
    """Add the unit to an alliance from the unit's page."""

    form_class = JoinAllianceForm
    errors_on_form = True
    follow_next = False
    success_message = gettext_lazy("%(unit)s joined %(alliance)s.")

    def get_object(self):
        return get_object_or_404(MemberUnit, pk=self.kwargs["pk"])

    def perform(self, unit, form):
        membership_add(unit=unit, **form.cleaned_data)

    def get_message_data(self, result):
        return {"unit": self.object.name, "alliance": self.form.cleaned_data["alliance"].name}

    def form_invalid(self, form):
        return UnitDetailView.render_with(self.request, self.object.pk, join_form=form)
