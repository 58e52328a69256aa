"""District staff review the changes that contacts propose."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import ListView

from portal.core.actions_views import ActionView
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin

from ..actions.unit_changes import unit_change_approve, unit_change_reject
from ..filters import UnitChangeFilterSet
from ..forms import ReasonForm
from ..models import UnitChange
from ..selectors import unit_change_list


class UnitChangeListView(DistrictStaffRequiredMixin, FilteredListMixin, ListView):
    """The queue of profile changes; pending ones can be approved or rejected in place."""

    template_name = "members/unit_change_list.html"
    paginate_by = 50
    filterset_class = UnitChangeFilterSet

    def get_base_queryset(self):
        return unit_change_list(user=self.request.user).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reject_form"] = ReasonForm()
        return context


class UnitChangeDecisionView(DistrictStaffRequiredMixin, ActionView):
    decision = "approve"
    fallback_url = "members:change-list"
    follow_next = False
    one_error_message = False

    def get_object(self):
        return get_object_or_404(UnitChange.objects.select_related("unit"), pk=self.kwargs["pk"])

    def perform(self, change, form):
        if self.decision == "approve":
            unit_change_approve(change=change, by=self.request.user)
        else:
            reason = self.request.POST.get("reason", "")[:2000]
            unit_change_reject(change=change, by=self.request.user, reason=reason)

    def get_success_message(self, result) -> str:
        if self.decision == "approve":
            message = _("The change of %(name)s was applied.")
        else:
            message = _("The change of %(name)s was rejected.")
        return message % {"name": self.object.unit.name}
