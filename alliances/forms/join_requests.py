"""Forms of join requests: ask to join, decline with a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("message to the alliance"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what your unit would bring to the alliance."),
    )


class JoinRequestDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for declining"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mailed to the unit's contacts."),
    )
