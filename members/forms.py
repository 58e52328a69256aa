from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from alliances.choices import AllianceStatus, MembershipRole
from alliances.models import Alliance
from portal.regions.models import Region

from .models import MemberUnit


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
