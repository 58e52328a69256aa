"""Filter pieces shared by every app's FilterSet."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field


class YesNoSelect(forms.Select):
    """The page's yes/no filter: —, 是, 否, sending `true`/`false` as the API takes them. A value the
    API also accepts (`1`, `no` …) shows as the matching choice."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", "—"), ("true", _("yes")), ("false", _("no"))])

    def format_value(self, value):
        text = "" if value is None else str(value).strip().lower()
        if value is True or text in StrictBooleanField.TRUE:
            return ["true"]
        if value is False or text in StrictBooleanField.FALSE:
            return ["false"]
        return [""]


class StrictBooleanField(forms.NullBooleanField):
    """Accepts true/false (and 1/0, yes/no) or nothing; anything else is an error, not "no filter".

    On a page it is a select (—/是/否: `YesNoSelect`), never a text box to type `true` into."""

    widget = YesNoSelect
    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class IdField(forms.IntegerField):
    """A row id: a whole number the database can hold, so that 10**30 is a 400, not an overflow."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """Filter by the id of a related row (`?unit=12`)."""

    field_class = IdField


class IsoDateField(forms.DateField):
    """A date as the schema says, YYYY-MM-DD: `12/01/2026` or `2026年12月1日` is an error naming the
    parameter, not a guess at which day was meant. The pages' date inputs send this form too."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD.")}


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    """Any of several choices of a column of the model itself (status, category, kind …).

    django-filter's MultipleChoiceFilter adds DISTINCT by default, for lookups across to-many
    relations. On a list with select_related that made PostgreSQL sort and de-duplicate whole
    joined rows: two thirds of a 50-row demand page at Pudong's size. A column of the row itself
    cannot repeat the row, so no DISTINCT here.
    """

    def __init__(self, *args, distinct=False, **kwargs):
        super().__init__(*args, distinct=distinct, **kwargs)
