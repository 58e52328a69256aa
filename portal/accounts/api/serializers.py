from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import ApiToken, ApiTokenStatus


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never its key, which only its digest keeps."""

    status = serializers.ChoiceField(choices=ApiTokenStatus.choices, read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "read_only",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "status",
        ]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at", "status"]
        # A name is what tells one's tokens apart when one of them is to be revoked.
        extra_kwargs = {"name": {"required": True, "allow_blank": False}}


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """A token just created, with its key: the only answer that ever holds it."""

    token = serializers.SerializerMethodField(
        help_text=_("The key, for `Authorization: Token <key>`; it is shown this once only.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields

    def get_token(self, obj) -> str:
        return self.context["key"]
