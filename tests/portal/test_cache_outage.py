"""A Redis cache that does not answer (a closed loopback port): pages and the API keep working on
per-process memory, the outage is logged once per retry interval, and /readyz says `degraded`."""

import logging

import environ
import pytest

from portal.core.cache import failsafe


@pytest.fixture
def dead_cache(settings):
    settings.CACHES = {"default": failsafe(environ.Env.cache_url_config("redis://127.0.0.1:9/0"))}
    settings.CACHE_RETRY_SECONDS = 30


@pytest.mark.django_db
def test_pages_and_api_answer_without_the_cache_and_readyz_says_degraded(
    dead_cache, client, staff_api, staff_user, caplog
):
    caplog.set_level(logging.WARNING, logger="portal.core.cache")
    for path in ("/services/stations/",):
        assert client.get(path).status_code < 500, path
    for path in ("/api/v1/units/", "/api/v1/demands/", "/api/v1/regions/"):
        assert staff_api.get(path).status_code == 200, path
    token = client.post(
        "/api/v1/auth/token/",
        {"username": staff_user.username, "password": "wrong"},
        content_type="application/json",
    )
    assert token.status_code == 400
    assert (
        client.post("/api/v1/registrations/", {}, content_type="application/json").status_code
        == 400
    )
    reset = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert reset.status_code == 302
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["cache"] == "degraded"
    warnings = [r for r in caplog.records if r.name == "portal.core.cache"]
    assert len(warnings) == 1  # once per interval, not per request


@pytest.mark.django_db
def test_rate_limits_still_count_while_the_cache_is_down(dead_cache):
    from portal.core.ratelimit import rate_exceeded

    assert [rate_exceeded("t", "1.2.3.4", "2/h") for _ in range(3)] == [False, False, True]
