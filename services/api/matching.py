"""How a matching suggestion looks in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["offer", "unit"], read_only=True)
    score = serializers.IntegerField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    unit = serializers.SerializerMethodField()
    offer = serializers.SerializerMethodField()
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_unit(self, suggestion) -> dict:
        return {"id": suggestion.unit.pk, "name": suggestion.unit.name}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "category": {"type": "string"},
            },
        }
    )
    def get_offer(self, suggestion) -> dict | None:
        offer = suggestion.offer
        if offer is None:
            return None
        return {"id": offer.pk, "title": offer.title, "category": offer.category}
