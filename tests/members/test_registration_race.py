"""Two people register the same credit code at the same moment: the database decides.

Real concurrency needs a server database with row locks and concurrent writers, so this runs
against PostgreSQL (the CI's second run); the constraint itself is tested on every database in
test_registration.py.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext

from members.actions.registrations import registration_submit
from members.models import Registration
from tests.helpers import at_once
from tests.members.test_registration import action_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_registrations_of_one_code_one_wins_one_gets_the_message(region):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; the CI's second run uses it")

    def register(ip: str, email: str):
        return lambda: registration_submit(data=action_data(region, contact_email=email), ip=ip)

    def outcome(result) -> str:
        if isinstance(result, ValidationError):
            return result.message_dict["credit_code"][0]
        if isinstance(result, Exception):  # anything else is the failure this test looks for
            return f"unexpected {type(result).__name__}: {result}"
        return "created"

    outcomes = [
        outcome(r) for r in at_once(*(register(f"10.0.0.{n}", f"p{n}@example.org") for n in (1, 2)))
    ]

    assert sorted(outcomes) == sorted(
        ["created", gettext("A registration with this credit code is already under review.")]
    ), outcomes
    assert Registration.objects.count() == 1
