"""District staff review the changes that contacts propose."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

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


class UnitChangeDecisionView(DistrictStaffRequiredMixin, View):
    decision = "approve"

    def post(self, request, pk):
        change = get_object_or_404(UnitChange.objects.select_related("unit"), pk=pk)
        try:
            if self.decision == "approve":
                unit_change_approve(change=change, by=request.user)
                message = _("The change of %(name)s was applied.")
            else:
                reason = request.POST.get("reason", "")[:2000]
                unit_change_reject(change=change, by=request.user, reason=reason)
                message = _("The change of %(name)s was rejected.")
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, message % {"name": change.unit.name})
        return redirect("members:change-list")
