"""Pages of join requests: the list, ask, withdraw, accept and decline."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from portal.core.actions_views import redirect_back
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


def _error_messages(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for error in errors:
            messages.error(request, error)


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


class JoinRequestCreateView(LoginRequiredMixin, View):
    """A unit contact asks for their unit to join the alliance (from the alliance page)."""

    def post(self, request, pk):
        user = request.user
        if not (user.is_unit_contact and user.unit_id):
            raise PermissionDenied
        alliance = get_object_or_404(Alliance, pk=pk)
        form = JoinRequestForm(request.POST)
        if not form.is_valid():
            _form_error_messages(request, form)
            return redirect(alliance)
        try:
            join_request_create(
                alliance=alliance,
                unit=user.unit,
                by=user,
                message=form.cleaned_data["message"],
                base_url=request_base_url(request),
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _(
                    "Your request to join %(alliance)s was sent; the alliance's lead unit or district staff will answer it."
                )
                % {"alliance": alliance.name},
            )
        return redirect(alliance)


class JoinRequestWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        join_request = get_object_or_404(
            JoinRequest.objects.restrict(request.user).select_related("alliance"), pk=pk
        )
        try:
            join_request_withdraw(request=join_request, by=request.user)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _("Your request to join %(alliance)s was withdrawn.")
                % {"alliance": join_request.alliance.name},
            )
        return redirect_back(request, "alliances:join-request-list")


class JoinRequestAcceptView(LoginRequiredMixin, View):
    def post(self, request, pk):
        join_request = get_object_or_404(
            JoinRequest.objects.restrict(request.user, CHANGE).select_related("alliance", "unit"),
            pk=pk,
        )
        try:
            join_request_accept(
                request=join_request, by=request.user, base_url=request_base_url(request)
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _("%(unit)s joined %(alliance)s.")
                % {"unit": join_request.unit.name, "alliance": join_request.alliance.name},
            )
        return redirect_back(request, "alliances:join-request-list")


class JoinRequestDeclineView(LoginRequiredMixin, View):
    """Decline with a reason; the page's inline form posts here, and a missing reason is shown here."""

    template_name = "alliances/join_request_decline.html"

    def get_object(self):
        return get_object_or_404(
            JoinRequest.objects.restrict(self.request.user, CHANGE).select_related(
                "alliance", "unit", "requested_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        return self.show(self.get_object(), JoinRequestDeclineForm())

    def post(self, request, pk):
        join_request = self.get_object()
        form = JoinRequestDeclineForm(request.POST)
        if not form.is_valid():
            return self.show(join_request, form, status=400)
        try:
            join_request_decline(
                request=join_request,
                by=request.user,
                reason=form.cleaned_data["reason"],
                base_url=request_base_url(request),
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _("The request of %(unit)s to join %(alliance)s was declined.")
                % {"unit": join_request.unit.name, "alliance": join_request.alliance.name},
            )
        return redirect_back(request, "alliances:join-request-list")

    def show(self, join_request, form, status=200):
        context = {"join_request": join_request, "form": form}
        return render(self.request, self.template_name, context, status=status)
