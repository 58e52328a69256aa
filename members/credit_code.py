"""The unified social credit code of GB 32100-2015: 18 characters, the last a check character."""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {char: value for value, char in enumerate(CHARSET)}
# GB 11714 organization code (characters 9–17): its own check character.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_character(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    return (code or "").strip().upper()


def is_valid(code: str) -> bool:
    code = normalize(code)
    return (
        len(code) == 18
        and all(c in VALUES for c in code)
        and check_character(code[:17]) == code[17]
    )


@deconstructible
class CreditCodeValidator:
    message = _(
        "%(code)s is not a valid unified social credit code: it must have 18 characters and a correct check character (GB 32100-2015)."
    )
    code = "invalid_credit_code"

    def __call__(self, value: str) -> None:
        if not is_valid(value):
            raise ValidationError(self.message, code=self.code, params={"code": value})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CreditCodeValidator)


def _org_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def generate(
    rng: random.Random, *, division: str = "310112", authority: str = "9", kind: str = "1"
) -> str:
    """A well-formed code: registration authority, organization kind, division, organization code, check."""
    first17 = f"{authority}{kind}{division[:6]}{_org_code(rng)}"
    return first17 + check_character(first17)
