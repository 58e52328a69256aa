"""Pages of claims: claim a demand or ask for a resource, the claims board, accept, decline, withdraw."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from portal.core.actions_views import ActionFormMixin, ActionView, is_htmx
from portal.core.mail import request_base_url
from portal.core.mixins import FilteredListMixin

from ..actions import claims as claim_actions
from ..choices import ClaimKind
from ..filters.claims import ClaimFilterSet
from ..forms.claims import (
    DeclineForm,
    DemandClaimForm,
    ResourceRequestForm,
)
from ..models import Demand
from ..selectors.claims import claim_can_decide, claim_can_withdraw, claim_list, claims_to_decide
from ..selectors.projects import (
    can_handle_demand,
)
from .projects import _demand_for


class DemandClaimView(LoginRequiredMixin, ActionFormMixin, View):
    """A unit contact offers their unit to handle an open demand (its contact details stay hidden)."""

    template_name = "services/claim_demand.html"
    kind = ClaimKind.UNIT_CLAIMS_DEMAND
    form_class = DemandClaimForm

    def check(self, demand) -> None:
        user = self.request.user
        if not (user.is_unit_contact and user.unit_id):
            raise PermissionDenied(_("Only unit contacts offer to handle demands."))
        # Other units' demands are shown here only while they wait for a unit to handle them.
        if demand.status not in claim_actions.DEMAND_CLAIMABLE or demand.assignee_unit_id:
            raise Http404

    def get_demand(self) -> Demand:
        demand = _demand_for(self.request, self.kwargs["pk"])
        self.check(demand)
        return demand

    def get(self, request, pk):
        demand = self.get_demand()
        return self.show(demand, self.form_class())

    def post(self, request, pk):
        self.demand = self.get_demand()
        form = self.form_class(request.POST)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form):
        return claim_actions.claim_create(
            kind=self.kind,
            by=self.request.user,
            demand=self.demand,
            message=form.cleaned_data["message"],
            resource_offer=form.cleaned_data.get("resource_offer"),
            base_url=request_base_url(self.request),
        )

    success_message = gettext_lazy("Your offer was sent; the demand's handlers will answer it.")

    def get_success_url(self, result=None):
        return reverse("services:claim-list")

    def form_invalid(self, form):
        return self.show(self.demand, form, status=400)

    def show(self, demand, form, status=200):
        context = {"demand": demand, "form": form, "kind": self.kind}
        return render(self.request, self.template_name, context, status=status)


class DemandResourceRequestView(DemandClaimView):
    """Staff or the demand's street secretary ask a unit for one of its resource offers."""

    kind = ClaimKind.DEMAND_REQUESTS_RESOURCE
    form_class = ResourceRequestForm

    def check(self, demand) -> None:
        if not can_handle_demand(self.request.user, demand):
            raise PermissionDenied(
                _("Only district staff and the demand's street secretary request resources for it.")
            )

    success_message = gettext_lazy("The offer was requested; the offering unit will answer.")


def _mark_claims(user, claims) -> None:
    for claim in claims:
        claim.can_decide = claim_can_decide(user, claim)
        claim.can_withdraw = claim_can_withdraw(user, claim)


class ClaimListView(LoginRequiredMixin, FilteredListMixin, ListView):
    """The claims the user must answer and those their side made, with inline answers."""

    template_name = "services/claim_list.html"
    paginate_by = 50
    filterset_class = ClaimFilterSet
    context_object_name = "claims"

    def get_base_queryset(self):
        return claim_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        _mark_claims(user, context["claims"])
        context["todo_count"] = (
            claim_list(user=user).filter(claims_to_decide(user)).order_by().count()
        )
        context["tab"] = (
            "todo"
            if self.request.GET.get("todo") == "true"
            else "mine"
            if self.request.GET.get("mine") == "true"
            else "all"
        )
        context["decline_form"] = DeclineForm()
        return context


def claim_row(request, pk, *, error: str = "", reason: str = "") -> HttpResponse:
    claim = get_object_or_404(claim_list(user=request.user), pk=pk)
    _mark_claims(request.user, [claim])
    context = {
        "claim": claim,
        "row_error": error,
        "decline_form": DeclineForm(initial={"reason": reason}),
        "next": request.POST.get("next", ""),
    }
    return render(request, "services/claim_row.html", context)


class ClaimRowMixin(LoginRequiredMixin):
    """A claim's step: htmx gets the row back, a plain POST the page it came from."""

    fallback_url = "services:claim-list"

    def get_queryset(self):
        return claim_list(user=self.request.user)

    def row_response(self, errors=()):
        if not is_htmx(self.request):
            return None
        return claim_row(self.request, self.object.pk, error=" ".join(errors))


class ClaimAnswerView(ClaimRowMixin, ActionView):
    """Accept or withdraw a claim; htmx gets the row back, a plain POST the page it came from."""

    action = None

    def perform(self, claim, form):
        self.action(claim=claim, by=self.request.user, base_url=request_base_url(self.request))

    def get_success_message(self, result) -> str:
        return self.message(self.object)

    def message(self, claim) -> str:
        if self.action is claim_actions.claim_accept:
            return _("The claim of %(unit)s was accepted.") % {"unit": claim.unit.name}
        return _("The claim was withdrawn.")


class ClaimDeclineView(ClaimRowMixin, ActionView):
    """Decline with a reason; without a reason a plain POST shows the reason's page again (400)."""

    template_name = "services/claim_decline.html"
    form_class = DeclineForm
    success_message = gettext_lazy("The claim of %(unit)s was declined.")

    def get(self, request, pk):
        claim = self.get_object()
        if not claim_can_decide(request.user, claim):
            raise PermissionDenied(_("You cannot answer this claim."))
        return self.show(claim, DeclineForm())

    def form_invalid(self, form):
        if is_htmx(self.request):
            return self.row_response([_("Give the reason for declining.")])
        return self.show(self.object, form, status=400)

    def perform(self, claim, form):
        claim_actions.claim_decline(
            claim=claim,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            base_url=request_base_url(self.request),
        )

    def get_message_data(self, result):
        return {"unit": self.object.unit.name}

    def show(self, claim, form, status=200):
        request = self.request
        next_url = request.POST.get("next") or request.GET.get("next", "")
        context = {"claim": claim, "form": form, "next": next_url}
        return render(self.request, self.template_name, context, status=status)
