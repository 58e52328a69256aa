"""Forms of alliances: create and edit, and the end date of an alliance or a membership."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import MemberUnit
from portal.core.masking import mask_secret
from portal.regions.models import Region

from ..actions.alliances import alliance_parent_check
from ..actions.meetings import validate_reminder_offsets
from ..choices import AllianceStatus
from ..models import Alliance
from ..offsets import format_offsets, parse_offsets


class AllianceForm(forms.ModelForm):
    mechanisms_text = forms.CharField(
        label=_("mechanisms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One mechanism per line, e.g. 党群联动."),
    )
    reminder_offsets_text = forms.CharField(
        label=_("meeting reminders"),
        required=False,
        initial="3d, 2h",
        help_text=_(
            "Before each meeting, e.g. “3d, 2h” for 3 days and 2 hours; empty for no reminders. "
            "A meeting can override it."
        ),
    )
    wecom_robot_key = forms.CharField(
        label=_("WeCom group robot key"),
        required=False,
        max_length=100,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("The key in the group robot's webhook address; empty keeps the one on file."),
    )
    wecom_robot_clear = forms.BooleanField(label=_("Remove the group robot"), required=False)

    class Meta:
        model = Alliance
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "lead_unit",
            "regions",
            "industry",
            "founded_on",
            "meeting_cadence",
            "status",
            "description",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}),
            "regions": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Alliance.objects.exclude(
            status=AllianceStatus.DISSOLVED
        ).exclude(pk=self.instance.pk)
        self.fields["status"].choices = [
            c for c in AllianceStatus.choices if c[0] != AllianceStatus.DISSOLVED
        ]
        self.fields["regions"].queryset = (
            Region.objects.filter(is_active=True).exclude(level="grid").order_by("path")
        )
        self.fields["regions"].label_from_instance = lambda r: f"{'　' * r.depth}{r.name}"
        # Lead units come from current members once the alliance exists; a new alliance may pick any unit.
        units = MemberUnit.objects.active()
        if self.instance.pk:
            units = units.filter(
                memberships__alliance=self.instance, memberships__left_on__isnull=True
            )
        self.fields["lead_unit"].queryset = units.order_by("name")
        if self.instance.wecom_robot_key:
            self.fields["wecom_robot_key"].help_text = _(
                "On file: %(key)s. A new key replaces it; empty keeps it."
            ) % {"key": mask_secret(self.instance.wecom_robot_key)}
        self.initial.setdefault("mechanisms_text", "\n".join(self.instance.mechanisms or []))
        self.initial.setdefault(
            "reminder_offsets_text", format_offsets(self.instance.reminder_offsets)
        )

    def clean_reminder_offsets_text(self):
        offsets = parse_offsets(self.cleaned_data.get("reminder_offsets_text", "")) or []
        try:
            return validate_reminder_offsets(offsets)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["reminder_offsets"]) from exc

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if self.instance.pk:
            try:
                alliance_parent_check(alliance=self.instance, parent=parent)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["parent"]) from exc
        return parent

    def save(self, commit=True):
        if self.cleaned_data.get("wecom_robot_clear"):
            self.instance.wecom_robot_key = ""
        elif self.cleaned_data.get("wecom_robot_key", "").strip():
            self.instance.wecom_robot_key = self.cleaned_data["wecom_robot_key"].strip()
        self.instance.reminder_offsets = self.cleaned_data["reminder_offsets_text"]
        self.instance.mechanisms = [
            line.strip()
            for line in self.cleaned_data["mechanisms_text"].splitlines()
            if line.strip()
        ]
        return super().save(commit)


class EndForm(forms.Form):
    on = forms.DateField(
        label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
