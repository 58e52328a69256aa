"""Who to tell: the one copy of a unit's contacts and a region's handlers (portal.accounts.selectors)."""

import pytest

from portal.accounts.selectors import (
    region_handlers,
    regions_handlers,
    unit_contacts,
    unit_contacts_by_unit,
)
from portal.regions.choices import RegionLevel
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_unit_contacts_are_the_active_contacts_of_the_units_only():
    unit, other = f.MemberUnitFactory(), f.MemberUnitFactory()
    first = f.UserFactory(unit=unit)
    f.UserFactory(unit=unit, is_active=False)
    second = f.UserFactory(unit=unit)
    elsewhere = f.UserFactory(unit=other)
    f.UserFactory(unit=f.MemberUnitFactory())

    assert unit_contacts([unit.pk, None]) == [first, second]
    assert unit_contacts([unit.pk, other.pk]) == [first, second, elsewhere]
    assert unit_contacts([None]) == []
    assert unit_contacts_by_unit([unit.pk, other.pk]) == {
        unit.pk: [first, second],
        other.pk: [elsewhere],
    }


def test_region_handlers_are_the_secretaries_of_the_region_and_those_above_it():
    street = f.SubdistrictFactory()
    own = f.SecretaryFactory(region=street)
    f.SecretaryFactory(region=street, is_active=False)
    f.SecretaryFactory(region=f.SubdistrictFactory(parent=street.parent))
    f.StaffFactory()

    assert region_handlers(street) == [own]
    community = f.RegionFactory(level=RegionLevel.COMMUNITY, parent=street)
    assert region_handlers(community) == [own]
    assert regions_handlers([community]) == {community.pk: [own]}


def test_without_a_secretary_the_active_district_staff_handle_the_region():
    street = f.SubdistrictFactory()
    f.SecretaryFactory(region=f.SubdistrictFactory(parent=street.parent))
    staff = f.StaffFactory()
    f.StaffFactory(is_active=False)
    f.UserFactory()

    assert region_handlers(street) == [staff]


def test_regions_handlers_answers_the_same_for_many_regions_in_two_queries(
    django_assert_num_queries,
):
    covered, uncovered = f.SubdistrictFactory(), f.SubdistrictFactory()
    secretary = f.SecretaryFactory(region=covered)
    staff = f.StaffFactory()

    with django_assert_num_queries(2):
        handlers = regions_handlers([covered, uncovered])

    assert handlers == {covered.pk: [secretary], uncovered.pk: [staff]}
    assert handlers[covered.pk] == region_handlers(covered)
    assert handlers[uncovered.pk] == region_handlers(uncovered)
