"""Forms of claims: claim or invite for a project, ask for a resource, claim a demand, decline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from services.actions.claims import CLAIM_ROLES
from services.choices import ParticipantRole
from services.forms.activities import UnitLookupField

from .projects import OfferLookupField

ROLE_CHOICES = [(role.value, role.label) for role in CLAIM_ROLES]


class ClaimProjectForm(forms.Form):
    """A unit contact claims the project for their unit."""

    role = forms.ChoiceField(
        label=_("role"), choices=ROLE_CHOICES, initial=ParticipantRole.PARTICIPANT
    )
    message = forms.CharField(
        label=_("message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What your unit brings to the project."),
    )


class InviteForm(ClaimProjectForm):
    unit = UnitLookupField(
        label=_("unit"), help_text=_("The exact name or the credit code of the unit to invite.")
    )
    field_order = ["unit", "role", "message"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = ""


class ResourceRequestForm(forms.Form):
    resource_offer = OfferLookupField(
        label=_("resource offer"), help_text=_("The offer's number, or its exact title.")
    )
    message = forms.CharField(
        label=_("message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DemandClaimForm(forms.Form):
    message = forms.CharField(
        label=_("message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How your unit would handle the demand."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
