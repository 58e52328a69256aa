"""Who the client is, behind the TLS proxy or not: TRUSTED_PROXY_COUNT sets the address that the
rate limits (registration, password reset, the token endpoint) and django-axes count by."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from members.models import Registration
from portal.core.ratelimit import client_ip
from tests.auth import sign_in
from tests.factories import StaffFactory
from tests.members.test_registration import form_data, generated_code

PASSWORD = "Test-pass-2026"
PROXY = "10.0.0.2"  # the nginx in front of gunicorn: every request arrives from it


def through_proxy(client_address: str, *, forged: str = "") -> dict:
    """The request headers as gunicorn sees them behind one nginx that appends `$remote_addr`."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        # No proxy: whatever X-Forwarded-For says is the client's own word.
        (0, {"REMOTE_ADDR": "203.0.113.5", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "203.0.113.5"),
        # One proxy: the right-most entry is the one it added; the left ones the client forged.
        (1, through_proxy("198.51.100.7", forged="1.2.3.4"), "198.51.100.7"),
        (1, through_proxy("2001:db8::7"), "2001:db8::7"),
        # Two proxies: the outer one appended the client, the inner one the outer's address.
        (
            2,
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.8, 10.0.0.9"},
            "198.51.100.8",
        ),
        # A request that bypassed the proxy (a health check), or an entry that is no address.
        (1, {"REMOTE_ADDR": "10.0.0.3"}, "10.0.0.3"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, unknown"}, PROXY),
    ],
)
def test_client_ip_reads_as_many_proxies_as_trusted_from_the_right(
    settings, proxies, meta, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(RequestFactory().get("/", **meta)) == expected


# Registration: the bucket of the client, not of the proxy


@pytest.mark.django_db
def test_behind_one_proxy_each_client_has_its_own_registration_bucket(settings, region):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REGISTRATION_RATE_LIMIT = "1/h"
    first, second = Client(**through_proxy("198.51.100.1")), Client(**through_proxy("198.51.100.2"))
    assert first.post("/register/", form_data(region)).status_code == 302
    # A second organisation in the district, through the same proxy, is not refused for the first's.
    other = form_data(region, credit_code=generated_code(1), contact_email="li@example.org")
    assert second.post("/register/", other).status_code == 302
    # The first client has used its one registration, however it dresses its header up.
    again = Client(**through_proxy("198.51.100.1", forged="192.0.2.77"))
    third = form_data(region, credit_code=generated_code(2), contact_email="zhao@example.org")
    assert again.post("/register/", third).status_code == 429
    assert sorted(Registration.objects.values_list("submitter_ip", flat=True)) == [
        "198.51.100.1",
        "198.51.100.2",
    ]


@pytest.mark.django_db
def test_without_a_proxy_a_forged_header_does_not_escape_the_registration_limit(settings, region):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.REGISTRATION_RATE_LIMIT = "1/h"
    client = Client(REMOTE_ADDR="203.0.113.40", HTTP_X_FORWARDED_FOR="198.51.100.50")
    assert client.post("/register/", form_data(region)).status_code == 302
    data = form_data(region, credit_code=generated_code(1), contact_email="li@example.org")
    forged = client.post("/register/", data, HTTP_X_FORWARDED_FOR="198.51.100.51")
    assert forged.status_code == 429
    assert list(Registration.objects.values_list("submitter_ip", flat=True)) == ["203.0.113.40"]


# The token endpoint (a DRF throttle): DRF on its own would take X-Forwarded-For as it comes


@pytest.mark.django_db
def test_without_a_proxy_a_forged_header_does_not_escape_the_token_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TOKEN_RATE_LIMIT = "2/m"
    StaffFactory(username="ip-staff")
    api = APIClient(REMOTE_ADDR="203.0.113.41")
    credentials = {"username": "ip-staff", "password": PASSWORD}
    codes = [
        api.post(
            "/api/v1/auth/token/", credentials, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_token_limit_counts_each_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TOKEN_RATE_LIMIT = "2/m"
    StaffFactory(username="ip-staff")
    credentials = {"username": "ip-staff", "password": PASSWORD}
    first = APIClient(**through_proxy("198.51.100.60"))
    assert [first.post("/api/v1/auth/token/", credentials).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    # Forging a left-hand entry does not make the same client someone else …
    forger = APIClient(**through_proxy("198.51.100.60", forged="192.0.2.1"))
    assert forger.post("/api/v1/auth/token/", credentials).status_code == 429
    # … and another client behind the same proxy has its own two.
    second = APIClient(**through_proxy("198.51.100.61"))
    assert second.post("/api/v1/auth/token/", credentials).status_code == 200


# django-axes: the same address as the rate limits


def fail_five_times(client: Client, username: str) -> int:
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": username, "password": "guess"})
    return response.status_code


@pytest.mark.django_db
def test_behind_one_proxy_axes_locks_the_client_and_not_the_whole_district(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    StaffFactory(username="ip-staff")
    attacker = Client(**through_proxy("198.51.100.70", forged="192.0.2.9"))
    assert fail_five_times(attacker, "ip-staff") == 429
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("ip-staff", "198.51.100.70")
    ]
    assert not sign_in(attacker, "ip-staff", PASSWORD)
    # The user at a desk elsewhere in the district, through the same proxy, signs in.
    assert sign_in(Client(**through_proxy("198.51.100.71")), "ip-staff", PASSWORD)


@pytest.mark.django_db
def test_without_a_proxy_axes_ignores_a_forged_header(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    StaffFactory(username="ip-staff")
    attacker = Client(REMOTE_ADDR="203.0.113.42")
    for n in range(4):
        attacker.post(
            "/accounts/login/",
            {"username": "ip-staff", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    locked = attacker.post(
        "/accounts/login/",
        {"username": "ip-staff", "password": "guess"},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert locked.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.42"]
    assert not sign_in(attacker, "ip-staff", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.100")
