"""Registration pages: the public form and its links, and the review queue for staff and secretaries."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from portal.core.actions_views import ActionFormMixin, ActionView, error_list
from portal.core.mail import request_base_url
from portal.core.mixins import FilteredListMixin
from portal.core.ratelimit import client_ip
from portal.core.scoping import CHANGE

from ..actions.registrations import (
    RegistrationRateLimited,
    registration_approve,
    registration_confirm,
    registration_rate_reached,
    registration_reject,
    registration_submit,
)
from ..filters import RegistrationFilterSet
from ..forms import RegistrationForm, RegistrationRejectForm
from ..models import Registration
from ..selectors import (
    registration_detail,
    registration_list,
    registration_similar_units,
)


class RegistrationCreateView(ActionFormMixin, FormView):
    """The public registration form; no sign-in."""

    template_name = "members/registration_form.html"
    form_class = RegistrationForm

    def post(self, request, *args, **kwargs):
        if registration_rate_reached(ip=client_ip(request)):
            return self._limited()
        return super().post(request, *args, **kwargs)

    def _limited(self):
        return render(self.request, "members/registration_limited.html", status=429)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RegistrationRateLimited:
            return self._limited()

    def perform(self, form):
        registration_submit(
            data=form.registration_data(),
            ip=client_ip(self.request),
            base_url=request_base_url(self.request),
        )

    def get_success_url(self, result=None):
        return "members:registration-sent"


class RegistrationSentView(TemplateView):
    template_name = "members/registration_sent.html"


class RegistrationConfirmView(View):
    def get(self, request, token):
        try:
            registration = registration_confirm(token=token, base_url=request_base_url(request))
        except ValidationError as exc:
            context = {"errors": [e for errors in exc.message_dict.values() for e in errors]}
            return render(request, "members/registration_link_error.html", context, status=404)
        return redirect("members:registration-status", token=registration.status_token)


class RegistrationStatusView(DetailView):
    template_name = "members/registration_status.html"
    context_object_name = "registration"
    slug_field = "status_token"
    slug_url_kwarg = "token"

    def get_queryset(self):
        return Registration.objects.select_related("region").prefetch_related("alliances")


class ReviewerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        user = self.request.user
        return user.is_district_staff or user.is_street_secretary


class RegistrationListView(ReviewerRequiredMixin, FilteredListMixin, ListView):
    template_name = "members/registration_list.html"
    paginate_by = 50
    filterset_class = RegistrationFilterSet

    def get_base_queryset(self):
        return registration_list(user=self.request.user).order_by("-created_at", "-id")


class RegistrationDetailView(ReviewerRequiredMixin, DetailView):
    template_name = "members/registration_detail.html"
    context_object_name = "registration"

    def get_queryset(self):
        return registration_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["similar_units"] = registration_similar_units(registration=self.object)
        context["reject_form"] = kwargs.get("reject_form") or RegistrationRejectForm()
        context["can_decide"] = self.object.status == "submitted"
        return context


class RegistrationDecisionView(ReviewerRequiredMixin, ActionView):
    """Approve or reject (POST only); the scope decides who may."""

    decision = "approve"
    follow_next = False

    def get_queryset(self):
        return Registration.objects.restrict(self.request.user, CHANGE)

    def get_form(self):
        return RegistrationRejectForm(self.request.POST) if self.decision == "reject" else None

    def perform(self, registration, form):
        base_url = request_base_url(self.request)
        if form is None:
            registration_approve(registration=registration, by=self.request.user, base_url=base_url)
        else:
            registration_reject(
                registration=registration,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
                base_url=base_url,
            )

    def get_success_message(self, result) -> str:
        if self.form is None:
            return _("%(name)s was approved.") % {"name": self.object.name}
        return _("%(name)s was rejected.") % {"name": self.object.name}

    def form_invalid(self, form):
        return self.show(self.request, self.object.pk, form)

    def refused(self, form, exc):
        for error in error_list(exc):
            messages.error(self.request, error)
        return self.show(self.request, self.object.pk, form, status=409)

    def show(self, request, pk, form, status=400):
        view = RegistrationDetailView()
        view.setup(request, pk=pk)
        view.object = registration_detail(user=request.user).get(pk=pk)
        context = view.get_context_data(reject_form=form) if form else view.get_context_data()
        return view.render_to_response(context, status=status)
