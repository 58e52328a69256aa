from contextlib import contextmanager

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.response import Response

from portal.api.renderers import XLSX
from portal.core.history import history_entries
from portal.core.scoping import CHANGE, VIEW


class HistoryEntrySerializer(serializers.Serializer):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.CharField(help_text=_("+ created, ~ changed, - deleted"))
    history_user = serializers.CharField(allow_null=True)
    changes = serializers.ListField(child=serializers.DictField())


class ScopedViewSetMixin:
    """Lists and detail lookups only ever see what the user's scope allows."""

    anonymous_read = False

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def filter_queryset(self, queryset):
        # A record (`…/{id}/` and its actions) is found by its id alone: the list's FilterSet,
        # search and ordering are for lists, and a stray `?status=` must not hide the record.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def get_output_queryset(self):
        """Where `respond()` reads a record of this viewset's model again before answering (the
        joins its serializer shows); None answers with the object as the action returned it."""
        return None

    def respond(self, instance, serializer_class=None, *, status=200, many=False) -> Response:
        """The answer of a write: `instance` (read again through `get_output_queryset()` when it is
        one record of the viewset's model) in `serializer_class`, the action's serializer by default."""
        queryset = None if many else self.get_output_queryset()
        if queryset is not None and isinstance(instance, queryset.model):
            instance = queryset.filter(pk=instance.pk).first() or instance
        serializer_class = serializer_class or self.get_serializer_class()
        context = self.get_serializer_context()
        data = serializer_class(instance, many=many, context=context).data
        return Response(data, status=status)

    def can_create(self, user) -> bool:
        return user.is_district_staff

    def can_change(self, user, obj) -> bool:
        model = type(obj)
        return model._default_manager.restrict(user, CHANGE).filter(pk=obj.pk).exists()


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedReadOnlyModelViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class HistoryActionMixin:
    """`GET …/{id}/history/`: who changed the record, when and what (district staff only)."""

    @extend_schema(responses=HistoryEntrySerializer(many=True), filters=False)
    @action(detail=True, pagination_class=None)
    def history(self, request, pk=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        if not request.user.is_district_staff:
            raise PermissionDenied(_("Only district staff can read the change history."))
        return Response(HistoryEntrySerializer(history_entries(self.get_object()), many=True).data)


class ExportMixin:
    """`GET …/export/`: the filtered list (same parameters as the list) as XLSX.

    The table is the FilterSet's `export_table`, the one the list page downloads with `?format=xlsx`.
    """

    def export_response(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        table = self.filterset_class.export_table
        if not table.permits(request.user):
            raise PermissionDenied()
        return table.response(request=request, queryset=self.filter_queryset(self.get_queryset()))

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=_("XLSX workbook"))
        },
        description="The filtered list (same parameters as the list) as an XLSX workbook; "
        "signed-in users only, each download is logged.",
    )
    @action(detail=False, pagination_class=None)
    def export(self, request):
        """Download the filtered list as XLSX."""
        return self.export_response(request)


def run_action(action, **kwargs):
    """Call an action; its refusals become the API's answers (ValidationError → 400, PermissionDenied → 403)."""
    with refusals_as_api_errors():
        return action(**kwargs)


@contextmanager
def refusals_as_api_errors():
    """An action's refusals inside the block become the API's answers (ValidationError → 400,
    PermissionDenied → 403)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc
