"""Forms of the self-service pages: the unit's profile, inviting a colleague, deciding a change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.validators import mobile_phone_validator
from portal.regions.models import Region

from .choices import REVIEWED_FIELDS, SELF_SERVICE_FIELDS, PartyOrgType
from .credit_code import CreditCodeValidator, normalize
from .models import MemberUnit, UnitChange


class UnitProfileForm(forms.ModelForm):
    """The profile a unit contact keeps. Changes to name, credit code and type wait for review."""

    class Meta:
        model = MemberUnit
        fields = list(SELF_SERVICE_FIELDS)

    def __init__(self, *args, pending: UnitChange | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_active=True).order_by("path")
        self.fields["region"].label_from_instance = lambda r: (
            f"{'　' * r.depth}{r.name}（{r.code}）"
        )
        for field in REVIEWED_FIELDS:
            self.fields[field].help_text = _("Changes are reviewed by district staff.")
            if pending is not None and not self.is_bound:
                self.initial[field] = getattr(pending, field)

        self.fields["credit_code"].validators.append(CreditCodeValidator())

    def _get_validation_exclusions(self):
        # The credit code's uniqueness is checked here and by the action, with a message on the field.
        return {*super()._get_validation_exclusions(), "credit_code"}

    def clean_credit_code(self):
        code = normalize(self.cleaned_data.get("credit_code") or "") or None
        if (
            code
            and MemberUnit.objects.filter(credit_code=code).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError(
                _("This credit code already belongs to another member unit."), code="unique"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("party_org_type") == PartyOrgType.NONE:
            self.instance.org_covered = False  # the action does the same when it saves
        return cleaned


class ContactInviteForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    email = forms.EmailField(label=_("e-mail"))
    phone = forms.CharField(
        label=_("mobile phone"), max_length=11, required=False, validators=[mobile_phone_validator]
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("The contact receives it by e-mail."),
    )
