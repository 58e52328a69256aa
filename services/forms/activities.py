"""The phone-first form of an activity. It only reads the input; `services.actions.activities` decides."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.choices import AllianceStatus
from alliances.models import Alliance
from members.models import MemberUnit
from portal.regions.models import Region

from ..choices import ActivityType
from ..models import Activity, JointProject, ServiceStation
from ..selectors.projects import linkable_projects


def _label(field: str):
    return Activity._meta.get_field(field).verbose_name


class StationSelect(forms.Select):
    """Each station carries its region, so that choosing a station can set the region (activity_form.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        station = getattr(value, "instance", None)
        if station is not None:
            option["attrs"]["data-region"] = station.region_id
        return option


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        # Indent by depth so that grids and communities show under their street.
        return "\u3000" * max(obj.depth - 3, 0) + obj.name


class UnitLookupField(forms.Field):
    """A member unit named by its unified social credit code or its exact name (150,000 units fit no list)."""

    widget = forms.TextInput

    def prepare_value(self, value):
        if isinstance(value, MemberUnit):
            return value.name
        if isinstance(value, int):
            unit = MemberUnit.objects.filter(pk=value).only("name").first()
            return unit.name if unit else ""
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        units = MemberUnit.objects.active()
        if len(text) == 18 and text.isalnum():
            unit = units.filter(credit_code=text.upper()).first()
            if unit is not None:
                return unit
        matches = list(units.filter(name=text)[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Several active units have this name; give the credit code."), code="ambiguous"
            )
        raise forms.ValidationError(
            _("No active member unit has this name or credit code."), code="not_found"
        )


class ActivityForm(forms.Form):
    """Type, date, title, where, who and how many; photos are read from the request's files."""

    activity_type = forms.ChoiceField(label=_label("activity_type"), choices=ActivityType.choices)
    held_on = forms.DateField(
        label=_label("held_on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_label("title"), max_length=200)
    station = forms.ModelChoiceField(
        label=_label("station"),
        queryset=None,
        required=False,
        widget=StationSelect,
        empty_label=_("— not at a station —"),
    )
    place = forms.CharField(
        label=_label("place"),
        max_length=200,
        required=False,
        help_text=_("Where it was held, if not at a station."),
    )
    region = RegionChoiceField(label=_label("region"), queryset=None, required=False)
    alliance = forms.ModelChoiceField(label=_label("alliance"), queryset=None, required=False)
    organizer = UnitLookupField(
        label=_label("organizer"),
        required=False,
        help_text=_("The exact name or the credit code of the member unit, if one organized it."),
    )
    project = forms.ModelChoiceField(
        label=_label("project"),
        queryset=None,
        required=False,
        help_text=_("The joint project the activity belongs to, if any."),
    )
    participant_count = forms.IntegerField(
        label=_label("participant_count"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    party_member_count = forms.IntegerField(
        label=_label("party_member_count"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    description = forms.CharField(
        label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, instance: Activity | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{field: getattr(instance, field) for field in self.base_fields},
                    "station": instance.station_id,
                    "region": instance.region_id,
                    "alliance": instance.alliance_id,
                    "organizer": instance.organizer,
                    "project": instance.project_id,
                },
            )
        else:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("held_on", timezone.localdate())
            if user.is_street_secretary and user.region_id:
                initial.setdefault("region", user.region_id)
        super().__init__(*args, **kwargs)
        secretary_region = user.region if user.is_street_secretary and user.region_id else None
        stations = Q(is_open=True)
        regions = Q(is_active=True)
        alliances = ~Q(status=AllianceStatus.DISSOLVED)
        if secretary_region is not None:
            stations &= Q(region__path__startswith=secretary_region.path)
            regions &= Q(path__startswith=secretary_region.path)
        if instance is not None:
            # An activity keeps its station, region and alliance after they closed or ended.
            stations |= Q(pk=instance.station_id or 0)
            regions |= Q(pk=instance.region_id)
            alliances |= Q(pk=instance.alliance_id or 0)
        self.fields["station"].queryset = (
            ServiceStation.objects.filter(stations).select_related("region").order_by("name", "id")
        )
        self.fields["region"].queryset = Region.objects.filter(regions).order_by("path")
        self.fields["alliance"].queryset = Alliance.objects.filter(alliances).order_by("name")
        # Projects under way or done that the user may see; an activity keeps its project.
        projects = linkable_projects(user)
        if instance is not None and instance.project_id:
            projects = projects | JointProject.objects.filter(pk=instance.project_id)
        self.fields["project"].queryset = projects
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-select form-select-lg"
                if isinstance(widget, forms.Select)
                else "form-control form-control-lg"
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def data_for_action(self) -> dict:
        return dict(self.cleaned_data)
