"""/api/v1/reports/: the quarterly reports a user may read, and their indicators for data screens."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.fields import LINK_HELP
from portal.api.viewsets import ScopedReadOnlyModelViewSet

from ..filters import QuarterlyReportFilterSet
from ..models import QuarterlyReport
from ..selectors import report_detail, report_list


class QuarterlyReportSerializer(serializers.ModelSerializer):
    """A report as lists show it, with the addresses of its page and files."""

    alliance_name = serializers.CharField(source="alliance.name", read_only=True, allow_null=True)
    period = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField(
        help_text=format_lazy("{} {}", _("The report's page."), LINK_HELP)
    )
    xlsx_url = serializers.SerializerMethodField(
        help_text=format_lazy("{} {}", _("The XLSX; null until the report is built."), LINK_HELP)
    )
    pdf_url = serializers.SerializerMethodField(
        help_text=format_lazy("{} {}", _("The PDF; null until the report is built."), LINK_HELP)
    )

    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "scope",
            "alliance",
            "alliance_name",
            "year",
            "quarter",
            "period",
            "generated_at",
            "rebuilt_at",
            "build_count",
            "html_url",
            "xlsx_url",
            "pdf_url",
        ]
        read_only_fields = fields

    def get_period(self, report: QuarterlyReport) -> str:
        return f"{report.year}Q{report.quarter}"

    def _url(self, name: str, report: QuarterlyReport) -> str:
        path = reverse(name, args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, report: QuarterlyReport) -> str:
        return self._url("reports:detail", report)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_xlsx_url(self, report: QuarterlyReport) -> str | None:
        return self._url("reports:xlsx", report) if report.xlsx else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, report: QuarterlyReport) -> str | None:
        return self._url("reports:pdf", report) if report.pdf else None


class QuarterlyReportDetailSerializer(QuarterlyReportSerializer):
    """A report with its indicators (docs/reports.md describes the JSON)."""

    indicators = serializers.JSONField(read_only=True)

    class Meta(QuarterlyReportSerializer.Meta):
        fields = [*QuarterlyReportSerializer.Meta.fields, "indicators"]
        read_only_fields = fields


class QuarterlyReportViewSet(ScopedReadOnlyModelViewSet):
    """Reports, newest quarter first; `GET …/{id}/` returns the indicators as JSON."""

    queryset = QuarterlyReport.objects.all()  # for the schema; get_queryset scopes it
    filterset_class = QuarterlyReportFilterSet
    search_fields = ["alliance__name"]
    ordering_fields = ["year", "quarter", "generated_at", "rebuilt_at"]
    ordering = ["-year", "-quarter", "scope", "alliance__name", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.action == "list":
            return report_list(user=self.request.user)
        return report_detail(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return QuarterlyReportSerializer
        return QuarterlyReportDetailSerializer
