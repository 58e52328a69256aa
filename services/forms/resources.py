"""Forms of resource offers."""

from django import forms
from django.db.models import Q

from members.models import MemberUnit
from portal.regions.models import Region
from services.actions.resources import availability_check
from services.models import ResourceOffer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResourceOfferForm(forms.ModelForm):
    class Meta:
        model = ResourceOffer
        fields = [
            "unit",
            "category",
            "title",
            "description",
            "available_from",
            "available_until",
            "region",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "available_from": DATE,
            "available_until": DATE,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].required = False
        self.fields["region"].queryset = Region.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.region_id)
        ).order_by("path")
        self.fields["region"].label_from_instance = lambda r: (
            f"{'　' * r.depth}{r.name}（{r.code}）"
        )
        if user.is_district_staff:
            self.fields["unit"].queryset = MemberUnit.objects.filter(
                Q(status="active") | Q(pk=self.instance.unit_id)
            ).order_by("name")
        else:
            # A unit contact always offers for their own unit: the field is not theirs to set.
            del self.fields["unit"]

    def clean(self):
        cleaned = super().clean()
        try:
            availability_check(cleaned.get("available_from"), cleaned.get("available_until"))
        except forms.ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        return cleaned

    def _post_clean(self):
        # The actions validate the model (unit and region are set there); the form checks its fields.
        pass

    def offer_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
