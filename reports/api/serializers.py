from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import QuarterlyReport


class QuarterlyReportSerializer(serializers.ModelSerializer):
    """A report as lists show it, with the addresses of its page and files."""

    alliance_name = serializers.CharField(source="alliance.name", read_only=True, allow_null=True)
    period = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

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

    @extend_schema_field(OpenApiTypes.URI)
    def get_xlsx_url(self, report: QuarterlyReport) -> str:
        return self._url("reports:xlsx", report)

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, report: QuarterlyReport) -> str:
        return self._url("reports:pdf", report)


class QuarterlyReportDetailSerializer(QuarterlyReportSerializer):
    """A report with its indicators (docs/reports.md describes the JSON)."""

    indicators = serializers.JSONField(read_only=True)

    class Meta(QuarterlyReportSerializer.Meta):
        fields = [*QuarterlyReportSerializer.Meta.fields, "indicators"]
        read_only_fields = fields
