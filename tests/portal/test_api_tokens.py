"""API tokens (issue 10): stored as digests, revocable, optionally read-only; listed in the API, on a
page of their own and in the admin."""

import datetime
import hashlib
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from portal.accounts.actions import api_token_create
from portal.accounts.models import ApiToken
from portal.notifications.models import Notification
from portal.regions.models import Region
from tests.auth import api_key_for, sign_in
from tests.factories import RegionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2026"
TOKENS = "/api/v1/auth/tokens/"
PAGE = "/accounts/tokens/"
REGIONS = "/api/v1/regions/"


def client_with(key: str, **extra) -> APIClient:
    client = APIClient(**extra)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def detail_of(response) -> str:
    return response.json()["errors"][0]["detail"]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return gettext(message)


# --- the model and its actions ---------------------------------------------------------------


def test_only_a_digest_and_a_short_prefix_of_the_key_are_stored(staff_user):
    token, key = api_token_create(user=staff_user, name="数据大屏")
    assert len(key) >= 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in [str(value) for value in stored.values()]
    assert stored["digest"] == hashlib.sha256(key.encode()).hexdigest()
    assert stored["prefix"] == key[:8]
    assert api_token_create(user=staff_user)[1] != key


def test_an_expiry_must_lie_ahead(staff_user):
    with pytest.raises(ValidationError) as refused:
        api_token_create(user=staff_user, expires_at=timezone.now() - datetime.timedelta(hours=1))
    assert "expires_at" in refused.value.message_dict
    token, _key = api_token_create(user=staff_user)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at)


def test_last_used_is_stamped_at_most_once_a_minute_with_one_update(
    staff_user, time_machine, django_assert_num_queries
):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    token, key = api_token_create(user=staff_user)
    client = client_with(key)
    # The token with its user, the stamp (an UPDATE of one column), the count, the page.
    with django_assert_num_queries(4) as first:
        assert client.get(TOKENS).status_code == 200
    assert first.captured_queries[1]["sql"].startswith("UPDATE")
    assert '"last_used_at"' in first.captured_queries[1]["sql"]
    assert "name" not in first.captured_queries[1]["sql"].split("WHERE")[0]
    token.refresh_from_db()
    assert token.last_used_at == timezone.now()

    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=50), tick=False)
    with django_assert_num_queries(3):
        client.get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at == timezone.now() - datetime.timedelta(seconds=50)

    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=20), tick=False)
    client.get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at == timezone.now()


def test_the_migration_turns_drf_tokens_into_api_tokens_and_clears_them(staff_user):
    migration = importlib.import_module("portal.accounts.migrations.0004_apitoken")
    legacy_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp "
            "with time zone NOT NULL, user_id bigint NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created datetime "
            "NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [legacy_key, "2026-03-01 08:00:00", staff_user.pk],
        )
    migration.convert_drf_tokens(apps, SimpleNamespace(connection=connection))

    token = ApiToken.objects.get(user=staff_user)
    assert token.prefix == "9944b091" and not token.read_only and token.revoked_at is None
    assert token.created_at.date() == datetime.date(2026, 3, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no key is left in clear
    # The client that had the old key goes on working.
    assert client_with(legacy_key).get(TOKENS).json()["results"][0]["id"] == token.pk


# --- authentication --------------------------------------------------------------------------


def test_a_key_authenticates_as_its_user_and_a_wrong_one_is_a_401(staff_user):
    assert client_with(api_key_for(staff_user)).get(TOKENS).status_code == 200
    wrong = client_with("not-a-key").get(TOKENS)
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_refused_with_a_clear_message(staff_user):
    token, key = api_token_create(user=staff_user)
    client = client_with(key)
    assert client.get(REGIONS).status_code == 200
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    refused = client.get(REGIONS)
    assert refused.status_code == 401
    assert detail_of(refused) == zh(
        "This API token has been revoked; create a new one under “API tokens”."
    )
    assert "revoked" in detail_of(client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="en"))


def test_an_expired_token_is_refused_naming_the_date(staff_user, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 1, 0, tzinfo=datetime.UTC), tick=False)
    _token, key = api_token_create(
        user=staff_user, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    client = client_with(key)
    assert client.get(REGIONS).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1), tick=False)
    refused = client.get(REGIONS, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 401
    assert "expired" in detail_of(refused)
    assert "2026-11-03 09:00" in detail_of(refused)  # Shanghai time


def test_the_token_of_a_deactivated_user_is_refused(staff_user):
    client = client_with(api_key_for(staff_user))
    staff_user.is_active = False
    staff_user.save()
    assert client.get(REGIONS).status_code == 401


def test_a_read_only_token_reads_but_every_write_is_refused(staff_user):
    region = RegionFactory(code="310000", name="上海市")
    note = Notification.objects.create(user=staff_user, title="提醒")
    _token, key = api_token_create(user=staff_user, name="数据大屏", read_only=True)
    reader = client_with(key)
    assert reader.get(REGIONS).json()["count"] == 1
    assert reader.get("/api/v1/notifications/").json()["count"] == 1

    writes = [
        reader.post(REGIONS, {"code": "1", "name": "省", "level": "province"}),
        reader.patch(f"{REGIONS}{region.pk}/", {"name": "上海"}),
        reader.delete(f"{REGIONS}{region.pk}/"),
        reader.post(f"/api/v1/notifications/{note.pk}/read/"),
        reader.post(TOKENS, {"name": "more"}),
    ]
    assert [response.status_code for response in writes] == [403] * 5
    assert detail_of(writes[0]) == zh(
        "This API token is read-only: it can read, but not create, change or delete."
    )
    assert list(Region.objects.values_list("name", flat=True)) == ["上海市"]
    note.refresh_from_db()
    assert note.read_at is None
    assert ApiToken.objects.filter(user=staff_user).count() == 1
    # The same user's read-write token may write.
    writer = client_with(api_key_for(staff_user))
    assert writer.patch(f"{REGIONS}{region.pk}/", {"name": "上海"}).status_code == 200


# --- POST /api/v1/auth/token/ ----------------------------------------------------------------


def test_the_password_exchange_issues_a_new_named_token_each_time(api_client, staff_user):
    first = api_client.post(
        "/api/v1/auth/token/",
        {"username": "staff-user", "password": PASSWORD, "name": "数据大屏", "read_only": True},
    )
    assert first.status_code == 200
    body = first.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert body["token"][:8] == body["prefix"] == token.prefix
    assert (body["name"], body["read_only"], token.name, token.read_only) == (
        "数据大屏",
        True,
        "数据大屏",
        True,
    )
    second = api_client.post(
        "/api/v1/auth/token/", {"username": "staff-user", "password": PASSWORD}
    )
    assert second.json()["token"] != body["token"]
    assert second.json()["read_only"] is False
    assert client_with(body["token"]).post(REGIONS, {"code": "1"}).status_code == 403
    assert client_with(second.json()["token"]).get(TOKENS).json()["count"] == 2


# --- /api/v1/auth/tokens/ --------------------------------------------------------------------


def test_the_list_holds_my_tokens_only_and_never_a_key(staff_user, staff_api):
    api_token_create(user=UserFactory(), name="别人的")
    api_token_create(user=staff_user, name="数据大屏", read_only=True)
    rows = staff_api.get(TOKENS).json()["results"]
    assert [row["name"] for row in rows] == ["数据大屏", ""]
    assert rows[0]["read_only"] is True and rows[0]["status"] == "active"
    assert all(set(row) >= {"id", "prefix", "created_at", "last_used_at"} for row in rows)
    assert not any("token" in row or "digest" in row for row in rows)


def test_the_list_query_count_does_not_grow_with_tokens(
    staff_user, staff_api, django_assert_num_queries
):
    # The token with its user, the count, the page.
    with django_assert_num_queries(3):
        assert staff_api.get(TOKENS).json()["count"] == 1
    for n in range(30):
        api_token_create(user=staff_user, name=f"脚本{n}")
    with django_assert_num_queries(3):
        assert len(staff_api.get(TOKENS).json()["results"]) == 31


def test_create_answers_the_key_once_and_it_works(staff_api):
    created = staff_api.post(TOKENS, {"name": "周报脚本", "read_only": True})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "active" and body["read_only"] is True
    listed = client_with(body["token"]).get(TOKENS).json()["results"]
    assert body["id"] in [row["id"] for row in listed]
    assert body["token"] not in str(listed)


def test_create_refuses_a_past_expiry_or_no_name_naming_the_field(staff_api):
    refused = staff_api.post(TOKENS, {"name": "x", "expires_at": "2020-01-01T00:00:00+08:00"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "expires_at"
    nameless = staff_api.post(TOKENS, {})
    assert nameless.status_code == 400
    assert nameless.json()["errors"][0]["attr"] == "name"
    assert not ApiToken.objects.filter(name="x").exists()


def test_a_signed_in_browser_session_creates_a_token(staff_user):
    client = APIClient()
    client.force_login(staff_user)
    assert client.post(TOKENS, {"name": "会话"}).status_code == 201
    assert ApiToken.objects.filter(user=staff_user, name="会话").exists()


def test_revoking_my_token_stops_it_at_once(staff_user, staff_api):
    token, key = api_token_create(user=staff_user, name="旧脚本")
    victim = client_with(key)
    assert victim.get(REGIONS).status_code == 200
    assert staff_api.delete(f"{TOKENS}{token.pk}/").status_code == 204
    assert victim.get(REGIONS).status_code == 401
    row = next(row for row in staff_api.get(TOKENS).json()["results"] if row["id"] == token.pk)
    assert row["status"] == "revoked" and row["revoked_at"]
    assert staff_api.delete(f"{TOKENS}{token.pk}/").status_code == 204  # again: nothing changes


def test_another_users_token_is_a_404_and_keeps_working(staff_api):
    other, key = api_token_create(user=UserFactory(), name="别人的")
    assert staff_api.delete(f"{TOKENS}{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert client_with(key).get(TOKENS).status_code == 200


def test_anonymous_gets_a_401(api_client):
    assert api_client.get(TOKENS).status_code == 401
    assert api_client.post(TOKENS, {"name": "x"}).status_code == 401


# --- the page /accounts/tokens/ --------------------------------------------------------------


@pytest.fixture
def browser(unit_user):
    client = Client()
    assert sign_in(client, unit_user.username, PASSWORD)
    return client


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_my_tokens_and_links_from_the_menu(browser, unit_user):
    api_token_create(user=unit_user, name="数据大屏", read_only=True)
    revoked, _key = api_token_create(user=unit_user, name="旧脚本")
    revoked.revoked_at = timezone.now()
    revoked.save(update_fields=["revoked_at"])
    api_token_create(user=UserFactory(), name="别人的令牌")
    response = browser.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="api-tokens-link"' in html and f'href="{PAGE}"' in html
    assert html.count('data-testid="token-row"') == 2
    assert "数据大屏" in html and "旧脚本" in html and "别人的令牌" not in html
    assert html.count('data-testid="revoke"') == 1  # the revoked one has no button
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_creating_on_the_page_shows_the_key_once(browser, unit_user):
    response = browser.post(PAGE, {"name": "数据大屏", "read_only": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert f'value="{key}"' in response.content.decode()
    token = ApiToken.objects.get(user=unit_user)
    assert (token.name, token.read_only, token.digest) == (
        "数据大屏",
        True,
        ApiToken.digest_of(key),
    )
    assert key not in browser.get(PAGE).content.decode()


def test_a_token_without_a_name_is_a_form_error(browser):
    response = browser.post(PAGE, {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_revoke_button_revokes_my_token_and_not_anothers(browser, unit_user):
    mine, key = api_token_create(user=unit_user, name="旧脚本")
    theirs, _key = api_token_create(user=UserFactory(), name="别人的")
    response = browser.post(f"{PAGE}{mine.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == PAGE
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert client_with(key).get(TOKENS).status_code == 401
    assert browser.post(f"{PAGE}{theirs.pk}/revoke/").status_code == 404
    assert browser.get(f"{PAGE}{mine.pk}/revoke/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_forms_need_the_csrf_token(unit_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(unit_user)
    token, _key = api_token_create(user=unit_user)
    assert client.post(PAGE, {"name": "x"}).status_code == 403
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1


def test_the_page_query_count_does_not_grow_with_tokens(browser, unit_user):
    api_token_create(user=unit_user)
    with CaptureQueriesContext(connection) as few:
        browser.get(PAGE)
    for n in range(20):
        api_token_create(user=unit_user, name=f"脚本{n}")
    with CaptureQueriesContext(connection) as many:
        assert browser.get(PAGE).content.decode().count('data-testid="token-row"') == 21
    assert len(many) == len(few)


# --- the admin -------------------------------------------------------------------------------


def test_staff_see_everyones_tokens_in_the_admin_and_revoke_them(client):
    staff = StaffFactory(username="admin-staff")
    first, key = api_token_create(user=UserFactory(username="contact-a"), name="大屏甲")
    second, _key = api_token_create(user=UserFactory(username="contact-b"), name="脚本乙")
    client.force_login(staff)
    changelist = "/admin/accounts/apitoken/"
    html = client.get(changelist).content.decode()
    assert "大屏甲" in html and "脚本乙" in html and first.digest not in html
    assert client.get(f"{changelist}{first.pk}/change/").status_code == 200
    assert client.get(f"{changelist}add/").status_code == 403
    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [first.pk]}, follow=True
    )
    assert response.status_code == 200
    assert list(ApiToken.objects.filter(revoked_at__isnull=False)) == [first]
    assert client_with(key).get(TOKENS).status_code == 401
    assert ApiToken.objects.filter(Q(pk=second.pk) & Q(revoked_at__isnull=True)).exists()


def test_other_roles_do_not_reach_the_token_admin(client, unit_user):
    client.force_login(unit_user)
    assert client.get("/admin/accounts/apitoken/").status_code == 302
