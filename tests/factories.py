import factory
from factory.django import DjangoModelFactory

from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.choices import RegionLevel
from portal.regions.models import Region


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试地区{n}")
    level = RegionLevel.PROVINCE
    parent = None


class DistrictFactory(RegionFactory):
    level = RegionLevel.DISTRICT
    parent = factory.SubFactory(RegionFactory)


class SubdistrictFactory(RegionFactory):
    level = RegionLevel.SUBDISTRICT
    parent = factory.SubFactory(DistrictFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "测"
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.UNIT_CONTACT
    password = factory.django.Password("Test-pass-2026")


class StaffFactory(UserFactory):
    role = Role.DISTRICT_STAFF
    is_staff = True


class SecretaryFactory(UserFactory):
    role = Role.STREET_SECRETARY
    region = factory.SubFactory(SubdistrictFactory)
