"""The public registration form, with its checks against scripted submissions, and the review forms."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance
from portal.regions.choices import LEVEL_RANK, RegionLevel
from portal.regions.models import Region

from .models import Registration
from .registration_actions import registration_code_check

STARTED_SALT = "members.registration.started"
MAX_FORM_AGE = 24 * 60 * 60
REGISTRATION_LEVELS = [RegionLevel.SUBDISTRICT, RegionLevel.COMMUNITY, RegionLevel.GRID]


def registration_regions():
    return Region.objects.filter(is_active=True, level__in=REGISTRATION_LEVELS).order_by("path")


def region_label(region: Region) -> str:
    indent = LEVEL_RANK[region.level] - LEVEL_RANK[RegionLevel.SUBDISTRICT]
    return f"{'　' * indent}{region.name}"


class RegistrationForm(forms.ModelForm):
    # Left empty by people (it is hidden); scripts that fill every field give themselves away.
    website = forms.CharField(label=_("Website"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Registration
        fields = [
            "name",
            "credit_code",
            "unit_type",
            "region",
            "address",
            "industry",
            "party_org_type",
            "party_member_count",
            "contact_name",
            "contact_phone",
            "contact_email",
            "alliances",
        ]
        widgets = {"alliances": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = registration_regions()
        self.fields["region"].label_from_instance = region_label
        self.fields["alliances"].queryset = Alliance.objects.active().order_by("name")
        self.fields["alliances"].required = False
        self.fields["started"].initial = signing.dumps(time.time(), salt=STARTED_SALT)
        self.fields["contact_phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.fields["contact_email"].widget.attrs.update(autocomplete="email")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_credit_code(self):
        return registration_code_check(self.cleaned_data["credit_code"])

    def clean(self):
        cleaned = super().clean()
        # Both refusals are shown above the form: their fields are not visible.
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("This submission looks automated and was not accepted."), code="honeypot"
            )
        try:
            started = signing.loads(
                cleaned.get("started") or "", salt=STARTED_SALT, max_age=MAX_FORM_AGE
            )
        except signing.SignatureExpired as exc:
            raise forms.ValidationError(
                _("This form has expired; reload the page and submit it again."), code="expired"
            ) from exc
        except (signing.BadSignature, ValueError) as exc:
            raise forms.ValidationError(
                _("This form was not filled in on our site; reload the page."), code="invalid"
            ) from exc
        elapsed = time.time() - float(started)
        if elapsed > MAX_FORM_AGE:
            raise forms.ValidationError(
                _("This form has expired; reload the page and submit it again."), code="expired"
            )
        if elapsed < getattr(settings, "REGISTRATION_MIN_SECONDS", 3):
            raise forms.ValidationError(
                _("The form was submitted too quickly; check it and submit it again."),
                code="too_fast",
            )
        return cleaned

    def registration_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RegistrationRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The contact receives it by e-mail."),
    )
