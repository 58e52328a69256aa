"""Helpers shared by the apps' forms and form views."""

from django.core.exceptions import ValidationError


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put an action's refusal on the form: on the fields it names, the rest as form errors."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
