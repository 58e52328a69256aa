from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance

from .periods import Quarter


def _recent_quarters(count: int = 8) -> list[tuple[str, str]]:
    quarter = Quarter.last_completed()
    choices = []
    for _index in range(count):
        choices.append((str(quarter), quarter.label))
        quarter = quarter.previous()
    return choices


class BuildReportsForm(forms.Form):
    """Staff build a quarter's reports: the district's and every active alliance's, or one alliance's."""

    quarter = forms.ChoiceField(label=_("Quarter"), choices=())
    alliance = forms.ModelChoiceField(
        label=_("Only this alliance"),
        queryset=Alliance.objects.active(),
        required=False,
        empty_label=_("The district and every active alliance"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built now, not at import: the current quarter moves on while the server runs.
        self.fields["quarter"].choices = _recent_quarters()

    def clean_quarter(self) -> Quarter:
        return Quarter.parse(self.cleaned_data["quarter"])


class SubscriptionForm(forms.Form):
    district = forms.BooleanField(label=_("The district report"), required=False)
    alliances = forms.ModelMultipleChoiceField(
        label=_("Alliance reports"),
        queryset=Alliance.objects.active().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each quarter's report of these alliances comes to your e-mail with its XLSX."),
    )
