from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    children_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "level",
            "parent",
            "parent_name",
            "path",
            "depth",
            "is_active",
            "children_count",
        ]
        read_only_fields = ["path", "depth"]
        # The model's tree rules report on `parent` with the code "invalid"; declaring it documents it.
        extra_kwargs = {
            "parent": {"error_messages": {"invalid": _("This parent region is not allowed here.")}}
        }

    def validate(self, attrs):
        # Run the model's own rules (level order, no cycles) so that the API and the forms agree.
        instance = Region(**{**self._current_values(), **attrs})
        instance.pk = self.instance.pk if self.instance else None
        instance.path = self.instance.path if self.instance else ""
        instance.clean()
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            f: getattr(self.instance, f) for f in ("code", "name", "level", "parent", "is_active")
        }


class RegionTreeNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    is_active = serializers.BooleanField()
    children = serializers.ListField(
        child=serializers.DictField(), help_text=_("Nested nodes of the same shape.")
    )
