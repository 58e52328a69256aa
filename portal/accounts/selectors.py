"""Reads on accounts: a user's API tokens and the token behind a key, and who to tell.

Who to tell is worked out here and nowhere else (docs/architecture.md, "Who to tell"):

- `unit_contacts(unit_ids)`: the *active* unit-contact accounts of those units.
- `region_handlers(region)`: the active street secretaries whose region holds `region` (the region
  itself or one above it). **Fallback:** when no such secretary exists, the active district staff, so
  that news about a region nobody covers still reaches someone. `regions_handlers(regions)` answers
  the same for many regions in a fixed number of queries.

Both are ordered by id and never include deactivated accounts.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .choices import Role
from .models import ApiToken, ExportRecord, User


def user_api_tokens(user: User) -> QuerySet[ApiToken]:
    """The tokens of `user`, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_for_key(key: str) -> ApiToken | None:
    """The token whose key is `key`, with its user (one query), or None."""
    return ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()


# --- who to tell --------------------------------------------------------------------------------


def unit_contacts(unit_ids: Iterable[int | None]) -> list[User]:
    """The active contacts of these units (ids; None is ignored), ordered by id, in one query."""
    ids = {pk for pk in unit_ids if pk}
    if not ids:
        return []
    return list(
        User.objects.filter(role=Role.UNIT_CONTACT, is_active=True, unit_id__in=ids).order_by("pk")
    )


def unit_contacts_by_unit(unit_ids: Iterable[int | None]) -> dict[int, list[User]]:
    """`unit_contacts` grouped by unit id (units without active contacts are left out)."""
    grouped: dict[int, list[User]] = {}
    for user in unit_contacts(unit_ids):
        grouped.setdefault(user.unit_id, []).append(user)
    return grouped


def _district_staff() -> list[User]:
    return list(User.objects.filter(role=Role.DISTRICT_STAFF, is_active=True).order_by("pk"))


def _ancestor_paths(region) -> list[str]:
    parts = [p for p in region.path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def region_handlers(region) -> list[User]:
    """The active secretaries whose region holds `region`; if there are none, the district staff."""
    secretaries = list(
        User.objects.filter(
            role=Role.STREET_SECRETARY, is_active=True, region__path__in=_ancestor_paths(region)
        ).order_by("pk")
    )
    return secretaries or _district_staff()


def regions_handlers(regions: Iterable) -> dict[int, list[User]]:
    """`region_handlers` of each region, by region id, in at most two queries (whatever the number
    of regions: the secretaries are few, one or two a street, and read at once)."""
    regions = {region.pk: region for region in regions}
    if not regions:
        return {}
    secretaries = list(
        User.objects.filter(role=Role.STREET_SECRETARY, is_active=True, region__isnull=False)
        .select_related("region")
        .order_by("pk")
    )
    staff = None
    result: dict[int, list[User]] = {}
    for pk, region in regions.items():
        covering = [s for s in secretaries if region.path.startswith(s.region.path)]
        if not covering:
            if staff is None:
                staff = _district_staff()
            covering = staff
        result[pk] = covering
    return result


def export_record_list() -> QuerySet[ExportRecord]:
    """The log, newest first, with the user of each row in the same query."""
    return ExportRecord.objects.select_related("user").order_by("-created_at", "-id")
