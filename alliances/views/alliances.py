"""Pages of alliances: the list, the tree chart, the detail, create, edit and end."""

from django.contrib.messages.views import SuccessMessageMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from members.choices import UnitStatus
from portal.core.actions_views import ActionView
from portal.core.history import history_entries
from portal.core.mail import absolute_url, request_base_url
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin

from ..actions.alliances import alliance_end
from ..actions.meetings import calendar_feed_for
from ..choices import AllianceStatus, MembershipRole
from ..filters import AllianceFilterSet
from ..forms.alliances import AllianceForm, EndForm
from ..forms.join_requests import JoinRequestForm
from ..forms.memberships import MembershipAddForm
from ..models import Alliance, JoinRequest, Membership
from ..selectors.alliances import (
    alliance_detail,
    alliance_list,
    alliance_tree,
    echarts_tree,
)
from ..selectors.meetings import alliance_meetings, can_schedule
from ..selectors.memberships import members_by_role, membership_events


def chart_height_class(option: dict) -> str:
    """ECharts needs a height, and inline styles are not allowed: pick the nearest CSS class."""
    hint = option.pop("height_hint", 320)
    for size in (320, 480, 720, 1080, 1600):
        if hint <= size:
            return f"chart-h-{size}"
    return "chart-h-2400"


class AllianceListView(FilteredListMixin, ListView):
    """The public directory of alliances with its filters; `?format=xlsx` downloads it (signed in)."""

    template_name = "alliances/alliance_list.html"
    paginate_by = 50
    filterset_class = AllianceFilterSet

    def get_base_queryset(self):
        return alliance_list(user=self.request.user)


class AllianceChartView(TemplateView):
    """The whole network as an org chart: how alliances nest, with their member counts."""

    template_name = "alliances/alliance_chart.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        option = echarts_tree(
            alliance_tree(user=self.request.user), title=_("District alliance network")
        )
        context["chart_class"] = chart_height_class(option)
        context["chart"] = option
        return context


class AllianceDetailView(DetailView):
    template_name = "alliances/alliance_detail.html"
    context_object_name = "alliance"

    def get_queryset(self):
        return alliance_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alliance = self.object
        user = self.request.user
        signed_in = user.is_authenticated
        memberships = (
            list(
                Membership.objects.restrict(user)
                .filter(alliance=alliance)
                .select_related("unit")
                .order_by("-joined_on")
            )
            if signed_in
            else []
        )
        context["members_by_role"] = members_by_role(memberships)
        context["events"] = membership_events(memberships)
        context["regions"] = [
            " · ".join(
                r.name
                for r in (r.parent.parent if r.parent and r.parent.parent else None, r.parent, r)
                if r
            )
            for r in alliance.regions.all()
        ]
        option = echarts_tree(
            alliance_tree(user=user, root=alliance, with_members=signed_in), title=alliance.name
        )
        context["chart_class"] = chart_height_class(option)
        context["chart"] = option
        if signed_in and user.is_unit_contact and user.unit_id:
            context["join"] = join_state(alliance=alliance, memberships=memberships, user=user)
        if signed_in:
            context["meetings"] = alliance_meetings(alliance, user)
            context["can_schedule"] = (
                can_schedule(user, alliance) and alliance.status != AllianceStatus.DISSOLVED
            )
            if can_schedule(user, alliance):
                feed = calendar_feed_for(alliance=alliance)
                context["alliance_feed_url"] = absolute_url(
                    feed.get_absolute_url(), request_base_url(self.request)
                )
        if signed_in and user.is_district_staff:
            context["add_form"] = kwargs.get("add_form") or MembershipAddForm()
            context["end_form"] = EndForm()
            context["history"] = history_entries(alliance, limit=50)
        return context


def join_state(*, alliance: Alliance, memberships: list[Membership], user) -> dict | None:
    """What a unit contact may do on the alliance page: ask to join, withdraw, or leave (at most two queries)."""
    mine = next((m for m in memberships if m.unit_id == user.unit_id and m.left_on is None), None)
    if mine is not None:
        lead = mine.role == MembershipRole.LEAD or alliance.lead_unit_id == user.unit_id
        return {"state": "lead" if lead else "member", "membership": mine}
    pending = JoinRequest.objects.pending().filter(alliance=alliance, unit_id=user.unit_id).first()
    if pending is not None:
        return {"state": "pending", "request": pending}
    if alliance.status == AllianceStatus.DISSOLVED:
        return None
    if user.unit.status != UnitStatus.ACTIVE:
        return {"state": "inactive"}
    return {"state": "can_ask", "form": JoinRequestForm()}


class AllianceCreateView(DistrictStaffRequiredMixin, SuccessMessageMixin, CreateView):
    model = Alliance
    form_class = AllianceForm
    template_name = "alliances/alliance_form.html"
    success_message = gettext_lazy("Alliance %(name)s was created.")


class AllianceUpdateView(DistrictStaffRequiredMixin, SuccessMessageMixin, UpdateView):
    model = Alliance
    form_class = AllianceForm
    template_name = "alliances/alliance_form.html"
    context_object_name = "alliance"
    success_message = gettext_lazy("Alliance %(name)s was saved.")


class AllianceEndView(DistrictStaffRequiredMixin, ActionView):
    form_class = EndForm
    follow_next = False
    success_message = gettext_lazy("Alliance %(name)s has ended; its memberships ended with it.")

    def get_object(self):
        return get_object_or_404(Alliance, pk=self.kwargs["pk"])

    def form_invalid(self, form):
        return self.fail([_("Enter a valid date.")])

    def perform(self, alliance, form):
        alliance_end(alliance=alliance, ended_on=form.cleaned_data["on"])

    def get_message_data(self, result):
        return {"name": self.object.name}
