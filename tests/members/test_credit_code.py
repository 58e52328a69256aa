import random

import pytest
from django.core.exceptions import ValidationError

from members.credit_code import CreditCodeValidator, check_character, generate, is_valid


@pytest.mark.parametrize("code", ["91330100799655058B", "91110000802100433B", "91440300708461136T"])
def test_published_codes_pass(code):
    assert is_valid(code)
    assert is_valid(code.lower())


@pytest.mark.parametrize(
    "code",
    [
        "91330100799655058C",
        "9133010079965505",
        "91330100799655058BX",
        "9133010079965505IB",
        "",
        "91330100 99655058B",
    ],
)
def test_wrong_codes_fail(code):
    assert not is_valid(code)


def test_the_check_character_is_worked_by_the_standard_weights():
    # Σ(value × weight) for 9133010079965505 8 with weights 1,3,9,27,…: 31 − (Σ mod 31) = 11 → "B".
    assert check_character("91330100799655058") == "B"


def test_generated_codes_are_valid_and_distinct():
    rng = random.Random(7)
    codes = {generate(rng) for _ in range(500)}
    assert len(codes) == 500 and all(is_valid(c) for c in codes)


def test_validator_message_says_the_code_is_wrong_in_chinese():
    with pytest.raises(ValidationError) as info:
        CreditCodeValidator()("91330100799655058C")
    assert "统一社会信用代码" in info.value.messages[0]
