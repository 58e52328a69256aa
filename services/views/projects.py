"""Pages of joint projects (项目清单) and claims (双向认领): the board with its export, a project's page
and its forms, turning a demand into a project, and the claims to answer.

Buttons on the board and the claims page post with htmx and get their row back; without JavaScript the
same forms post normally and come back to the page with a message.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from portal.core.actions_views import (
    ActionFormMixin,
    ActionView,
    error_list,
    form_error_list,
    is_htmx,
)
from portal.core.history import history_entries
from portal.core.mail import request_base_url
from portal.core.mixins import FilteredListMixin

from ..actions import claims as claim_actions
from ..actions import projects as actions
from ..choices import ClaimKind, ClaimStatus, ProjectStatus
from ..filters.projects import ProjectFilterSet
from ..forms.claims import (
    ClaimProjectForm,
    DeclineForm,
    InviteForm,
    ResourceRequestForm,
)
from ..forms.projects import (
    AmountsForm,
    FromDemandForm,
    MilestoneFormSet,
    ProgressForm,
    ProjectCreateForm,
    ProjectForm,
    RequiredMilestoneForm,
    TransitionForm,
    milestones_from,
)
from ..models import Demand, ProjectMilestone
from ..selectors.claims import claim_can_decide, claim_can_withdraw
from ..selectors.projects import (
    can_create_projects,
    can_handle_demand,
    is_project_manager,
    is_project_owner,
    managing_unit_ids,
    project_activities,
    project_changeable_ids,
    project_claims,
    project_detail,
    project_events,
    project_list,
    project_status_counts,
    project_timeline,
)


def _suggestions(project) -> list | None:
    """The lead's matching suggestions for the project, when that module is there."""
    try:
        from ..selectors.matching import suggestions_for_project
    except ImportError:
        return None
    return suggestions_for_project(project, limit=8)


def _next_statuses(project) -> list[tuple[str, str]]:
    allowed = set(actions.allowed_transitions(project.status))
    return [(value, label) for value, label in ProjectStatus.choices if value in allowed]


class ProjectListView(LoginRequiredMixin, FilteredListMixin, ListView):
    """The board: filters, counts per status, htmx status buttons for owners; `?format=xlsx` exports."""

    template_name = "services/project_list.html"
    paginate_by = 50
    filterset_class = ProjectFilterSet
    context_object_name = "projects"

    def get_base_queryset(self):
        return project_list(user=self.request.user)

    def status_tabs(self) -> list[dict]:
        """Each status with its count under the other filters, and the link that picks it."""
        params = self.request.GET.copy()
        for key in ("status", "page", "format"):
            params.pop(key, None)
        unfiltered = self.filterset_class(
            params, queryset=self.get_base_queryset(), request=self.request
        )
        counts = (
            project_status_counts(unfiltered.qs)
            if unfiltered.is_valid()
            else dict.fromkeys(ProjectStatus.values, 0)
        )
        chosen = set(self.request.GET.getlist("status"))
        base = params.urlencode()
        tabs = [
            {
                "label": _("All"),
                "count": sum(counts.values()),
                "query": base,
                "active": not chosen,
                "value": "",
            }
        ]
        for value, label in ProjectStatus.choices:
            query = f"{base}&status={value}" if base else f"status={value}"
            tabs.append(
                {
                    "label": label,
                    "count": counts[value],
                    "query": query,
                    "active": chosen == {value},
                    "value": value,
                }
            )
        return tabs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        projects = context["projects"]
        changeable = project_changeable_ids(user=user, projects=projects)
        for project in projects:
            project.next_statuses = _next_statuses(project) if project.pk in changeable else []
        context["changeable"] = changeable
        context["status_tabs"] = self.status_tabs()
        context["can_create"] = can_create_projects(user)
        context["mine_active"] = self.request.GET.get("mine") == "true"
        mine = self.request.GET.copy()
        mine.pop("page", None)
        mine["mine"] = "true"
        context["mine_query"] = mine.urlencode()
        return context


def _project_for(request, pk):
    return get_object_or_404(project_detail(user=request.user), pk=pk)


def render_project(request, project, *, status: int = 200, **bound):
    """The project's page; `bound` replaces a blank form with the one the user sent (and its errors)."""
    user = request.user
    owner = is_project_owner(user, project)
    managers = managing_unit_ids(project)
    manager = is_project_manager(user, project, managers=managers)
    closed = project.status in actions.CLOSED_STATUSES
    claimable = project.status in actions.CLAIMABLE_STATUSES
    participants = list(project.participants.all())
    milestones = list(project.milestones.all())
    events = list(project_events(project))
    activities = list(project_activities(project)[:50])
    claims = list(project_claims(project))
    for claim in claims:
        claim.project = project
        claim.can_decide = claim_can_decide(user, claim)
        claim.can_withdraw = claim_can_withdraw(user, claim)
    unit_id = user.unit_id if user.is_unit_contact else None
    my_unit_takes_part = unit_id in {p.unit_id for p in participants}
    my_pending = next(
        (
            c
            for c in claims
            if c.status == ClaimStatus.PENDING and c.unit_id == unit_id and not c.resource_offer_id
        ),
        None,
    )
    can_claim = bool(unit_id and claimable and not my_unit_takes_part and my_pending is None)
    demands = list(Demand.objects.restrict(user).filter(project=project).order_by("pk"))
    context = {
        "project": project,
        "is_owner": owner,
        "is_manager": manager,
        "closed": closed,
        "participants": participants,
        "milestones": milestones,
        "claims": claims,
        "activities": activities,
        "demands": demands,
        "timeline": project_timeline(
            project, events=events, milestones=milestones, activities=activities
        ),
        "my_pending": my_pending,
        "next_statuses": _next_statuses(project) if owner else [],
        "decline_form": DeclineForm(),
    }
    if owner and not closed:
        context["transition_form"] = bound.get("transition_form") or TransitionForm(project=project)
    if owner and claimable:
        context["invite_form"] = bound.get("invite_form") or InviteForm()
        context["resource_form"] = bound.get("resource_form") or ResourceRequestForm()
    if manager and not closed:
        context["progress_form"] = bound.get("progress_form") or ProgressForm(
            initial={"progress": project.progress}
        )
        context["milestone_form"] = bound.get("milestone_form") or RequiredMilestoneForm()
    if manager:
        context["amounts_form"] = bound.get("amounts_form") or AmountsForm(
            initial={"budget": project.budget, "contract_amount": project.contract_amount}
        )
    if can_claim or "claim_form" in bound:
        context["claim_form"] = bound.get("claim_form") or ClaimProjectForm()
    if owner and not closed:
        context["suggestions"] = _suggestions(project)
    if user.is_district_staff:
        context["history"] = history_entries(project, limit=50)
    return render(request, "services/project_detail.html", context, status=status)


class ProjectDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_project(request, _project_for(request, pk))


class ProjectFormPost(LoginRequiredMixin, ActionView):
    """A form of the project's page: POST only; a refusal shows the page again with the form's errors."""

    form_name = ""
    errors_on_form = True

    def get_queryset(self):
        return project_detail(user=self.request.user)

    def get_form(self):
        if self.form_class is TransitionForm:
            return TransitionForm(self.request.POST, project=self.object)
        return self.form_class(self.request.POST)

    def perform(self, project, form) -> str:
        """Call the action and return the success message."""
        raise NotImplementedError

    def get_success_message(self, text) -> str:
        return text

    def form_invalid(self, form):
        return render_project(self.request, self.object, status=400, **{self.form_name: form})


class ProjectTransitionView(ProjectFormPost):
    """Change the status; from the board with htmx, the row comes back."""

    form_class = TransitionForm
    form_name = "transition_form"

    def row_response(self, errors=()):
        if not is_htmx(self.request):
            return None
        return project_row(self.request, self.object.pk, error=" ".join(errors))

    def refused(self, form, exc):
        if is_htmx(self.request):
            return self.fail(error_list(exc))
        return super().refused(form, exc)

    def form_invalid(self, form):
        if is_htmx(self.request):
            return self.fail(form_error_list(form))
        return super().form_invalid(form)

    def perform(self, project, form) -> str:
        project = actions.project_transition(
            project=project,
            to=form.cleaned_data["status"],
            by=self.request.user,
            comment=form.cleaned_data["comment"],
            base_url=request_base_url(self.request),
        )
        return _("%(title)s is now %(status)s.") % {
            "title": project.title,
            "status": project.get_status_display(),
        }


def project_row(request, pk, *, error: str = "") -> HttpResponse:
    project = get_object_or_404(project_list(user=request.user), pk=pk)
    changeable = project_changeable_ids(user=request.user, projects=[project])
    project.next_statuses = _next_statuses(project) if project.pk in changeable else []
    context = {
        "project": project,
        "changeable": changeable,
        "row_error": error,
        "next": request.POST.get("next", ""),
    }
    return render(request, "services/project_row.html", context)


class ProjectProgressView(ProjectFormPost):
    form_class = ProgressForm
    form_name = "progress_form"

    def perform(self, project, form) -> str:
        actions.project_progress(
            project=project,
            by=self.request.user,
            progress=form.cleaned_data["progress"],
            comment=form.cleaned_data["comment"],
        )
        return _("The progress was recorded.")


class ProjectAmountsView(ProjectFormPost):
    form_class = AmountsForm
    form_name = "amounts_form"

    def perform(self, project, form) -> str:
        actions.project_update(project=project, by=self.request.user, data=form.cleaned_data)
        return _("The amounts were saved.")


class MilestoneAddView(ProjectFormPost):
    form_class = RequiredMilestoneForm
    form_name = "milestone_form"

    def perform(self, project, form) -> str:
        milestone = actions.milestone_add(
            project=project,
            by=self.request.user,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
        )
        return _("Milestone “%(title)s” was added.") % {"title": milestone.title}


class MilestoneDoneView(LoginRequiredMixin, ActionView):
    success_message = gettext_lazy("Milestone “%(title)s” is done.")
    follow_next = False

    def get_object(self):
        self.project = _project_for(self.request, self.kwargs["pk"])
        return get_object_or_404(
            ProjectMilestone, pk=self.kwargs["milestone_pk"], project=self.project
        )

    def perform(self, milestone, form):
        actions.milestone_done(milestone=milestone, by=self.request.user)

    def get_message_data(self, result):
        return {"title": self.object.title}

    def get_fallback_url(self):
        return self.project


class ProjectClaimView(ProjectFormPost):
    form_class = ClaimProjectForm
    form_name = "claim_form"

    def perform(self, project, form) -> str:
        claim_actions.claim_create(
            kind=ClaimKind.UNIT_CLAIMS_PROJECT,
            by=self.request.user,
            project=project,
            role=form.cleaned_data["role"],
            message=form.cleaned_data["message"],
            base_url=request_base_url(self.request),
        )
        return _("Your claim was sent; the project's owners will answer it.")


class ProjectInviteView(ProjectFormPost):
    form_class = InviteForm
    form_name = "invite_form"

    def perform(self, project, form) -> str:
        claim = claim_actions.claim_create(
            kind=ClaimKind.PROJECT_INVITES_UNIT,
            by=self.request.user,
            project=project,
            unit=form.cleaned_data["unit"],
            role=form.cleaned_data["role"],
            message=form.cleaned_data["message"],
            base_url=request_base_url(self.request),
        )
        return _("%(unit)s was invited.") % {"unit": claim.unit.name}


class ProjectResourceRequestView(ProjectFormPost):
    form_class = ResourceRequestForm
    form_name = "resource_form"

    def perform(self, project, form) -> str:
        claim = claim_actions.claim_create(
            kind=ClaimKind.PROJECT_REQUESTS_RESOURCE,
            by=self.request.user,
            project=project,
            resource_offer=form.cleaned_data["resource_offer"],
            message=form.cleaned_data["message"],
            base_url=request_base_url(self.request),
        )
        return _("The offer “%(offer)s” was requested from %(unit)s.") % {
            "offer": claim.resource_offer.title,
            "unit": claim.unit.name,
        }


class ProjectCreateView(LoginRequiredMixin, ActionFormMixin, View):
    template_name = "services/project_form.html"
    success_message = gettext_lazy("Project %(title)s was published.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_projects(request.user):
            raise PermissionDenied(
                _(
                    "Only district staff, street secretaries and the contacts of an alliance's "
                    "lead unit publish projects."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = ProjectCreateForm(user=request.user)
        return self.show(form, MilestoneFormSet(prefix="milestones"))

    def post(self, request):
        form = ProjectCreateForm(request.POST, user=request.user)
        self.formset = MilestoneFormSet(request.POST, prefix="milestones")
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def perform(self, form):
        return actions.project_create(
            by=self.request.user,
            data=form.project_fields(),
            milestones=milestones_from(self.formset),
            open_now=form.cleaned_data["open_now"],
            base_url=request_base_url(self.request),
        )

    def get_message_data(self, project):
        return {"title": project.title}

    def form_invalid(self, form):
        return self.show(form, self.formset, status=400)

    def show(self, form, formset, status=200):
        context = {"form": form, "milestones": formset, "project": None}
        return render(self.request, self.template_name, context, status=status)


class ProjectUpdateView(LoginRequiredMixin, ActionFormMixin, View):
    template_name = "services/project_form.html"
    success_message = gettext_lazy("Project %(title)s was saved.")

    def get_project(self):
        project = _project_for(self.request, self.kwargs["pk"])
        if not is_project_owner(self.request.user, project):
            raise PermissionDenied(_("You cannot change this project."))
        return project

    def get(self, request, pk):
        project = self.get_project()
        return self.show(ProjectForm(user=request.user, instance=project), project)

    def post(self, request, pk):
        self.project = self.get_project()
        form = ProjectForm(request.POST, user=request.user, instance=self.project)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form):
        actions.project_update(
            project=self.project, by=self.request.user, data=form.project_fields()
        )
        return self.project

    def get_message_data(self, project):
        return {"title": project.title}

    def form_invalid(self, form):
        return self.show(form, self.project, status=400)

    def show(self, form, project, status=200):
        context = {"form": form, "milestones": None, "project": project}
        return render(self.request, self.template_name, context, status=status)


def _demand_for(request, pk) -> Demand:
    return get_object_or_404(Demand.objects.select_related("region", "unit", "project"), pk=pk)


class ProjectFromDemandView(LoginRequiredMixin, ActionFormMixin, View):
    """Turn a demand into a joint project: district staff and the secretary of the demand's street."""

    template_name = "services/project_from_demand.html"
    success_message = gettext_lazy("The demand became the project %(title)s.")

    def get_demand(self) -> Demand:
        demand = get_object_or_404(
            Demand.objects.restrict(self.request.user).select_related("region", "unit", "project"),
            pk=self.kwargs["pk"],
        )
        if not can_handle_demand(self.request.user, demand):
            raise PermissionDenied(
                _(
                    "Only district staff and the secretary of the demand's street turn it into a project."
                )
            )
        return demand

    def get(self, request, pk):
        demand = self.get_demand()
        return self.show(demand, FromDemandForm(user=request.user, demand=demand))

    def post(self, request, pk):
        self.demand = self.get_demand()
        form = FromDemandForm(request.POST, user=request.user, demand=self.demand)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form):
        return actions.project_from_demand(
            demand=self.demand,
            by=self.request.user,
            data=form.project_fields(),
            add_demand_unit=form.cleaned_data.get("add_demand_unit", False),
            open_now=form.cleaned_data["open_now"],
            base_url=request_base_url(self.request),
        )

    def get_message_data(self, project):
        return {"title": project.title}

    def form_invalid(self, form):
        return self.show(self.demand, form, status=400)

    def show(self, demand, form, status=200):
        context = {"demand": demand, "form": form}
        return render(self.request, self.template_name, context, status=status)
