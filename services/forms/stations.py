"""Forms of service stations and of the service catalogue."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import MemberUnit
from portal.regions.models import Region
from services.actions.stations import coordinates_check
from services.models import ServiceCategory, ServiceStation

SIX_PLACES = Decimal("0.000001")


class CoordinateField(forms.DecimalField):
    """A WGS-84 degree; more than six decimals (about 0.1 m) are rounded, not refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "any"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


class StationForm(forms.ModelForm):
    latitude = CoordinateField(
        label=_("latitude"), help_text=_("WGS-84, e.g. 31.168 for Minhang; inside China (3–54).")
    )
    longitude = CoordinateField(
        label=_("longitude"),
        help_text=_("WGS-84, e.g. 121.381 for Minhang; inside China (73–136)."),
    )

    class Meta:
        model = ServiceStation
        fields = [
            "name",
            "kind",
            "operator",
            "region",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "services",
            "phone",
            "description",
            "is_public",
        ]
        widgets = {
            "services": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        regions = Region.objects.filter(is_active=True).order_by("path")
        if not user.is_district_staff and user.region_id:
            regions = regions.filter(path__startswith=user.region.path)
            self.fields["region"].error_messages["invalid_choice"] = _(
                "Choose a region from the list: your stations stay inside %(region)s."
            ) % {"region": user.region.name}
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: (
            f"{'　' * r.depth}{r.name}（{r.code}）"
        )
        # A unit that has since been deactivated stays selectable on the station it already runs.
        self.fields["operator"].queryset = MemberUnit.objects.filter(
            Q(status="active") | Q(pk=self.instance.operator_id)
        ).order_by("name")
        current = (
            self.instance.services.all() if self.instance.pk else ServiceCategory.objects.none()
        )
        self.fields["services"].queryset = ServiceCategory.objects.filter(
            Q(is_active=True) | Q(pk__in=current.values("pk"))
        ).order_by("position", "name")
        self.fields["services"].error_messages["invalid_choice"] = _("Unknown service: %(value)s.")

    def clean(self):
        cleaned = super().clean()
        if "latitude" in cleaned and "longitude" in cleaned:
            try:
                coordinates_check(cleaned["latitude"], cleaned["longitude"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        return cleaned

    def station_fields(self) -> dict:
        """The cleaned values as the actions take them: the fields, and `services` apart."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "services"}
        return data


class StationCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("closed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today if left empty."),
    )


class ServiceCategoryForm(forms.ModelForm):
    class Meta:
        model = ServiceCategory
        fields = ["name", "code", "position", "is_active"]
        help_texts = {
            "code": _("Letters, digits and hyphens, with at least one letter; API clients use it."),
        }

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code.isdigit():
            raise ValidationError(_("A code needs at least one letter (digits alone are ids)."))
        return code
