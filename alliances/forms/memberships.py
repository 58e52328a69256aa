"""Forms of memberships: add a unit to an alliance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import MemberUnit

from ..choices import MembershipRole


class MembershipAddForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("unit"), queryset=MemberUnit.objects.active(), widget=forms.HiddenInput
    )
    role = forms.ChoiceField(
        label=_("role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    joined_on = forms.DateField(
        label=_("joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    representative = forms.CharField(label=_("representative"), required=False, max_length=100)
