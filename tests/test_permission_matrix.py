"""Who may do what, role by role, for the pages and API lists of the network, registration and self-service,
stations, activities, meetings and notifications.

Issue 10 widens this into the full matrix of every endpoint; the table form is meant to grow.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    MemberUnitFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "inactive", "staff", "secretary", "contact", "other_contact"]


@pytest.fixture
def world(region, secretary_user):
    alliance = AllianceFactory(name="生物医药产业党建联盟")
    mine = MemberUnitFactory(name="本单位", region=region)
    fellow = MemberUnitFactory(name="同盟单位", region=region)
    stranger = MemberUnitFactory(name="无关单位", region=region)
    MembershipFactory(alliance=alliance, unit=mine)
    MembershipFactory(alliance=alliance, unit=fellow)
    users = {
        "staff": StaffFactory(username="m-staff"),
        "inactive": StaffFactory(username="m-inactive", is_active=False),
        "secretary": secretary_user,
        "contact": UserFactory(username="m-contact", unit=mine),
        "other_contact": UserFactory(username="m-other", unit=stranger),
    }
    return {
        "alliance": alliance,
        "mine": mine,
        "fellow": fellow,
        "stranger": stranger,
        "users": users,
    }


def api_as(world, role) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=world['users'][role])[0].key}"
        )
    return client


def page_as(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


API_READS = {
    # path: expected status per role
    "/api/v1/regions/": [200, 401, 200, 200, 200, 200],
    "/api/v1/alliances/": [200, 401, 200, 200, 200, 200],
    "/api/v1/units/": [401, 401, 200, 200, 200, 200],
    "/api/v1/memberships/": [401, 401, 200, 200, 200, 200],
    "/api/v1/registrations/": [401, 401, 200, 200, 403, 403],
    "/api/v1/unit-changes/": [401, 401, 200, 200, 200, 200],
    "/api/v1/join-requests/": [401, 401, 200, 200, 200, 200],
    "/api/v1/my-unit/": [401, 401, 403, 403, 200, 200],
    "/api/v1/my-unit/contacts/": [401, 401, 403, 403, 200, 200],
    "/api/v1/stations/": [200, 401, 200, 200, 200, 200],
    "/api/v1/service-categories/": [200, 401, 200, 200, 200, 200],
    "/api/v1/activities/": [401, 401, 200, 200, 200, 200],
    "/api/v1/meetings/": [401, 401, 200, 200, 200, 200],
    "/api/v1/notifications/": [401, 401, 200, 200, 200, 200],
    "/api/v1/projects/": [401, 401, 200, 200, 200, 200],
    "/api/v1/projects/counts/": [401, 401, 200, 200, 200, 200],
    "/api/v1/claims/": [401, 401, 200, 200, 200, 200],
    # Demands: signed-in users with a role (their scope); a roleless account is refused.
    "/api/v1/demands/": [401, 401, 200, 200, 200, 200],
    "/api/v1/demands/counts/": [401, 401, 200, 200, 200, 200],
    "/api/v1/demand-campaigns/": [401, 401, 200, 200, 200, 200],
    "/api/v1/demand-deadlines/": [401, 401, 200, 200, 200, 200],
    # Reports: staff and secretaries all, a unit contact their alliances' (an empty list here).
    "/api/v1/reports/": [401, 401, 200, 200, 200, 200],
}


@pytest.mark.parametrize("path", API_READS)
@pytest.mark.parametrize("role", ROLES)
def test_api_reads(world, path, role):
    assert api_as(world, role).get(path).status_code == API_READS[path][ROLES.index(role)]


# Visible unit names per role: the scope, not just the status code.
VISIBLE_UNITS = {
    "staff": {"本单位", "同盟单位", "无关单位"},
    "secretary": {"本单位", "同盟单位", "无关单位"},
    "contact": {"本单位", "同盟单位"},
    "other_contact": {"无关单位"},
}


@pytest.mark.parametrize("role", VISIBLE_UNITS)
def test_unit_lists_contain_nothing_outside_the_scope(world, role):
    rows = api_as(world, role).get("/api/v1/units/").json()["results"]
    assert {r["name"] for r in rows} == VISIBLE_UNITS[role]


@pytest.mark.parametrize("role", ["contact", "other_contact"])
def test_membership_lists_contain_only_the_contacts_alliances(world, role):
    rows = api_as(world, role).get("/api/v1/memberships/").json()["results"]
    expected = {"本单位", "同盟单位"} if role == "contact" else set()
    assert {r["unit_name"] for r in rows} == expected


WRITES = [
    (
        "post",
        "/api/v1/units/",
        lambda w: {"name": "新", "unit_type": "other", "region": w["mine"].region_id},
        201,
    ),
    (
        "post",
        "/api/v1/memberships/",
        lambda w: {"alliance": w["alliance"].pk, "unit": w["stranger"].pk},
        201,
    ),
    ("post", "/api/v1/alliances/", lambda w: {"name": "新联盟", "kind": "sector"}, 201),
]


@pytest.mark.parametrize(("method", "path", "payload", "staff_status"), WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_only_district_staff_write_the_network(world, method, path, payload, staff_status, role):
    response = getattr(api_as(world, role), method)(path, payload(world), format="json")
    expected = {"anonymous": 401, "inactive": 401, "staff": staff_status}.get(role, 403)
    assert response.status_code == expected


PAGES = {
    "/alliances/": [200, 200, 200, 200, 200, 200],
    "/alliances/chart/": [200, 200, 200, 200, 200, 200],
    "/units/": [302, 302, 200, 200, 200, 200],
    "/alliances/insight/": [302, 302, 200, 200, 403, 403],
    "/units/new/": [302, 302, 200, 403, 403, 403],
    "/alliances/new/": [302, 302, 200, 403, 403, 403],
    "/units/import/": [302, 302, 200, 403, 403, 403],
    "/register/": [200, 200, 200, 200, 200, 200],
    "/registrations/": [302, 302, 200, 200, 403, 403],
    "/changes/": [302, 302, 200, 403, 403, 403],
    "/my-unit/edit/": [302, 302, 403, 403, 200, 200],
    "/alliances/join-requests/": [302, 302, 200, 200, 200, 200],
    "/alliances/meetings/": [302, 302, 200, 200, 200, 200],
    "/services/stations/": [200, 200, 200, 200, 200, 200],
    "/services/stations/new/": [302, 302, 200, 200, 403, 403],
    "/services/catalogue/": [302, 302, 200, 403, 403, 403],
    "/services/activities/": [302, 302, 200, 200, 200, 200],
    "/services/activities/new/": [302, 302, 200, 200, 403, 403],
    "/services/projects/": [302, 302, 200, 200, 200, 200],
    # Publishing: staff, secretaries, and contacts of a unit that leads an alliance (none here).
    "/services/projects/new/": [302, 302, 200, 200, 403, 403],
    "/services/claims/": [302, 302, 200, 200, 200, 200],
    "/services/demands/": [302, 302, 200, 200, 200, 200],
    "/services/demands/new/": [302, 302, 200, 200, 200, 200],
    "/services/demands/deadlines/": [302, 302, 200, 403, 403, 403],
    "/services/campaigns/": [302, 302, 200, 200, 200, 200],
    "/services/campaigns/new/": [302, 302, 200, 403, 403, 403],
    "/reports/": [302, 302, 200, 200, 200, 200],
    "/reports/subscriptions/": [302, 302, 200, 403, 403, 403],
}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages(client, world, path, role):
    assert page_as(client, world, role).get(path).status_code == PAGES[path][ROLES.index(role)]


@pytest.mark.parametrize("role", ["anonymous", "other_contact"])
def test_out_of_scope_unit_pages_are_not_found(client, world, role):
    page_as(client, world, role)
    response = client.get(world["fellow"].get_absolute_url())
    assert response.status_code == (302 if role == "anonymous" else 404)


VISIBLE_DEMANDS = {
    "staff": {"本单位诉求", "无关单位诉求"},
    "secretary": {"本单位诉求", "无关单位诉求"},
    "contact": {"本单位诉求"},
    "other_contact": {"无关单位诉求"},
}


@pytest.mark.parametrize("role", VISIBLE_DEMANDS)
def test_demand_lists_contain_only_the_scope(client, world, role):
    from tests.factories import DemandFactory

    DemandFactory(unit=world["mine"], title="本单位诉求")
    DemandFactory(unit=world["stranger"], title="无关单位诉求")
    rows = api_as(world, role).get("/api/v1/demands/").json()["results"]
    assert {r["title"] for r in rows} == VISIBLE_DEMANDS[role]
    board = page_as(client, world, role).get("/services/demands/")
    assert {d.title for d in board.context["demands"]} == VISIBLE_DEMANDS[role]


@pytest.mark.parametrize("role", ROLES)
def test_reports_are_read_within_the_scope_and_built_by_staff_only(client, world, role):
    from portal.reports.choices import ReportScope
    from portal.reports.models import QuarterlyReport

    district = QuarterlyReport.objects.create(scope=ReportScope.DISTRICT, year=2026, quarter=3)
    mine = QuarterlyReport.objects.create(
        scope=ReportScope.ALLIANCE, alliance=world["alliance"], year=2026, quarter=3
    )
    visible = {
        "staff": {district.pk, mine.pk},
        "secretary": {district.pk, mine.pk},
        "contact": {mine.pk},
        "other_contact": set(),
    }
    response = api_as(world, role).get("/api/v1/reports/")
    if role in visible:
        assert {r["id"] for r in response.json()["results"]} == visible[role]
    else:
        assert response.status_code == 401
    page_as(client, world, role)
    # Staff build it again and land on it; others are sent to sign in, or refused.
    rebuild = client.post(f"/reports/{district.pk}/rebuild/")
    assert rebuild.status_code == {"anonymous": 302, "inactive": 302, "staff": 302}.get(role, 403)
