"""Sign-in under attack: lockout after repeated failures, rate limits on tokens and password resets."""

import pytest
from django.test import Client
from django.utils.translation import gettext
from rest_framework.test import APIClient

from tests.auth import sign_in
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2026"


@pytest.fixture
def staff():
    return StaffFactory(username="lock-staff")


def test_five_failures_lock_the_user_at_that_address_and_not_elsewhere(staff):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(4):
        response = attacker.post(
            "/accounts/login/", {"username": "lock-staff", "password": "guess"}
        )
        assert response.status_code == 200  # the form again, with its error
    locked = attacker.post("/accounts/login/", {"username": "lock-staff", "password": "guess"})
    assert locked.status_code == 429
    assert 'data-testid="locked-out"' in locked.content.decode()
    # Even the right password is refused from there now …
    assert not sign_in(attacker, "lock-staff", PASSWORD)
    # … but the same user at the office signs in, and another user at the attacker's address too.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "lock-staff", PASSWORD)
    StaffFactory(username="colleague")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "colleague", PASSWORD)


def test_a_success_clears_the_failures_before_the_limit(staff):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(4):
        client.post("/accounts/login/", {"username": "lock-staff", "password": "guess"})
    assert sign_in(client, "lock-staff", PASSWORD)
    client.logout()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "lock-staff", "password": "guess"})
    assert sign_in(client, "lock-staff", PASSWORD)


def test_the_token_endpoint_locks_out_with_a_json_error(staff):
    api = APIClient(REMOTE_ADDR="203.0.113.11")
    for _ in range(4):
        wrong = api.post("/api/v1/auth/token/", {"username": "lock-staff", "password": "guess"})
        assert wrong.status_code == 400
    locked = api.post("/api/v1/auth/token/", {"username": "lock-staff", "password": "guess"})
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["code"] == "throttled"
    assert "15" in locked.json()["errors"][0]["detail"]  # the minutes to wait
    again = api.post("/api/v1/auth/token/", {"username": "lock-staff", "password": PASSWORD})
    assert again.status_code == 429


def test_the_token_endpoint_is_rate_limited_per_address(staff, settings):
    settings.TOKEN_RATE_LIMIT = "2/m"
    api = APIClient(REMOTE_ADDR="203.0.113.12")
    for _ in range(2):
        ok = api.post("/api/v1/auth/token/", {"username": "lock-staff", "password": PASSWORD})
        assert ok.status_code == 200 and ok.json()["token"]
    throttled = api.post("/api/v1/auth/token/", {"username": "lock-staff", "password": PASSWORD})
    assert throttled.status_code == 429
    assert throttled.json()["errors"][0]["detail"].startswith(
        gettext("Too many token requests from your address; try again later.")
    )
    other = APIClient(REMOTE_ADDR="203.0.113.13")
    assert (
        other.post(
            "/api/v1/auth/token/", {"username": "lock-staff", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_password_reset_requests_are_rate_limited(staff, settings):
    from portal.notifications.models import OutgoingMail

    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    client = Client(REMOTE_ADDR="203.0.113.14")
    for _ in range(2):
        sent = client.post("/accounts/password_reset/", {"email": staff.email})
        assert sent.status_code == 302
    refused = client.post("/accounts/password_reset/", {"email": staff.email})
    assert refused.status_code == 429
    assert gettext("Too many password reset requests from your address; try again later.") in (
        refused.content.decode()
    )
    # Two reset mails are in the outbox (sent after the commit); the refused request wrote none.
    assert OutgoingMail.objects.filter(recipients=[staff.email]).count() == 2


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert (
        "https://tile.openstreetmap.org" in directives["img-src"]
        or "127.0.0.1" in (directives["img-src"])
    )
