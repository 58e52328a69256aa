"""Schema generation: the standardized error bodies, plus the 409 that a refused delete returns."""

from django import forms
from django.db import models
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorCode409Enum(models.TextChoices):
    PROTECTED = "protected"


class Error409Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ErrorCode409Enum.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


class AutoSchema(StandardizedErrorsAutoSchema):
    def get_auth(self):
        auth = super().get_auth()
        # Public reads (the region tree, later the station map) need no credentials.
        if (
            getattr(self.view, "anonymous_read", False)
            and self.method in SAFE_METHODS
            and {} not in auth
        ):
            auth.append({})
        return auth

    def _determine_fields_with_error_codes(self):
        """The codes that drf-standardized-errors reads off each field, and those it misses:

        - a filter by a related row (ModelChoiceField) refuses a NUL character in the id
          (`null_characters_not_allowed`, Django's own check in `to_python`);
        - on a write, every field and the body as a whole (`non_field_errors`) may answer
          `invalid`: the code of a ValidationError that a serializer's `validate…()` raises without
          one, and of an action's refusal (`run_action()`) under the field that it names.
        """
        fields = super()._determine_fields_with_error_codes()
        writes = self.method in ("PUT", "PATCH", "POST")
        for field in fields:
            if isinstance(field.field, forms.ModelChoiceField):
                field.error_codes = {*field.error_codes, "null_characters_not_allowed"}
            if writes:
                field.error_codes = {*field.error_codes, "invalid"}
        return fields

    def _get_extra_validation_errors(self):
        """A paginated list refuses a `page` or `page_size` that is no whole number from 1
        (portal.api.pagination): its 400 names them too."""
        errors = dict(super()._get_extra_validation_errors())
        if self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            for name in ("page", "page_size"):
                errors[name] = {*errors.get(name, set()), "invalid"}
        return errors

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code == "409":
            # Only deletes can run into records that still point at the row.
            return self.method == "DELETE" and status_code not in responses
        return super()._should_add_error_response(responses, status_code)


class ValidationErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ValidationErrorResponseSerializer(serializers.Serializer):
    """The 400 body of an action that checks its input itself: a validation error, or a body that does not parse."""

    type = serializers.ChoiceField(
        choices=[("validation_error", "validation_error"), ("client_error", "client_error")]
    )
    errors = ValidationErrorItemSerializer(many=True)
