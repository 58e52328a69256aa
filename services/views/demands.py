"""Pages of the demand loop (需求清单): the board, raising a demand, its page with the steps the user may
take, campaigns and deadlines. Every write goes through `services.actions`."""

from __future__ import annotations

import mimetypes

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from portal.core.actions_views import ActionFormMixin, ActionView, form_error_list, is_htmx
from portal.core.files import file_response
from portal.core.history import history_entries
from portal.core.mail import request_base_url
from portal.core.mixins import FilteredListMixin

from ..actions.campaigns import (
    campaign_create,
    campaign_update,
    can_manage_campaigns,
    demand_deadlines_set,
)
from ..actions.demands import (
    ACTION_LABELS,
    ACTIONS,
    HANDLER,
    RATING_DAYS,
    can_handle_demands,
    can_raise_demands,
    close_allowed_from,
    demand_allowed_actions,
    demand_attachments_add,
    demand_can_edit,
    demand_create,
    demand_update,
    roles_of,
)
from ..choices import DEFAULT_DUE_DAYS, DemandCategory, DemandStatus
from ..filters.demands import DemandFilterSet
from ..forms.demands import (
    ACTION_FORMS,
    AttachmentsForm,
    DemandCampaignForm,
    DemandDeadlinesForm,
    DemandForm,
    DemandUpdateForm,
)
from ..models import Demand, DemandAttachment, DemandCampaign, DemandDeadline
from ..selectors.demands import (
    campaign_list,
    demand_contacts,
    demand_counts,
    demand_counts_by_category,
    demand_detail,
    demand_list,
    demand_status_counts,
)

try:  # Matching suggestions arrive with their own module; the page works without them.
    from ..selectors.matching import suggestions_for_demand
except ImportError:  # pragma: no cover
    suggestions_for_demand = None

# Steps that can be taken from a row of the board, without a form.
INLINE_ACTIONS = ("accept", "start")
STATUS_BADGES = {
    DemandStatus.SUBMITTED: "warning",
    DemandStatus.ACCEPTED: "info",
    DemandStatus.ASSIGNED: "primary",
    DemandStatus.IN_PROGRESS: "primary",
    DemandStatus.RESOLVED: "success",
    DemandStatus.CLOSED: "secondary",
    DemandStatus.REJECTED: "dark",
    DemandStatus.MERGED: "light",
}


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _decorate(demand: Demand, user) -> Demand:
    """What a board row needs to know about the user's rights, computed without queries."""
    allowed = demand_allowed_actions(user, demand)
    demand.inline_actions = [(a, ACTION_LABELS[a]) for a in INLINE_ACTIONS if a in allowed]
    demand.badge = STATUS_BADGES.get(demand.status, "secondary")
    return demand


class DemandAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Staff, secretaries and unit contacts; which demands they see is the scope's business."""

    def test_func(self) -> bool:
        return can_raise_demands(self.request.user)


class DemandListView(DemandAccessMixin, FilteredListMixin, ListView):
    """The board: filters, counts per status as tabs, inline steps, `?format=xlsx` downloads the filter."""

    template_name = "services/demand_list.html"
    paginate_by = 50
    filterset_class = DemandFilterSet
    context_object_name = "demands"

    def get_base_queryset(self):
        return demand_list(user=self.request.user)

    def _status_tabs(self) -> list[dict]:
        query = self.request.GET.copy()
        for name in ("status", "page", "format"):
            query.pop(name, None)
        unfiltered = DemandFilterSet(query, queryset=self.get_base_queryset(), request=self.request)
        counts = (
            demand_status_counts(unfiltered.qs)
            if unfiltered.is_valid()
            else dict.fromkeys(DemandStatus.values, 0)
        )
        chosen = set(self.request.GET.getlist("status"))
        base = query.urlencode()
        tabs = [
            {
                "value": "",
                "label": _("All"),
                "count": sum(counts.values()),
                "url": f"?{base}",
                "active": not chosen,
            }
        ]
        for value, label in DemandStatus.choices:
            tabs.append(
                {
                    "value": value,
                    "label": label,
                    "count": counts[value],
                    "url": f"?{base}&status={value}" if base else f"?status={value}",
                    "active": chosen == {value},
                    "badge": STATUS_BADGES[value],
                }
            )
        return tabs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["demands"] = [_decorate(d, user) for d in context["demands"]]
        context["status_tabs"] = self._status_tabs()
        context["can_raise"] = can_raise_demands(user)
        context["can_handle"] = can_handle_demands(user)
        context["is_contact"] = bool(user.is_unit_contact and not user.is_district_staff)
        context["mine"] = self.request.GET.get("mine", "")
        query = self.request.GET.copy()
        for name in ("mine", "page", "format"):
            query.pop(name, None)
        context["query_without_mine"] = query.urlencode()
        form = self.filterset.form
        if "campaign" in form.fields:
            recent = DemandCampaign.objects.order_by("-opens_on", "-id").values_list("pk", "title")[
                :50
            ]
            form.fields["campaign"].widget = forms.Select(
                choices=[("", "—"), *[(pk, title) for pk, title in recent]]
            )
        if context["is_contact"]:
            form.fields.pop("mine", None)
        return context


class DemandCreateView(DemandAccessMixin, ActionFormMixin, FormView):
    template_name = "services/demand_form.html"
    form_class = DemandForm
    success_message = gettext_lazy("Demand No. %(number)s “%(title)s” was raised.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return demand_create(
            by=self.request.user,
            data=form.demand_fields(),
            attachments=form.cleaned_data.get("attachments") or [],
            base_url=request_base_url(self.request),
        )

    def get_message_data(self, demand):
        return {"number": demand.pk, "title": demand.title}


class DemandUpdateView(DemandAccessMixin, ActionFormMixin, FormView):
    """Correct a demand while it waits to be accepted."""

    template_name = "services/demand_form.html"
    form_class = DemandUpdateForm
    success_message = gettext_lazy("The demand was saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.demand = get_object_or_404(demand_list(user=request.user), pk=kwargs["pk"])
            if not demand_can_edit(request.user, self.demand):
                raise PermissionDenied(_("Only a demand that waits to be accepted can be changed."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Demand.objects.get(pk=self.demand.pk)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "demand": self.demand}

    def perform(self, form):
        return demand_update(
            demand=self.demand,
            by=self.request.user,
            data={name: form.cleaned_data[name] for name in form.fields},
        )


def demand_page_context(request, demand: Demand, *, bound: tuple[str, forms.Form] | None = None):
    """Everything the demand's page shows to `request.user`; `bound` is a refused step's form."""
    user = request.user
    allowed = demand_allowed_actions(user, demand)
    roles = roles_of(user, demand)
    action_forms = []
    for name in allowed:
        if bound is not None and bound[0] == name:
            form = bound[1]
        else:
            form = ACTION_FORMS[name](auto_id=f"id_{name}_%s")
        action_forms.append({"name": name, "label": ACTION_LABELS[name], "form": form})
    context = {
        "demand": demand,
        "contacts": demand_contacts(user=user, demand=demand),
        "action_forms": action_forms,
        "bound_action": bound[0] if bound else "",
        "events": list(demand.events.all()),
        "attachments": list(demand.attachments.all()),
        "duplicates": list(demand.duplicates.all()),
        "can_edit": demand_can_edit(user, demand),
        "can_attach": bool(roles)
        and demand.status not in {DemandStatus.CLOSED, DemandStatus.REJECTED, DemandStatus.MERGED},
        "attachments_form": AttachmentsForm(),
        "is_handler": HANDLER in roles,
        "badge": STATUS_BADGES.get(demand.status, "secondary"),
        "rating_days": RATING_DAYS,
        "close_allowed_from": close_allowed_from(demand)
        if demand.status == DemandStatus.RESOLVED
        else None,
        "today": timezone.localdate(),
    }
    if HANDLER in roles and demand.project_id is None and demand.is_open:
        context["project_from_demand_url"] = _url_or_none("services:project-from-demand", demand.pk)
    if demand.project_id is not None:
        try:
            context["project_url"] = demand.project.get_absolute_url()
        except NoReverseMatch:
            context["project_url"] = None
    if (
        HANDLER in roles
        and suggestions_for_demand is not None
        and demand.is_open
        and _template_exists("services/_suggestions.html")
    ):
        context["suggestions"] = suggestions_for_demand(demand)
        context["show_suggestions"] = True
    if user.is_district_staff:
        context["history"] = history_entries(demand, limit=50)
    return context


class DemandDetailView(DemandAccessMixin, DetailView):
    template_name = "services/demand_detail.html"
    context_object_name = "demand"

    def get_queryset(self):
        return demand_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(demand_page_context(self.request, self.object))
        return context


class DemandActionView(DemandAccessMixin, ActionView):
    """One step of the loop (POST). From a board row with htmx the row comes back; otherwise the
    demand's page, or the page again with the refused form and why."""

    htmx_template = "services/demand_row.html"
    errors_on_form = True
    denied_in_row = True

    def get_queryset(self):
        return demand_detail(user=self.request.user)

    def get_form(self):
        action = self.kwargs["action"]
        return ACTION_FORMS[action](self.request.POST, auto_id=f"id_{action}_%s")

    def perform(self, demand, form):
        ACTIONS[self.kwargs["action"]](
            demand=demand,
            by=self.request.user,
            base_url=request_base_url(self.request),
            **form.cleaned_data,
        )

    def get_success_message(self, result) -> str:
        return _("%(action)s: done for “%(title)s”.") % {
            "action": ACTION_LABELS[self.kwargs["action"]],
            "title": self.object.title,
        }

    def get_fallback_url(self):
        return self.object.get_absolute_url()

    def form_invalid(self, form):
        if is_htmx(self.request):
            return self.row_response(form_error_list(form))
        action, request = self.kwargs["action"], self.request
        demand = demand_detail(user=request.user).get(pk=self.object.pk)
        context = demand_page_context(request, demand, bound=(action, form))
        if not any(item["name"] == action for item in context["action_forms"]):
            # The step is no longer offered (the demand moved on): say why above the page.
            for error in form_error_list(form):
                messages.error(request, error)
        return render(request, "services/demand_detail.html", context, status=400)

    def row_response(self, errors=()):
        if not is_htmx(self.request):
            return None
        fresh = demand_list(user=self.request.user).filter(pk=self.object.pk).first()
        if fresh is None:
            raise Http404
        return render(
            self.request,
            self.htmx_template,
            {
                "demand": _decorate(fresh, self.request.user),
                "row_errors": list(errors),
                "next_url": self.request.POST.get("next", ""),
            },
        )


class DemandAttachmentAddView(DemandAccessMixin, ActionView):
    form_class = AttachmentsForm
    errors_on_form = True
    one_error_message = False
    follow_next = False

    def get_queryset(self):
        return demand_list(user=self.request.user)

    def get_form(self):
        return AttachmentsForm(self.request.POST, self.request.FILES)

    def perform(self, demand, form):
        return demand_attachments_add(
            demand=demand, by=self.request.user, files=form.cleaned_data["attachments"]
        )

    def get_success_message(self, added) -> str:
        return _("%(count)d file(s) attached.") % {"count": len(added)}


class DemandAttachmentView(DemandAccessMixin, View):
    """A demand's file, only for those who may see the demand."""

    def get(self, request, pk: int, attachment_id: int):
        demand = get_object_or_404(demand_list(user=request.user), pk=pk)
        attachment = get_object_or_404(DemandAttachment, pk=attachment_id, demand=demand)
        content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
        try:
            return file_response(
                attachment.file,
                filename=attachment.name,
                as_attachment=True,
                content_type=content_type,
            )
        except FileNotFoundError as exc:
            raise Http404 from exc


# --- campaigns and deadlines --------------------------------------------------------------------


class StaffOnlyMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return can_manage_campaigns(self.request.user)


class CampaignListView(DemandAccessMixin, ListView):
    template_name = "services/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 50

    def get_queryset(self):
        return campaign_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_campaigns(self.request.user)
        context["today"] = timezone.localdate()
        return context


class CampaignDetailView(DemandAccessMixin, DetailView):
    template_name = "services/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return DemandCampaign.objects.restrict(self.request.user).select_related(
            "region", "created_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        demands = Demand.objects.restrict(user).filter(campaign=self.object)
        context["counts"] = demand_counts(demands)
        context["by_category"] = [
            {**row, "category_label": DemandCategory(row["category"]).label}
            for row in demand_counts_by_category(demands)
        ]
        context["can_manage"] = can_manage_campaigns(user)
        context["today"] = timezone.localdate()
        context["board_url"] = f"{reverse('services:demand-list')}?campaign={self.object.pk}"
        if user.is_district_staff:
            context["history"] = history_entries(self.object, limit=50)
        return context


class CampaignFormView(StaffOnlyMixin, ActionFormMixin, FormView):
    template_name = "services/campaign_form.html"
    form_class = DemandCampaignForm
    success_message = gettext_lazy("Collection “%(title)s” was saved.")
    campaign: DemandCampaign | None = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.campaign}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "campaign": self.campaign}

    def perform(self, form):
        if self.campaign is None:
            return campaign_create(by=self.request.user, data=form.campaign_fields())
        return campaign_update(
            campaign=self.campaign, by=self.request.user, data=form.campaign_fields()
        )

    def get_message_data(self, campaign):
        return {"title": campaign.title}


class CampaignUpdateView(CampaignFormView):
    def dispatch(self, request, *args, **kwargs):
        if can_manage_campaigns(request.user):
            self.campaign = get_object_or_404(DemandCampaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class DemandDeadlinesView(StaffOnlyMixin, ActionFormMixin, FormView):
    """Days to resolve per category, from which an assignment's due date follows."""

    template_name = "services/demand_deadlines.html"
    form_class = DemandDeadlinesForm
    success_message = gettext_lazy("The deadlines were saved.")

    def get_form_kwargs(self):
        current = dict(DemandDeadline.objects.values_list("category", "due_days"))
        for category in DemandCategory.values:
            current.setdefault(category, DEFAULT_DUE_DAYS)
        return {**super().get_form_kwargs(), "current": current}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "default_days": DEFAULT_DUE_DAYS}

    def perform(self, form):
        demand_deadlines_set(by=self.request.user, days=form.cleaned_data)

    def get_success_url(self, result=None):
        return reverse("services:demand-deadlines")
