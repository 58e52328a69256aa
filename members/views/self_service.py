"""A unit contact's own pages: their unit, its profile (changes go to review), inviting colleagues."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from portal.core.actions_views import ActionFormMixin, ActionView

from ..actions.unit_changes import unit_profile_update
from ..actions.units import unit_contact_invite
from ..forms import ContactInviteForm, UnitProfileForm
from ..models import MemberUnit
from ..selectors import unit_pending_change
from .units import UnitDetailView


class UnitContactRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages of a unit contact's own unit."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_unit_contact and user.unit_id is not None

    def get_unit(self) -> MemberUnit:
        return MemberUnit.objects.select_related("region").get(pk=self.request.user.unit_id)


class MyUnitView(UnitContactRequiredMixin, View):
    """ "My unit" in the navigation: the unit's page, where its contacts keep it."""

    def get(self, request):
        return redirect("members:unit-detail", pk=request.user.unit_id)


class UnitProfileEditView(UnitContactRequiredMixin, ActionFormMixin, FormView):
    template_name = "members/unit_profile_form.html"
    form_class = UnitProfileForm
    success_message = gettext_lazy("The profile was saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_unit_contact:
            self.unit = self.get_unit()
            self.pending = unit_pending_change(unit=self.unit)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # The form validates a copy; the unit changes only through the action.
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = MemberUnit.objects.get(pk=self.unit.pk)
        kwargs["pending"] = self.pending
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unit"] = self.unit
        context["pending"] = self.pending
        return context

    def perform(self, form):
        data = {field: form.cleaned_data[field] for field in form.fields}
        return unit_profile_update(unit=self.unit, by=self.request.user, data=data)

    def done(self, change):
        if change is None:
            return super().done(change)
        messages.info(
            self.request,
            _(
                "The profile was saved. The change of name, credit code or unit type awaits review by district staff."
            ),
        )
        return redirect(self.unit)

    def get_success_url(self, result=None):
        return self.unit.get_absolute_url()


class ContactInviteView(LoginRequiredMixin, UserPassesTestMixin, ActionView):
    """Invite a colleague as another contact of the unit: its own contacts, or district staff."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_district_staff or (
            user.is_unit_contact and user.unit_id == self.kwargs["pk"]
        )

    form_class = ContactInviteForm
    errors_on_form = True
    follow_next = False
    success_message = gettext_lazy("%(email)s was invited and received a link to set a password.")

    def get_object(self):
        return get_object_or_404(MemberUnit, pk=self.kwargs["pk"])

    def perform(self, unit, form):
        return unit_contact_invite(
            unit=unit,
            by=self.request.user,
            base_url=self.request.build_absolute_uri("/"),
            **form.cleaned_data,
        )

    def get_message_data(self, contact):
        return {"email": contact.email}

    def form_invalid(self, form):
        return UnitDetailView.render_with(self.request, self.object.pk, invite_form=form)
