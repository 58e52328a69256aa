"""Password rules for a level-3 system (issue 21.3): at least 8 characters of at least three of the
four kinds (capitals, small letters, digits, others), on every form that sets a password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from portal.accounts.validators import CharacterClassesValidator


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", 1),
        ("abcd1234", 2),
        ("Abcd1234", 3),
        ("abcd-1234", 3),
        ("Ab1-", 4),
        ("党建联盟abc1", 3),
    ],
)
def test_the_kinds_of_character_are_counted(password, classes):
    assert CharacterClassesValidator.classes(password) == classes


@pytest.mark.django_db
def test_a_password_of_two_kinds_is_refused_with_the_rule_in_chinese():
    with pytest.raises(ValidationError) as refused:
        validate_password("xinhong2026")
    assert "password_too_simple" in [e.code for e in refused.value.error_list]
    assert "三" in " ".join(refused.value.messages) or "3" in " ".join(refused.value.messages)
    validate_password("Xinhong-2026")  # three kinds and long enough


@pytest.mark.django_db
def test_the_password_change_form_refuses_a_too_simple_password(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "Test-pass-2026",
            "new_password1": "xinhongjie2026",
            "new_password2": "xinhongjie2026",
        },
    )
    assert response.status_code == 200
    assert "password_too_simple" in [
        e.code for e in response.context["form"].errors.as_data()["new_password2"]
    ]
    staff_user.refresh_from_db()
    assert staff_user.check_password("Test-pass-2026")
