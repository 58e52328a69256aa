"""Serializer fields shared by the API's resources."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.core.mail import absolute_url

# What every address that a record gives says of itself (ApiTokenPageMiddleware makes it true).
LINK_HELP = _("Opens with the same authentication as the API: the token or the session.")

# A stand-in id, reversed once per list and replaced by each row's own.
_STAND_IN = 918273645546372819


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The address of the object's page in the browser (`view_name` with the object's id).

    Absolute on the host the request came to; without a request, the path alone, or with
    `portal_base_url` the address under PORTAL_BASE_URL (as links in mail have it).

    The view is reversed once per list, not once per row: `reverse()` and `build_absolute_uri()` for
    each of a page's 50 rows were a fifth of the time a demand list spent serializing.
    """

    def __init__(self, view_name: str, *, portal_base_url: bool = False, **kwargs):
        self.view_name = view_name
        self.portal_base_url = portal_base_url
        self._parts: tuple[str, str] | None = None
        help_text = kwargs.pop("help_text", None) or _("The object's page.")
        kwargs["help_text"] = format_lazy("{} {}", help_text, LINK_HELP)
        super().__init__(source="pk", read_only=True, **kwargs)

    def to_representation(self, pk) -> str:
        if self._parts is None:
            url = reverse(self.view_name, args=[_STAND_IN])
            request = self.context.get("request")
            if request is not None:
                url = request.build_absolute_uri(url)
            elif self.portal_base_url:
                url = absolute_url(url)
            before, after = url.split(str(_STAND_IN), 1)
            self._parts = (before, after)
        before, after = self._parts
        return f"{before}{pk}{after}"


class RelatedNameField(serializers.CharField):
    """`relation.attr` of the object, read-only, null without a related object.

    A list's query may carry it as a column of its own rows, annotated under the field's name (a
    subquery PostgreSQL runs for the page's rows only, where a join would make it plan one more table
    for every page and Django build one more model instance per row); anything else follows the
    relation.
    """

    def __init__(self, relation: str, attr: str = "name", **kwargs):
        self.relation, self.attr = relation, attr
        kwargs.setdefault("allow_null", True)
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        values = instance.__dict__
        if self.field_name in values:
            return values[self.field_name]
        related = getattr(instance, self.relation)
        return None if related is None else str(getattr(related, self.attr))


class _EmptyAsNull:
    """Read-only, and null where the model keeps "" (a blank CharField) for "none"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class OptionalUrlField(_EmptyAsNull, serializers.URLField):
    """An address that a record may lack: null when there is none ("" is no `format: uri` value)."""


class OptionalChoiceField(_EmptyAsNull, serializers.ChoiceField):
    """One of `choices`, or null for none ("" is outside the schema's enum): a timeline event's
    state before or after, where it has none."""
