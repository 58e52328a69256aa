"""Pages of resource offers (资源清单): the list anyone signed in browses, an offer's page, and their management."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from portal.core.actions_views import ActionFormMixin, ActionView
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


class ResourceOfferCreateView(ResourceOffererMixin, ActionFormMixin, CreateView):
    model = ResourceOffer
    form_class = ResourceOfferForm
    template_name = "services/resource_form.html"
    success_message = gettext_lazy("Offer %(title)s was published.")
    invalid_status = 200  # as CreateView answers a refused form

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return resource_offer_create(by=self.request.user, data=form.offer_fields())

    def get_message_data(self, offer):
        return {"title": offer.title}


class ResourceOfferUpdateView(ResourceOffererMixin, ActionFormMixin, UpdateView):
    form_class = ResourceOfferForm
    template_name = "services/resource_form.html"
    context_object_name = "offer"
    success_message = gettext_lazy("Offer %(title)s was saved.")
    invalid_status = 200  # as UpdateView answers a refused form

    def get_queryset(self):
        return ResourceOffer.objects.restrict(self.request.user, CHANGE)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return resource_offer_update(
            offer=ResourceOffer.objects.get(pk=self.object.pk),
            by=self.request.user,
            data=form.offer_fields(),
        )

    def get_message_data(self, offer):
        return {"title": offer.title}


class ResourceOfferActiveView(ResourceOffererMixin, ActionView):
    """Withdraw an offer (it stays in the records) or restore it; POST only."""

    action = None
    follow_next = False

    def get_queryset(self):
        return ResourceOffer.objects.restrict(self.request.user, CHANGE)

    def perform(self, offer, form):
        self.action(offer=offer, by=self.request.user)

    def get_success_message(self, result) -> str:
        if self.action is resource_offer_withdraw:
            text = _("Offer %(title)s was withdrawn; it stays in the records.")
        else:
            text = _("Offer %(title)s is offered again.")
        return text % {"title": self.object.title}
