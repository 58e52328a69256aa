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
    """Filter by the id of a related row (`?unit=12`); on a page, names through `picker` (a `NamePicker`)."""

    field_class = IdField

    def __init__(self, *args, picker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.picker = picker

    def page_widget(self, request, value):
        return None if self.picker is None else self.picker.widget(request, value)


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

    # On a page: a few choices are checkboxes, more a Tom Select multi-select, never Ctrl-click.
    CHECKBOXES_UP_TO = 8

    def __init__(self, *args, distinct=False, **kwargs):
        if "widget" not in kwargs:
            many = len(kwargs.get("choices") or ()) > self.CHECKBOXES_UP_TO
            kwargs["widget"] = (
                forms.SelectMultiple(attrs={"data-picker": ""})
                if many
                else forms.CheckboxSelectMultiple
            )
        super().__init__(*args, distinct=distinct, **kwargs)


# --- how filters show themselves on a list page --------------------------------------------------
# The API takes codes and ids (`?region=310112008`, `?operator=12`); a person chooses from names.
# A filter may define `page_widget(request, value)`: `show_on_page()` (called by FilteredListMixin)
# gives the page's form that widget instead of the field's own. The API never renders a widget.


@extend_schema_field(
    {
        "type": "string",
        "description": "A region's code (`310112008`): that region and everything below it.",
    }
)
class RegionFilter(django_filters.CharFilter):
    """A region by its code (`?region=310112008`), through the FilterSet's `method`.

    On a page: a select of the names of the regions the user works in, indented by level, each
    option's value the code (`portal.regions.selectors.region_filter_choices`)."""

    def page_widget(self, request, value):
        from portal.regions.selectors import region_filter_choices

        return forms.Select(choices=[("", "—"), *region_filter_choices(request.user, value)])


class NamePicker:
    """How an id filter (`IdFilter(picker=…)`) offers names instead of ids on a page.

    `options(request)` gives the (id, name) pairs for a short list, rendered as a select (searchable
    through Tom Select when long). For a long list give `search_url` (the URL name of an API list that
    takes `?search=` and answers `id` and `name`) and `queryset(request)` (the rows the user may see,
    to name the chosen one): the page holds only the chosen option, the rest arrives as one types.
    """

    SEARCHABLE_FROM = 15

    def __init__(self, *, options=None, search_url=None, queryset=None):
        self.options, self.search_url, self.queryset = options, search_url, queryset

    def widget(self, request, value):
        from django.urls import reverse

        if self.options is not None:
            choices = [(str(pk), name) for pk, name in self.options(request)]
            attrs = {"data-picker": ""} if len(choices) >= self.SEARCHABLE_FROM else {}
            return forms.Select(attrs=attrs, choices=[("", "—"), *choices])
        choices = [("", "—")]
        text = str(value or "").strip()
        if text.isascii() and text.isdigit() and len(text) < 19:
            names = self.queryset(request).filter(pk=int(text)).values_list("pk", "name")[:1]
            choices += [(str(pk), name) for pk, name in names]
        attrs = {"data-picker": "", "data-picker-url": reverse(self.search_url)}
        return forms.Select(attrs=attrs, choices=choices)


def show_on_page(filterset, request) -> None:
    """Give each visible filter of the page's form the widget it shows people (names, not codes)."""
    form = filterset.form
    for name, declared in filterset.filters.items():
        make = getattr(declared, "page_widget", None)
        field = form.fields.get(name)
        if make is None or field is None or field.widget.is_hidden:
            continue
        widget = make(request, form.data.get(name))
        if widget is not None:
            field.widget = widget
