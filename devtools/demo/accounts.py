"""One demo account per role, so that a newcomer can sign in as each kind of user."""

from dataclasses import dataclass

from django.db import transaction

from devtools.demo.units import DEMO_ACCOUNT_UNIT, units_by_key
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.regions.models import Region


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    full_name: str
    email: str
    region_code: str | None = None
    unit_key: str | None = None  # a unit of devtools.demo.units, for a unit contact


DEMO_ACCOUNTS = [
    DemoAccount(
        "staff",
        "Staff-demo-2026",
        Role.DISTRICT_STAFF,
        "王组织",
        "staff@demo.alliance-portal.local",
    ),
    DemoAccount(
        "xinhong",
        "Xinhong-demo-2026",
        Role.STREET_SECRETARY,
        "李新虹",
        "xinhong@demo.alliance-portal.local",
        "310112008",
    ),
    DemoAccount(
        "unit",
        "Unit-demo-2026",
        Role.UNIT_CONTACT,
        "张联络",
        "unit@demo.alliance-portal.local",
        unit_key=DEMO_ACCOUNT_UNIT,
    ),
]


@transaction.atomic
def load_accounts() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; an existing account (and its password) is left alone.

    Load the demo units first: the unit contact speaks for one of them.
    """
    units = units_by_key() if any(a.unit_key for a in DEMO_ACCOUNTS) else {}
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in=[a.region_code for a in DEMO_ACCOUNTS if a.region_code]
        )
    }
    result = []
    for account in DEMO_ACCOUNTS:
        family, given = account.full_name[0], account.full_name[1:]
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "region": regions.get(account.region_code),
                "unit": units.get(account.unit_key),
                "last_name": family,
                "first_name": given,
                "email": account.email,
                "is_staff": account.role == Role.DISTRICT_STAFF,
            },
        )
        if created:
            user.set_password(account.password)
            user.save(update_fields=["password"])
        result.append((account, created))
    return result
