from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from alliances.models import Membership
from members.credit_code import CreditCodeValidator
from members.models import MemberUnit
from members.selectors import unit_contacts


class UnitMembershipSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "role",
            "joined_on",
            "left_on",
            "representative",
        ]


class MemberUnitSerializer(serializers.ModelSerializer):
    region_code = serializers.SlugRelatedField(
        source="region",
        slug_field="code",
        read_only=True,
        help_text=_("Code of the unit's region."),
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    alliance_count = serializers.IntegerField(
        read_only=True, default=None, allow_null=True, help_text=_("Current alliances.")
    )

    class Meta:
        model = MemberUnit
        fields = [
            "id",
            "name",
            "credit_code",
            "unit_type",
            "region",
            "region_code",
            "region_name",
            "address",
            "industry",
            "employee_count",
            "party_org_type",
            "party_member_count",
            "org_covered",
            "work_covered",
            "instructor",
            "key_target",
            "contact_name",
            "contact_phone",
            "contact_email",
            "status",
            "alliance_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            # Model rules (credit code required for enterprises, coverage) report with the code "invalid".
            # The checksum only: uniqueness is checked in validate_credit_code, with the existing unit named.
            "credit_code": {
                "validators": [CreditCodeValidator()],
                "error_messages": {"invalid": _("Enter a valid unified social credit code.")},
            },
            "org_covered": {"error_messages": {"invalid": _("Not allowed for this unit.")}},
        }

    def validate(self, attrs):
        instance = MemberUnit(**{**self._current_values(), **attrs})
        instance.pk = self.instance.pk if self.instance else None
        instance.clean()
        attrs["credit_code"] = instance.credit_code
        return attrs

    def validate_credit_code(self, value):
        code = (value or "").strip().upper() or None
        if code:
            existing = (
                MemberUnit.objects.filter(credit_code=code)
                .exclude(pk=getattr(self.instance, "pk", None))
                .first()
            )
            if existing:
                raise serializers.ValidationError(
                    _("This credit code already belongs to unit %(name)s (id %(id)s).")
                    % {"name": existing.name, "id": existing.pk},
                    code="unique",
                )
        return code

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        names = [
            f.name
            for f in MemberUnit._meta.concrete_fields
            if f.name not in {"id", "created_at", "updated_at"}
        ]
        return {f: getattr(self.instance, f) for f in names}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            data.update(unit_contacts(user=request.user, unit=instance))
        return data


class MemberUnitDetailSerializer(MemberUnitSerializer):
    memberships = UnitMembershipSerializer(
        many=True, read_only=True, help_text=_("Current and past memberships.")
    )

    class Meta(MemberUnitSerializer.Meta):
        fields = [*MemberUnitSerializer.Meta.fields, "memberships"]
