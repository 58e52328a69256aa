"""Pages of resource offers (资源清单): the list anyone signed in browses, an offer's page, and their management."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from portal.core.forms import apply_validation_error
from portal.core.history import history_entries
from portal.core.mixins import FilteredListMixin
from portal.core.scoping import CHANGE
from services.actions.resources import (
    can_offer_resources,
    resource_offer_create,
    resource_offer_update,
    resource_offer_withdraw,
)
from services.filters.resources import ResourceOfferFilterSet
from services.forms.resources import ResourceOfferForm
from services.models import ResourceOffer
from services.selectors.resources import (
    resource_offer_changeable_ids,
    resource_offer_list,
)


class ResourceOfferListView(LoginRequiredMixin, FilteredListMixin, ListView):
    template_name = "services/resource_list.html"
    paginate_by = 50
    filterset_class = ResourceOfferFilterSet
    context_object_name = "offers"

    def get_base_queryset(self):
        return resource_offer_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_offer"] = can_offer_resources(user)
        context["changeable"] = resource_offer_changeable_ids(user=user, offers=context["offers"])
        return context


class ResourceOfferDetailView(LoginRequiredMixin, DetailView):
    template_name = "services/resource_detail.html"
    context_object_name = "offer"

    def get_queryset(self):
        return resource_offer_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offer, user = self.object, self.request.user
        context["can_change"] = bool(resource_offer_changeable_ids(user=user, offers=[offer]))
        if user.is_district_staff:
            context["history"] = history_entries(offer, limit=50)
        return context


class ResourceOffererMixin(LoginRequiredMixin, UserPassesTestMixin):
    """District staff and unit contacts; which offers they may touch is the scope's business."""

    def test_func(self) -> bool:
        return can_offer_resources(self.request.user)


class ResourceOfferCreateView(ResourceOffererMixin, CreateView):
    model = ResourceOffer
    form_class = ResourceOfferForm
    template_name = "services/resource_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            offer = resource_offer_create(by=self.request.user, data=form.offer_fields())
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Offer %(title)s was published.") % {"title": offer.title})
        return redirect(offer)


class ResourceOfferUpdateView(ResourceOffererMixin, UpdateView):
    form_class = ResourceOfferForm
    template_name = "services/resource_form.html"
    context_object_name = "offer"

    def get_queryset(self):
        return ResourceOffer.objects.restrict(self.request.user, CHANGE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        offer = ResourceOffer.objects.get(pk=self.object.pk)
        try:
            offer = resource_offer_update(
                offer=offer, by=self.request.user, data=form.offer_fields()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Offer %(title)s was saved.") % {"title": offer.title})
        return redirect(offer)


class ResourceOfferActiveView(ResourceOffererMixin, View):
    """Withdraw an offer (it stays in the records) or restore it; POST only."""

    action = None

    def post(self, request, pk):
        offer = get_object_or_404(ResourceOffer.objects.restrict(request.user, CHANGE), pk=pk)
        try:
            self.action(offer=offer, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            if self.action is resource_offer_withdraw:
                text = _("Offer %(title)s was withdrawn; it stays in the records.")
            else:
                text = _("Offer %(title)s is offered again.")
            messages.success(request, text % {"title": offer.title})
        return redirect(offer)
