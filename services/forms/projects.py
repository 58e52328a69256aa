"""Forms of joint projects and claims. They read the input; `services.actions` decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliances.choices import AllianceStatus
from alliances.models import Alliance
from portal.regions.models import Region
from services.actions.projects import allowed_transitions
from services.choices import ProjectStatus
from services.forms.activities import UnitLookupField
from services.models import JointProject, ResourceOffer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


PROJECT_FIELDS = [
    "title",
    "description",
    "alliance",
    "lead_unit",
    "category",
    "region",
    "starts_on",
    "ends_on",
    "budget",
    "contract_amount",
]


def _label(field: str):
    return JointProject._meta.get_field(field).verbose_name


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{'　' * max(obj.depth - 2, 0)}{obj.name}（{obj.code}）"


class OfferLookupField(forms.Field):
    """A resource offer named by its number or its exact title (offers are too many for a list)."""

    widget = forms.TextInput

    def prepare_value(self, value):
        if isinstance(value, ResourceOffer):
            return value.pk
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        offers = ResourceOffer.objects.select_related("unit")
        if text.isdigit() and len(text) < 19:
            offer = offers.filter(pk=int(text)).first()
            if offer is not None:
                return offer
        matches = list(offers.filter(title=text, is_active=True)[:2])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise forms.ValidationError(
                _("Several offers have this title; give the offer's number."), code="ambiguous"
            )
        raise forms.ValidationError(_("No offer has this number or title."), code="not_found")


class ProjectForm(forms.Form):
    """A project's fields; the choice of alliances and regions follows the user's role."""

    title = forms.CharField(label=_label("title"), max_length=200)
    description = forms.CharField(
        label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    alliance = forms.ModelChoiceField(label=_label("alliance"), queryset=Alliance.objects.none())
    lead_unit = UnitLookupField(
        label=_label("lead_unit"),
        required=False,
        help_text=_(
            "The exact name or the credit code of the member unit; the alliance's lead unit if left empty."
        ),
    )
    category = forms.ChoiceField(
        label=_label("category"), choices=JointProject._meta.get_field("category").choices
    )
    region = RegionChoiceField(
        label=_label("region"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("The lead unit's region if left empty."),
    )
    starts_on = forms.DateField(label=_label("starts_on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_label("ends_on"), required=False, widget=DATE)
    budget = forms.DecimalField(
        label=_label("budget"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    contract_amount = forms.DecimalField(
        label=_label("contract_amount"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )

    def __init__(self, *args, user, instance: JointProject | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = {field: getattr(instance, field) for field in PROJECT_FIELDS}
            initial.update(alliance=instance.alliance_id, region=instance.region_id)
            initial.update(kwargs.get("initial") or {})
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        alliances = ~Q(status=AllianceStatus.DISSOLVED)
        if user.is_unit_contact and not user.is_district_staff:
            alliances &= Q(lead_unit_id=user.unit_id)
        regions = Q(is_active=True)
        if user.is_street_secretary and user.region_id:
            regions &= Q(path__startswith=user.region.path)
            self.fields["region"].required = True
            self.fields["region"].help_text = ""
        if instance is not None:
            alliances |= Q(pk=instance.alliance_id)
            regions |= Q(pk=instance.region_id or 0)
        self.fields["alliance"].queryset = Alliance.objects.filter(alliances).order_by("name")
        self.fields["region"].queryset = Region.objects.filter(regions).order_by("path")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return cleaned

    def project_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS if name in self.fields}
        if self.instance is None:
            # Left empty, these take the action's defaults (the alliance's lead, the unit's region).
            for name in ("lead_unit", "region"):
                if data.get(name) is None:
                    data.pop(name, None)
        elif data.get("lead_unit") is None:
            data.pop("lead_unit", None)
        return data


class ProjectCreateForm(ProjectForm):
    open_now = forms.BooleanField(
        label=_("Open it for claiming right away"),
        required=False,
        help_text=_("Otherwise it stays proposed until you open it."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200, required=False)
    due_on = forms.DateField(label=_("due on"), required=False, widget=DATE)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not cleaned.get("due_on"):
            self.add_error("due_on", _("Give the day the milestone is due."))
        if cleaned.get("due_on") and not cleaned.get("title"):
            self.add_error("title", _("Name the milestone."))
        return cleaned


class RequiredMilestoneForm(MilestoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["due_on"].required = True


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=20, validate_max=True)


def milestones_from(formset) -> list[dict]:
    return [
        {"title": form.cleaned_data["title"], "due_on": form.cleaned_data["due_on"]}
        for form in formset.forms
        if form.cleaned_data.get("title")
    ]


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=ProjectStatus.choices)
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when cancelling."),
    )

    def __init__(self, *args, project: JointProject | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            # Offer only the moves the table allows; the action explains any other one.
            allowed = set(allowed_transitions(project.status))
            self.fields["status"].widget.choices = [
                (value, label) for value, label in ProjectStatus.choices if value in allowed
            ]


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AmountsForm(forms.Form):
    budget = ProjectForm.base_fields["budget"]
    contract_amount = ProjectForm.base_fields["contract_amount"]


class FromDemandForm(ProjectForm):
    """A project made from a demand: the demand's fields come prefilled."""

    add_demand_unit = forms.BooleanField(
        label=_("The unit that raised the demand takes part"), required=False, initial=True
    )
    open_now = ProjectCreateForm.base_fields["open_now"]

    def __init__(self, *args, demand, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("title", demand.title)
        initial.setdefault("description", demand.description)
        initial.setdefault("category", demand.category)
        initial.setdefault("region", demand.region_id)
        super().__init__(*args, **kwargs)
        if demand.unit_id:
            self.fields["add_demand_unit"].label = _(
                "%(unit)s, which raised the demand, takes part"
            ) % {"unit": demand.unit.name}
        else:
            del self.fields["add_demand_unit"]
        self.fields["region"].required = False
