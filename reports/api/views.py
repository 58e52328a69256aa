"""/api/v1/reports/: the quarterly reports a user may read, and their indicators for data screens."""

from portal.api.viewsets import ScopedReadOnlyModelViewSet

from ..filters import QuarterlyReportFilterSet
from ..models import QuarterlyReport
from ..selectors import report_detail, report_list
from .serializers import QuarterlyReportDetailSerializer, QuarterlyReportSerializer


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
