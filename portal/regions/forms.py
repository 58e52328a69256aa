from django import forms

from .models import Region


class RegionForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ["name", "code", "level", "parent", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Region.objects.exclude(level="grid").order_by("path")
