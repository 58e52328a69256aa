"""Member units, the registrations that bring them in and the changes their contacts propose."""

from .registrations import Registration, RegistrationQuerySet
from .unit_changes import UnitChange, UnitChangeQuerySet
from .units import MemberUnit, MemberUnitQuerySet

__all__ = [
    "MemberUnit",
    "MemberUnitQuerySet",
    "Registration",
    "RegistrationQuerySet",
    "UnitChange",
    "UnitChangeQuerySet",
]
