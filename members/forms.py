"""The public registration form, with its checks against scripted submissions, and the review forms."""

import time

from django import forms
from django.core import signing
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliances.choices import AllianceStatus, MembershipRole
from alliances.models import Alliance
from portal.core.validators import mobile_phone_validator
from portal.regions.choices import LEVEL_RANK, RegionLevel
from portal.regions.models import Region

from .actions.registrations import registration_code_check
from .choices import REVIEWED_FIELDS, SELF_SERVICE_FIELDS, PartyOrgType
from .credit_code import CreditCodeValidator, normalize
from .models import MemberUnit, Registration, UnitChange


class MemberUnitForm(forms.ModelForm):
    class Meta:
        model = MemberUnit
        fields = [
            "name",
            "credit_code",
            "unit_type",
            "region",
            "address",
            "industry",
            "employee_count",
            "party_org_type",
            "party_member_count",
            "org_covered",
            "work_covered",
            "instructor",
            "key_target",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(is_active=True).order_by("path")
        self.fields["region"].label_from_instance = lambda r: (
            f"{'　' * r.depth}{r.name}（{r.code}）"
        )

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper() or None
        if code:
            existing = (
                MemberUnit.objects.filter(credit_code=code).exclude(pk=self.instance.pk).first()
            )
            if existing:
                raise forms.ValidationError(
                    format_html(
                        _('This credit code already belongs to <a href="{}">{}</a>.'),
                        reverse("members:unit-detail", args=[existing.pk]),
                        existing.name,
                    ),
                    code="unique",
                )
        return code


class JoinAllianceForm(forms.Form):
    alliance = forms.ModelChoiceField(label=_("alliance"), queryset=Alliance.objects.none())
    role = forms.ChoiceField(
        label=_("role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    joined_on = forms.DateField(
        label=_("joined on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    representative = forms.CharField(label=_("representative"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = Alliance.objects.exclude(
            status=AllianceStatus.DISSOLVED
        ).order_by("name")


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
