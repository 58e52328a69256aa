"""The scale-data generator: the preset's sizes, valid rows, the same rows for the same seed."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from alliances.models import Alliance, Invitation, Meeting, Membership
from devtools.scale import PRESETS
from members import credit_code
from members.models import MemberUnit
from portal.accounts.models import User
from services.choices import DemandStatus
from services.models import Activity, Demand, JointProject, ServiceStation

pytestmark = pytest.mark.django_db

SMALL = PRESETS["small"]


def _generate(seed=7):
    call_command("generate_scale_data", preset="small", seed=seed, stdout=StringIO())


def test_small_preset_has_the_sizes_and_rows_that_hold():
    _generate()
    assert MemberUnit.objects.count() == SMALL.units
    assert Alliance.objects.count() == SMALL.alliances
    assert Membership.objects.count() == SMALL.memberships
    assert ServiceStation.objects.count() == SMALL.stations
    assert Activity.objects.count() == SMALL.activities
    assert Meeting.objects.count() == SMALL.meetings
    assert Invitation.objects.count() == SMALL.meetings * SMALL.invitations_per_meeting
    assert Demand.objects.count() == SMALL.demands
    assert JointProject.objects.count() == SMALL.projects
    assert User.objects.count() == SMALL.users
    codes = list(MemberUnit.objects.values_list("credit_code", flat=True))
    assert all(credit_code.is_valid(c) for c in codes) and len(set(codes)) == len(codes)
    statuses = set(Demand.objects.values_list("status", flat=True))
    assert statuses == set(DemandStatus.values) - {DemandStatus.MERGED}
    assert set(User.objects.values_list("role", flat=True)) == {
        "district_staff",
        "street_secretary",
        "unit_contact",
    }
    # The sequences were moved on: the next row made the usual way gets a fresh id.
    unit = MemberUnit.objects.create(name="新登记单位", region=MemberUnit.objects.first().region)
    assert unit.pk > max(MemberUnit.objects.exclude(pk=unit.pk).values_list("pk", flat=True))


def test_the_same_seed_gives_the_same_network_and_a_second_run_is_refused():
    def names():
        return list(MemberUnit.objects.order_by("pk").values_list("name", "credit_code")[:50])

    with transaction.atomic():
        _generate(seed=11)
        first = names()
        transaction.set_rollback(True)
    _generate(seed=11)
    assert names() == first
    with pytest.raises(CommandError):
        _generate(seed=11)
