"""The OpenAPI document is valid, and every operation in it, fuzzed as each role and as nobody, keeps to it."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from openapi_spec_validator import validate

from services.models import ProjectEvent
from tests.factories import DemandFactory, JointProjectFactory, MeetingFactory, RegionFactory

# A record of each kind whose answers once broke the schema (issue 23.5): a meeting without an online
# link, a project with its creation on the timeline, a demand. Lists show them, and half the cases
# that name a record (`{id}`, an even number drawn) name that one instead, so that details and steps
# answer more than a 404.
RECORDS: dict[str, int] = {}


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert "/api/v1/regions/" in document["paths"]
    assert "/api/v1/auth/token/" in document["paths"]


def test_swagger_ui_is_served_with_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


@pytest.fixture
def api_schema(db, staff_user):
    shanghai = RegionFactory(code="310000", name="上海市")
    RegionFactory(code="310112", name="闵行区", level="district", parent=shanghai)
    project = JointProjectFactory(status="proposed")
    ProjectEvent.objects.create(project=project, kind="created", to_status="proposed")
    RECORDS.clear()
    RECORDS.update(meetings=MeetingFactory().pk, projects=project.pk, demands=DemandFactory().pk)
    # As Django's test client does: keep the test's connection (and its transaction) open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")

# The operations in groups, one test each, so that `make test` spreads them over both cores; the
# last test fails for a path that no group names, so that a new endpoint is never left out.
GROUPS = {
    "network": r"^/api/v1/(alliances|memberships|join-requests|regions|units|registrations|my-unit|unit-changes|auth)",
    "meetings": r"^/api/v1/(meetings|invitations|notifications|notice-|calendar)",
    "services": r"^/api/v1/(stations|activities|resources|service-categories)",
    "demands": r"^/api/v1/(demands|demand-campaigns|demand-deadlines)",
    "projects": r"^/api/v1/(projects|claims|reports)",
}
# Examples per operation: 8 random ones (FUZZ_EXAMPLES=100 for a deeper run by hand). Schemathesis'
# coverage phase (boundary and invalid values for every parameter, several hundred requests per
# group) runs where the suite runs on PostgreSQL, i.e. in CI's second pass, or with FUZZ_COVERAGE=1:
# it is most of the fuzzing's time, and `make test` on SQLite must stay inside 10 minutes on CI's
# 2 cores (docs/testing.md).
DEEP = os.environ.get("FUZZ_COVERAGE") == "1" or os.environ.get("DATABASE_URL", "").startswith(
    "postgres"
)
EXAMPLES = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate] if DEEP else [Phase.generate],
)
# The other roles mostly meet refusals and narrower lists: random examples only (3, 8 in the deep
# run). The coverage phase's boundary and invalid values test the validation, which staff reach
# everywhere; for three more roles it doubled CI's PostgreSQL pass and found nothing more.
OTHER_ROLE_EXAMPLES = settings(
    EXAMPLES,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8" if DEEP else "3")),
    phases=[Phase.generate],
)
# DESIGN.md §4's roles that use the API (staff_user, secretary_user, unit_user in tests/conftest.py),
# and nobody signed in.
ROLES = {"staff": EXAMPLES, "secretary": OTHER_ROLE_EXAMPLES, "unit": OTHER_ROLE_EXAMPLES}
ANONYMOUS = "anonymous"


def fuzz_as(case, user) -> None:
    from tests.auth import api_key_for

    headers = {} if user is None else {"Authorization": f"Token {api_key_for(user)}"}
    area = case.operation.path.split("/")[3]
    drawn = (case.path_parameters or {}).get("id")
    if area in RECORDS and isinstance(drawn, int) and drawn % 2 == 0:
        case.path_parameters["id"] = RECORDS[area]
    # Every check of schemathesis runs (no 5xx, status code, content type, headers and body as the
    # schema says, auth …) but two. Left out: a schema-valid request may still break a business rule
    # (a wrong password, a parent region below its child), so a 400 for it is right; and an empty
    # optional query parameter is taken as absent rather than refused.
    case.call_and_validate(
        headers=headers,
        excluded_checks=[
            schemathesis.checks.positive_data_acceptance,
            schemathesis.checks.negative_data_rejection,
        ],
    )


def _fuzz_test(group: str, role: str, examples):
    @schema.include(path_regex=GROUPS[group]).parametrize()
    @examples
    def test(case, staff_user, secretary_user, unit_user):
        users = {"staff": staff_user, "secretary": secretary_user, "unit": unit_user}
        fuzz_as(case, users.get(role))

    test.__name__ = f"test_{group}_api_as_{role}_has_no_server_errors_and_keeps_to_its_schema"
    return test


# One test per group and role: test_network_api_as_staff_…, test_network_api_as_secretary_… ….
for _group in GROUPS:
    for _role, _examples in [*ROLES.items(), (ANONYMOUS, OTHER_ROLE_EXAMPLES)]:
        _test = _fuzz_test(_group, _role, _examples)
        globals()[_test.__name__] = _test


def test_every_api_path_is_in_a_fuzzed_group(client):
    import re

    document = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    pattern = re.compile("|".join(GROUPS.values()))
    left_out = [path for path in document["paths"] if not pattern.match(path)]
    assert left_out == [], "add these paths to a group in GROUPS"
