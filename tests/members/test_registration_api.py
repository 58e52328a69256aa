"""/api/v1/registrations/: anonymous registration, confirmation, review by staff and secretaries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from members.choices import RegistrationStatus, UnitStatus
from members.models import Registration
from portal.accounts.models import User
from tests.factories import AllianceFactory, MemberUnitFactory, SubdistrictFactory
from tests.helpers import errors_by_field
from tests.members.test_registration import (
    CODE,
    OTHER_CODE,
    action_data,
    generated_code,
    make_registration,
)

URL = "/api/v1/registrations/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def body(where, **overrides) -> dict:
    data = action_data(where, **overrides)
    data["region"] = getattr(data["region"], "pk", data["region"])
    data.setdefault("alliances", [])
    return data


@pytest.mark.django_db
def test_anonymous_registers_and_gets_only_id_and_status(api_client, region):
    alliance = AllianceFactory(status="active")
    response = api_client.post(URL, body(region, alliances=[alliance.pk]), format="json")
    assert response.status_code == 201
    registration = Registration.objects.get()
    assert response.json() == {"id": registration.pk, "status": "unconfirmed"}
    assert list(registration.alliances.all()) == [alliance]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("credit_code", "91310112MA1FL0XX0X"),
        ("unit_type", "spaceship"),
        ("region", 999999),
        ("address", ""),
        ("industry", "mining_on_mars"),
        ("party_org_type", "club"),
        ("party_member_count", -1),
        ("contact_name", ""),
        ("contact_phone", "12345678901"),
        ("contact_email", "not-an-email"),
        ("alliances", [999999]),
    ],
)
def test_each_wrong_field_is_named(api_client, region, field, value):
    response = api_client.post(URL, body(region, **{field: value}), format="json")
    assert response.status_code == 400
    assert field in {attr.split(".")[0] for attr in errors_by_field(response)}
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_district_level_region_is_refused(api_client, region):
    response = api_client.post(URL, body(region, region=region.parent), format="json")
    assert errors_by_field(response) == {"region": "invalid"}


@pytest.mark.django_db
def test_duplicate_code_against_a_unit_and_against_a_pending_registration(api_client, region):
    MemberUnitFactory(credit_code=CODE)
    make_registration(region, credit_code=OTHER_CODE)
    for code in (CODE, OTHER_CODE):
        response = api_client.post(URL, body(region, credit_code=code), format="json")
        assert response.status_code == 400
        assert errors_by_field(response) == {"credit_code": "unique"}


@pytest.mark.django_db
def test_race_on_the_insert_gives_a_400_naming_the_code(api_client, region, monkeypatch):
    monkeypatch.setattr(
        "members.api.registrations.registration_code_check", lambda code: code.upper()
    )
    make_registration(region)
    response = api_client.post(URL, body(region), format="json")
    assert response.status_code == 400
    assert errors_by_field(response) == {"credit_code": "unique"}


@pytest.mark.django_db
def test_refused_submissions_do_not_count_against_the_limit(api_client, region):
    """Issue 24.9: five invalid bodies leave the address its registrations."""
    for _ in range(5):
        assert api_client.post(URL, body(region, name=""), format="json").status_code == 400
    assert api_client.post(URL, body(region), format="json").status_code == 201


@pytest.mark.django_db
def test_sixth_accepted_registration_within_the_hour_is_429_and_not_saved(api_client, region):
    for n in range(5):
        data = body(region, credit_code=generated_code(n), contact_email=f"p{n}@example.org")
        assert api_client.post(URL, data, format="json").status_code == 201
    response = api_client.post(URL, body(region, credit_code=generated_code(9)), format="json")
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"
    assert Registration.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_confirm_approve_and_set_password_through_the_api(
    region, staff_api, staff_user, smtp_server
):
    anonymous = APIClient()
    created = anonymous.post(URL, body(region), format="json").json()
    [message] = smtp_server.wait_for(1)
    token = re.search(r"/register/confirm/([^/\s]+)/", message.get_content()).group(1)
    assert anonymous.post(URL + "confirm/", {"token": "wrong"}, format="json").status_code == 400
    response = anonymous.post(URL + "confirm/", {"token": token}, format="json")
    assert response.json() == {"id": created["id"], "status": "submitted"}

    response = staff_api.post(f"{URL}{created['id']}/approve/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "approved" and data["decided_by"] == staff_user.pk
    assert "confirm_token" not in data and "status_token" not in data
    contact = User.objects.get(unit_id=data["unit"])
    assert contact.unit.status == UnitStatus.ACTIVE
    again = staff_api.post(f"{URL}{created['id']}/approve/")
    assert again.status_code == 400

    approval = smtp_server.wait_for(3)[2]
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", approval.get_content()).group(1)
    client = anonymous  # any client: the link carries the proof
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Api-flow-2026", "new_password2": "Api-flow-2026"},
        format="multipart",
    )
    assert response.status_code == 302
    token_response = anonymous.post(
        "/api/v1/auth/token/",
        {"username": contact.username, "password": "Api-flow-2026"},
        format="json",
    )
    assert token_response.status_code == 200

    # Signed in with the token, the new contact asks to join an alliance.
    alliance = AllianceFactory(name="漕河泾开发区党建联盟", status="active")
    member = APIClient()
    member.credentials(HTTP_AUTHORIZATION=f"Token {token_response.json()['token']}")
    response = member.post(
        "/api/v1/join-requests/", {"alliance": alliance.pk, "message": "愿意共建"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unit"] == data["unit"]
    assert response.json()["status"] == "pending"


@pytest.mark.django_db(transaction=True)
def test_reject_needs_a_reason_and_mails_it(region, staff_api, smtp_server):
    registration = make_registration(region)
    assert staff_api.post(f"{URL}{registration.pk}/reject/", {}, format="json").status_code == 400
    response = staff_api.post(
        f"{URL}{registration.pk}/reject/", {"reason": "地址不在本区"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    [message] = smtp_server.wait_for(1)
    assert "地址不在本区" in message.get_content()


@pytest.mark.django_db
def test_secretary_lists_and_approves_only_their_subtree(region, secretary_api):
    mine = make_registration(region)
    elsewhere = make_registration(
        SubdistrictFactory(code="310104001", parent__code="310104"), credit_code=OTHER_CODE
    )
    response = secretary_api.get(URL)
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert secretary_api.get(f"{URL}{elsewhere.pk}/").status_code == 404
    assert secretary_api.post(f"{URL}{elsewhere.pk}/approve/").status_code == 404
    assert secretary_api.post(f"{URL}{mine.pk}/approve/").status_code == 200


@pytest.mark.django_db
def test_unit_contact_and_anonymous_cannot_list_or_decide(region, unit_api, api_client):
    registration = make_registration(region)
    assert api_client.get(URL).status_code == 401
    assert api_client.get(f"{URL}{registration.pk}/").status_code == 401
    assert api_client.post(f"{URL}{registration.pk}/approve/").status_code == 401
    assert unit_api.get(URL).status_code == 403
    assert unit_api.post(f"{URL}{registration.pk}/approve/").status_code == 403
    assert unit_api.post(f"{URL}{registration.pk}/reject/", {"reason": "x"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_list_filters_by_status(region, staff_api):
    submitted = make_registration(region)
    make_registration(region, credit_code=OTHER_CODE, status="rejected")
    response = staff_api.get(URL, {"status": "submitted"})
    assert [row["id"] for row in response.json()["results"]] == [submitted.pk]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_rows(region, staff_api, django_assert_max_num_queries):
    import random

    from members import credit_code

    alliance = AllianceFactory(status="active")
    make_registration(region).alliances.add(alliance)
    with CaptureQueriesContext(connection) as one:
        staff_api.get(URL)
    for n in range(5):
        make_registration(
            region, credit_code=credit_code.generate(random.Random(7000 + n))
        ).alliances.add(alliance)
    with django_assert_max_num_queries(len(one)):
        response = staff_api.get(URL)
    assert response.json()["count"] == 6
