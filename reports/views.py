"""Pages of the quarterly reports: the list (with the staff's build button), a report with its
charts and downloads, and the staff's subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from portal.core.files import file_response
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin
from portal.core.outbox import enqueue_after_commit

from .actions import quarterly_report_build, report_subscriptions_set
from .filters import QuarterlyReportFilterSet
from .forms import BuildReportsForm, SubscriptionForm
from .models import QuarterlyReport
from .presentation import chart_data, district_name, headline, report_sections, report_title
from .selectors import dashboard_overview, report_detail, report_list, user_subscriptions
from .tasks import build_quarterly_report, build_quarterly_reports

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _title(report: QuarterlyReport) -> str:
    scope = report.alliance.name if report.alliance_id else district_name()
    return report_title(scope_name=scope, quarter=report.period)


class ReportListView(LoginRequiredMixin, FilteredListMixin, ListView):
    template_name = "reports/report_list.html"
    paginate_by = 50
    filterset_class = QuarterlyReportFilterSet
    context_object_name = "reports"

    def get_base_queryset(self):
        return report_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_district_staff:
            context["build_form"] = BuildReportsForm()
            context["subscriptions"] = user_subscriptions(user)
        return context


class ReportDetailView(LoginRequiredMixin, DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return report_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(
            title=_title(report),
            headline=headline(report.indicators),
            sections=report_sections(report.indicators),
            charts=chart_data(report.indicators),
            can_build=self.request.user.is_district_staff,
        )
        return context


class ReportFileView(LoginRequiredMixin, View):
    """The XLSX or the PDF of a report the user may read."""

    kind = "xlsx"

    def get(self, request, pk: int):
        report = get_object_or_404(report_list(user=request.user), pk=pk)
        field = report.xlsx if self.kind == "xlsx" else report.pdf
        if not field:
            raise Http404(_("This report has no file yet."))
        try:
            return file_response(
                field,
                filename=f"{report.file_stem}.{self.kind}",
                as_attachment=self.kind == "xlsx",
                content_type=XLSX_TYPE if self.kind == "xlsx" else "application/pdf",
            )
        except FileNotFoundError as exc:
            raise Http404(_("This report has no file yet.")) from exc


class ReportRebuildView(LoginRequiredMixin, DistrictStaffRequiredMixin, View):
    """Build one report again now, in the request (the district's takes seconds at Pudong's size)."""

    def post(self, request, pk: int):
        report = get_object_or_404(QuarterlyReport.objects.select_related("alliance"), pk=pk)
        rebuilt = quarterly_report_build(
            quarter=report.period, alliance=report.alliance, by=request.user
        )
        messages.success(
            request,
            _("Built again at %(time)s; the files were replaced. Nobody was mailed again.")
            % {"time": formats.date_format(timezone.localtime(rebuilt.rebuilt_at), "H:i:s")},
        )
        return redirect(rebuilt)


class ReportBuildView(LoginRequiredMixin, DistrictStaffRequiredMixin, View):
    """Queue a quarter's reports for the worker: the same tasks as the scheduled job."""

    def post(self, request):
        form = BuildReportsForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("reports:list")
        quarter = form.cleaned_data["quarter"]
        alliance = form.cleaned_data["alliance"]
        if alliance is not None:
            enqueue_after_commit(build_quarterly_report, str(quarter), alliance.pk)
            text = _("The %(period)s report of %(alliance)s is being built.") % {
                "period": quarter.label,
                "alliance": alliance.name,
            }
        else:
            enqueue_after_commit(build_quarterly_reports, str(quarter))
            text = _(
                "The %(period)s reports of the district and every active alliance are being "
                "built; they appear here within minutes and go to their subscribers."
            ) % {"period": quarter.label}
        messages.success(request, text)
        return redirect("reports:list")


class SubscriptionView(LoginRequiredMixin, DistrictStaffRequiredMixin, FormView):
    template_name = "reports/subscriptions.html"
    form_class = SubscriptionForm

    def get_initial(self):
        mine = user_subscriptions(self.request.user)
        return {"district": mine["district"], "alliances": mine["alliances"]}

    def form_valid(self, form):
        report_subscriptions_set(
            user=self.request.user,
            district=form.cleaned_data["district"],
            alliances=list(form.cleaned_data["alliances"]),
        )
        messages.success(self.request, _("Your report subscriptions are saved."))
        return redirect("reports:subscriptions")


class DashboardView(LoginRequiredMixin, UserPassesTestMixin, TemplateView):
    """The home page of district staff and street secretaries: the network's figures, and the
    quarter so far against the last (cached, see dashboard_report)."""

    template_name = "reports/dashboard.html"

    def test_func(self) -> bool:
        user = self.request.user
        return user.is_district_staff or user.is_street_secretary

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_overview(user=self.request.user))
        return context


class OpenDataView(TemplateView):
    """The public datasets with their dates, sizes and data dictionaries; no sign-in."""

    template_name = "reports/open_data.html"

    def get_context_data(self, **kwargs):
        from .opendata import open_data_index

        return super().get_context_data(datasets=open_data_index(), **kwargs)


class OpenDataFileView(View):
    """One dataset file as the last build wrote it; public (the datasets hold no personal data)."""

    def get(self, request, slug: str, fmt: str):
        from .opendata import BY_SLUG, FORMATS, path_of

        if slug not in BY_SLUG or fmt not in FORMATS:
            raise Http404
        path = path_of(slug, fmt)
        if not default_storage.exists(path):
            raise Http404(_("The open data have not been built yet."))
        response = FileResponse(
            default_storage.open(path, "rb"),
            as_attachment=fmt == "csv",
            filename=f"{slug}.{fmt}",
            content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
        )
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = "public, max-age=3600"
        return response
