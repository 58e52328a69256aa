"""Pages of join requests: the list, ask, withdraw, accept and decline."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from portal.core.actions_views import ActionView
from portal.core.mail import request_base_url
from portal.core.mixins import FilteredListMixin
from portal.core.scoping import CHANGE

from ..actions.join_requests import (
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from ..filters import JoinRequestFilterSet
from ..forms.join_requests import JoinRequestDeclineForm, JoinRequestForm
from ..models import Alliance, JoinRequest
from ..selectors.join_requests import join_request_list


def _form_error_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class JoinRequestListView(LoginRequiredMixin, FilteredListMixin, ListView):
    """Staff see every request; a lead unit's contacts the requests to their alliances and their unit's own."""

    template_name = "alliances/join_request_list.html"
    paginate_by = 50
    filterset_class = JoinRequestFilterSet

    def get_base_queryset(self):
        return join_request_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for join_request in context["object_list"]:
            join_request.can_decide = join_request.is_pending and join_request.can_be_decided_by(
                user
            )
            join_request.can_withdraw = (
                join_request.is_pending and join_request.can_be_withdrawn_by(user)
            )
        context["decline_form"] = JoinRequestDeclineForm()
        return context


class JoinRequestCreateView(LoginRequiredMixin, ActionView):
    """A unit contact asks for their unit to join the alliance (from the alliance page)."""

    form_class = JoinRequestForm
    follow_next = False
    one_error_message = False
    success_message = gettext_lazy(
        "Your request to join %(alliance)s was sent; the alliance's lead unit or district staff will answer it."
    )

    def get_object(self):
        user = self.request.user
        if not (user.is_unit_contact and user.unit_id):
            raise PermissionDenied
        return get_object_or_404(Alliance, pk=self.kwargs["pk"])

    def form_invalid(self, form):
        _form_error_messages(self.request, form)
        return self.back()

    def perform(self, alliance, form):
        user = self.request.user
        join_request_create(
            alliance=alliance,
            unit=user.unit,
            by=user,
            message=form.cleaned_data["message"],
            base_url=request_base_url(self.request),
        )

    def get_message_data(self, result):
        return {"alliance": self.object.name}


class JoinRequestStepView(LoginRequiredMixin, ActionView):
    """A step on a join request: every refusal is its own message, then back to where it was taken."""

    fallback_url = "alliances:join-request-list"
    one_error_message = False

    def get_message_data(self, result):
        return {"unit": self.object.unit.name, "alliance": self.object.alliance.name}


class JoinRequestWithdrawView(JoinRequestStepView):
    success_message = gettext_lazy("Your request to join %(alliance)s was withdrawn.")

    def get_queryset(self):
        return JoinRequest.objects.restrict(self.request.user).select_related("alliance")

    def perform(self, join_request, form):
        join_request_withdraw(request=join_request, by=self.request.user)

    def get_message_data(self, result):
        return {"alliance": self.object.alliance.name}


class JoinRequestAcceptView(JoinRequestStepView):
    success_message = gettext_lazy("%(unit)s joined %(alliance)s.")

    def get_queryset(self):
        return JoinRequest.objects.restrict(self.request.user, CHANGE).select_related(
            "alliance", "unit"
        )

    def perform(self, join_request, form):
        join_request_accept(
            request=join_request, by=self.request.user, base_url=request_base_url(self.request)
        )


class JoinRequestDeclineView(JoinRequestStepView):
    """Decline with a reason; the page's inline form posts here, and a missing reason is shown here."""

    template_name = "alliances/join_request_decline.html"
    form_class = JoinRequestDeclineForm
    success_message = gettext_lazy("The request of %(unit)s to join %(alliance)s was declined.")

    def get_queryset(self):
        return JoinRequest.objects.restrict(self.request.user, CHANGE).select_related(
            "alliance", "unit", "requested_by"
        )

    def get(self, request, pk):
        return self.show(self.get_object(), JoinRequestDeclineForm())

    def form_invalid(self, form):
        return self.show(self.object, form, status=400)

    def perform(self, join_request, form):
        join_request_decline(
            request=join_request,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
            base_url=request_base_url(self.request),
        )

    def show(self, join_request, form, status=200):
        context = {"join_request": join_request, "form": form}
        return render(self.request, self.template_name, context, status=status)
