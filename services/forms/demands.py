"""Forms of the demand loop: raise, correct, each step's form, campaigns and deadlines.

They read and check the input; `services.actions.demands` and `services.actions.campaigns` decide.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.regions.models import Region

from ..actions.campaigns import campaign_window_check
from ..actions.demands import MAX_ATTACHMENTS, REOPEN_MAX_SATISFACTION, attachment_max_bytes
from ..choices import DemandCategory, DemandSource
from ..models import Demand, DemandCampaign
from .activities import RegionChoiceField, UnitLookupField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(field: str):
    return capfirst(Demand._meta.get_field(field).verbose_name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by the action (type by content, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DemandCampaign) -> str:
        return f"{obj.title}（{obj.opens_on:%m-%d}–{obj.closes_on:%m-%d}）"


class DemandForm(forms.Form):
    """Raise a demand. Staff and secretaries name the unit (or leave it empty for a resident) and the source."""

    unit = UnitLookupField(
        label=_label("unit"),
        required=False,
        help_text=_(
            "The exact name or the credit code of the member unit; leave empty for a resident's demand."
        ),
    )
    title = forms.CharField(label=_label("title"), max_length=200)
    category = forms.ChoiceField(label=_label("category"), choices=DemandCategory.choices)
    description = forms.CharField(
        label=_label("description"), widget=forms.Textarea(attrs={"rows": 5})
    )
    source = forms.ChoiceField(
        label=_label("source"), choices=DemandSource.choices, initial=DemandSource.VISIT
    )
    region = RegionChoiceField(
        label=_label("region"),
        queryset=None,
        required=False,
        help_text=_("The unit's region if left empty."),
    )
    campaign = CampaignChoiceField(
        label=_label("campaign"),
        queryset=None,
        required=False,
        empty_label=_("— the open collection for the region, if any —"),
    )
    contact_name = forms.CharField(label=_label("contact_name"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_label("contact_phone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_label("contact_email"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Up to %(max)d files: PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, 10 MB each."
        )
        % {"max": MAX_ATTACHMENTS},
    )

    def __init__(self, *args, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if user.is_street_secretary and user.region_id:
            initial.setdefault("region", user.region_id)
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["attachments"].help_text = _(
            "Up to %(max)d files: PDF, Word (.docx), Excel (.xlsx), JPEG or PNG, %(size)s each."
        ) % {"max": MAX_ATTACHMENTS, "size": filesizeformat(attachment_max_bytes())}
        regions = Q(is_active=True)
        if user.is_street_secretary and user.region_id and not user.is_district_staff:
            regions &= Q(path__startswith=user.region.path)
        self.fields["region"].queryset = Region.objects.filter(regions).order_by("path")
        today = timezone.localdate()
        self.fields["campaign"].queryset = DemandCampaign.objects.filter(
            opens_on__lte=today, closes_on__gte=today
        ).order_by("-opens_on", "pk")
        if user.is_unit_contact and not user.is_district_staff:
            # A unit contact raises for their own unit, online; they are its contact.
            for name in ("unit", "source", "contact_name", "contact_phone", "contact_email"):
                del self.fields[name]
            self.fields["region"].help_text = _("Your unit's region if left empty.")

    def demand_fields(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.fields if name != "attachments"}
        for name in ("contact_name", "contact_phone", "contact_email"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class DemandUpdateForm(forms.ModelForm):
    class Meta:
        model = Demand
        fields = [
            "title",
            "category",
            "description",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def _post_clean(self):
        # The action validates the model; the form checks its fields.
        pass


class UserLookupField(forms.Field):
    """A portal account named by its user name."""

    widget = forms.TextInput

    def prepare_value(self, value):
        return getattr(value, "username", value)

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        user = get_user_model().objects.filter(username=text, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account has this user name."), code="not_found"
            )
        return user


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class OptionalCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class ProgressForm(forms.Form):
    comment = forms.CharField(
        label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class MergeForm(OptionalCommentForm):
    into = forms.IntegerField(label=_("Merge into demand No."), min_value=1, max_value=2**63 - 1)
    field_order = ["into", "comment"]


class AssignForm(OptionalCommentForm):
    assignee_unit = UnitLookupField(
        label=_label("assignee_unit"),
        required=False,
        help_text=_("The exact name or the credit code of the handling unit."),
    )
    assignee = UserLookupField(
        label=_label("assignee"),
        required=False,
        help_text=_("The user name of the person answerable, if one is named."),
    )
    due_on = forms.DateField(
        label=_label("due_on"),
        required=False,
        widget=DATE,
        help_text=_("Empty: today plus the days set for the category."),
    )
    field_order = ["assignee_unit", "assignee", "due_on", "comment"]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_label("resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


RATING_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class RateForm(OptionalCommentForm):
    satisfaction = forms.TypedChoiceField(
        label=_label("satisfaction"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    field_order = ["satisfaction", "comment"]


class ReopenForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_label("satisfaction"),
        choices=[c for c in RATING_CHOICES if c[0] <= REOPEN_MAX_SATISFACTION],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What is still missing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


ACTION_FORMS = {
    "accept": OptionalCommentForm,
    "reject": RejectForm,
    "merge": MergeForm,
    "assign": AssignForm,
    "start": OptionalCommentForm,
    "progress": ProgressForm,
    "resolve": ResolveForm,
    "rate": RateForm,
    "reopen": ReopenForm,
    "close": OptionalCommentForm,
    "comment": CommentForm,
}


class AttachmentsForm(forms.Form):
    attachments = MultipleFileField(label=_("Attachments"))


class DemandCampaignForm(forms.ModelForm):
    region = RegionChoiceField(
        label=capfirst(DemandCampaign._meta.get_field("region").verbose_name),
        queryset=Region.objects.filter(is_active=True).order_by("path"),
        required=False,
        help_text=DemandCampaign._meta.get_field("region").help_text,
    )

    class Meta:
        model = DemandCampaign
        fields = ["title", "theme", "opens_on", "closes_on", "region"]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 3}),
            "opens_on": DATE,
            "closes_on": DATE,
        }

    def clean(self):
        cleaned = super().clean()
        try:
            campaign_window_check(cleaned.get("opens_on"), cleaned.get("closes_on"))
        except forms.ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        return cleaned

    def _post_clean(self):
        pass

    def campaign_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class DemandDeadlinesForm(forms.Form):
    """Days to resolve for each category."""

    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in DemandCategory.choices:
            self.fields[value] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=365,
                initial=current.get(value),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
