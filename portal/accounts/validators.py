"""Password rules beyond Django's own, as assessors under 等保 2.0 level 3 ask for them."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterClassesValidator:
    """At least `min_classes` of the four kinds of character: capital letters, small letters,
    digits, and everything else (punctuation, spaces, Chinese characters)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        kinds = (
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        )
        return sum(kinds)

    def validate(self, password: str, user=None) -> None:
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(count)d kind of character: capital letters, small "
            "letters, digits, other characters.",
            "Your password must mix at least %(count)d of the four kinds of character: capital "
            "letters, small letters, digits, other characters.",
            self.min_classes,
        ) % {"count": self.min_classes}
