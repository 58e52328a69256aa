"""Pages of memberships: add a unit (with its candidates), end a membership, leave."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from members.models import MemberUnit
from portal.core.actions_views import redirect_back
from portal.core.mixins import DistrictStaffRequiredMixin

from ..actions.memberships import membership_add, membership_end, membership_leave
from ..forms.alliances import EndForm
from ..forms.memberships import MembershipAddForm
from ..models import Alliance, Membership
from .alliances import _message_for
from .join_requests import _error_messages


class MembershipAddView(DistrictStaffRequiredMixin, View):
    """Add a unit found by name to the alliance (from the alliance page's search)."""

    def post(self, request, pk):
        alliance = get_object_or_404(Alliance, pk=pk)
        form = MembershipAddForm(request.POST)
        if form.is_valid():
            try:
                membership_add(alliance=alliance, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _message_for(exc))
            else:
                messages.success(
                    request,
                    _("%(unit)s joined %(alliance)s.")
                    % {"unit": form.cleaned_data["unit"].name, "alliance": alliance.name},
                )
        else:
            messages.error(request, _("Choose a unit and a role."))
        return redirect(alliance)


class MembershipCandidatesView(DistrictStaffRequiredMixin, ListView):
    """Active units whose name or credit code matches, for the alliance page's add-member search (htmx)."""

    template_name = "alliances/_candidates.html"
    context_object_name = "units"

    def get_queryset(self):
        q = self.request.GET.get("q", "").strip()
        if len(q) < 2:
            return MemberUnit.objects.none()
        current = (
            Membership.objects.current().filter(alliance_id=self.kwargs["pk"]).values("unit_id")
        )
        return (
            MemberUnit.objects.active()
            .filter(name__icontains=q)
            .exclude(pk__in=current)
            .select_related("region")
            .order_by("name")[:20]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alliance_id"] = self.kwargs["pk"]
        context["form"] = MembershipAddForm()
        return context


class MembershipEndView(DistrictStaffRequiredMixin, View):
    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.select_related("alliance", "unit"), pk=pk)
        form = EndForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError({"on": _("Enter a valid date.")})
            membership_end(membership=membership, left_on=form.cleaned_data["on"])
        except ValidationError as exc:
            messages.error(request, _message_for(exc))
        else:
            messages.success(
                request,
                _("%(unit)s has left %(alliance)s.")
                % {"unit": membership.unit.name, "alliance": membership.alliance.name},
            )
        return redirect_back(request, membership.alliance)


class MembershipLeaveView(LoginRequiredMixin, View):
    """A unit contact confirms (GET shows the question) and leaves the alliance for their unit."""

    template_name = "alliances/membership_leave.html"

    def get_object(self):
        user = self.request.user
        membership = get_object_or_404(
            Membership.objects.restrict(user).select_related("alliance", "unit"),
            pk=self.kwargs["pk"],
        )
        if not (user.is_unit_contact and user.unit_id == membership.unit_id):
            raise PermissionDenied
        return membership

    def get(self, request, pk):
        membership = self.get_object()
        return render(request, self.template_name, {"membership": membership})

    def post(self, request, pk):
        membership = self.get_object()
        try:
            membership_leave(membership=membership, by=request.user)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _("%(unit)s has left %(alliance)s.")
                % {"unit": membership.unit.name, "alliance": membership.alliance.name},
            )
        return redirect(membership.alliance)
