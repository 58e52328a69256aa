"""A unit contact's own pages: their unit, its profile (changes go to review), inviting colleagues."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from ..actions.unit_changes import unit_profile_update
from ..actions.units import unit_contact_invite
from ..forms import ContactInviteForm, UnitProfileForm
from ..models import MemberUnit
from ..selectors import unit_pending_change
from .units import UnitDetailView


def form_errors_from(form, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form, each message on its field where it has one."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


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


class UnitProfileEditView(UnitContactRequiredMixin, FormView):
    template_name = "members/unit_profile_form.html"
    form_class = UnitProfileForm

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

    def form_valid(self, form):
        data = {field: form.cleaned_data[field] for field in form.fields}
        try:
            change = unit_profile_update(unit=self.unit, by=self.request.user, data=data)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        if change is not None:
            messages.info(
                self.request,
                _(
                    "The profile was saved. The change of name, credit code or unit type awaits review by district staff."
                ),
            )
        else:
            messages.success(self.request, _("The profile was saved."))
        return redirect(self.unit)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ContactInviteView(LoginRequiredMixin, UserPassesTestMixin, View):
    """Invite a colleague as another contact of the unit: its own contacts, or district staff."""

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_district_staff or (
            user.is_unit_contact and user.unit_id == self.kwargs["pk"]
        )

    def post(self, request, pk):
        unit = get_object_or_404(MemberUnit, pk=pk)
        form = ContactInviteForm(request.POST)
        if form.is_valid():
            try:
                contact = unit_contact_invite(
                    unit=unit,
                    by=request.user,
                    base_url=request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("%(email)s was invited and received a link to set a password.")
                    % {"email": contact.email},
                )
                return redirect(unit)
        return UnitDetailView.render_with(request, pk, invite_form=form)
