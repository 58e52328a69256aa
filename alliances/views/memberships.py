"""Pages of memberships: add a unit (with its candidates), end a membership, leave."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from members.models import MemberUnit
from portal.core.actions_views import ActionView
from portal.core.mixins import DistrictStaffRequiredMixin

from ..actions.memberships import membership_add, membership_end, membership_leave
from ..forms.alliances import EndForm
from ..forms.memberships import MembershipAddForm
from ..models import Alliance, Membership


class MembershipAddView(DistrictStaffRequiredMixin, ActionView):
    """Add a unit found by name to the alliance (from the alliance page's search)."""

    form_class = MembershipAddForm
    follow_next = False
    success_message = gettext_lazy("%(unit)s joined %(alliance)s.")

    def get_object(self):
        return get_object_or_404(Alliance, pk=self.kwargs["pk"])

    def form_invalid(self, form):
        return self.fail([_("Choose a unit and a role.")])

    def perform(self, alliance, form):
        membership_add(alliance=alliance, **form.cleaned_data)

    def get_message_data(self, result):
        return {"unit": self.form.cleaned_data["unit"].name, "alliance": self.object.name}


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


class MembershipEndView(DistrictStaffRequiredMixin, ActionView):
    form_class = EndForm
    success_message = gettext_lazy("%(unit)s has left %(alliance)s.")

    def get_object(self):
        return get_object_or_404(
            Membership.objects.select_related("alliance", "unit"), pk=self.kwargs["pk"]
        )

    def form_invalid(self, form):
        return self.fail([_("Enter a valid date.")])

    def perform(self, membership, form):
        membership_end(membership=membership, left_on=form.cleaned_data["on"])

    def get_message_data(self, result):
        return {"unit": self.object.unit.name, "alliance": self.object.alliance.name}

    def get_fallback_url(self):
        return self.object.alliance


class MembershipLeaveView(LoginRequiredMixin, ActionView):
    """A unit contact confirms (GET shows the question) and leaves the alliance for their unit."""

    template_name = "alliances/membership_leave.html"
    follow_next = False
    one_error_message = False
    success_message = gettext_lazy("%(unit)s has left %(alliance)s.")

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

    def perform(self, membership, form):
        membership_leave(membership=membership, by=self.request.user)

    def get_message_data(self, result):
        return {"unit": self.object.unit.name, "alliance": self.object.alliance.name}

    def get_fallback_url(self):
        return self.object.alliance
