"""The notice preferences form: the mobile number, the WeCom user id and the channels per kind."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ChannelName, NoticeKind
from .notices import CHOOSABLE

CHANNEL_CHOICES = [(c, ChannelName(c).label) for c in CHOOSABLE]


class NoticePreferencesForm(forms.Form):
    phone = forms.CharField(
        label=_("mobile phone"),
        required=False,
        max_length=20,
        help_text=_("A mainland mobile number (11 digits), for SMS notices."),
    )
    wecom_userid = forms.CharField(
        label=_("WeCom user id"),
        required=False,
        max_length=64,
        help_text=_("Your account in the organisation's WeCom, for WeCom messages."),
    )

    def __init__(self, *args, preferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NoticeKind:
            self.fields[f"kind_{kind.value}"] = forms.MultipleChoiceField(
                label=kind.label,
                choices=CHANNEL_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=(preferences or {}).get(kind.value, []),
            )

    def preferences(self) -> dict[str, list[str]]:
        return {kind: self.cleaned_data.get(f"kind_{kind}", []) for kind in NoticeKind.values}
