"""Public registration, e-mail confirmation and staff review in the browser pages and the actions."""

import io
import random
import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from members import credit_code
from members.actions.registrations import (
    registration_approve,
    registration_confirm,
    registration_reject,
    registration_submit,
)
from members.choices import RegistrationStatus, UnitStatus
from members.forms import STARTED_SALT
from members.models import MemberUnit, Registration
from portal.accounts.models import User
from tests.auth import sign_in
from tests.factories import (
    AllianceFactory,
    MemberUnitFactory,
    SecretaryFactory,
    SubdistrictFactory,
)

CODE = credit_code.generate(random.Random(4242))
OTHER_CODE = credit_code.generate(random.Random(4343))


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def started(seconds_ago: float = 10) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def generated_code(n: int) -> str:
    return credit_code.generate(random.Random(8000 + n))


def form_data(where, **overrides) -> dict:
    data = {
        "name": "上海新虹示范科技有限公司",
        "credit_code": CODE,
        "unit_type": "private_enterprise",
        "region": where.pk,
        "address": "闵行区申长路 1 号",
        "industry": "digital_economy",
        "party_org_type": "branch",
        "party_member_count": "5",
        "contact_name": "王联络",
        "contact_phone": "13912345678",
        "contact_email": "wang@example.org",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


def action_data(where, **overrides) -> dict:
    data = form_data(where, **overrides)
    for key in ("website", "started"):
        data.pop(key)
    data["region"] = overrides.get("region", where)
    data["party_member_count"] = int(data["party_member_count"])
    return data


def make_registration(where, status=RegistrationStatus.SUBMITTED, **overrides) -> Registration:
    data = action_data(where, **overrides)
    return Registration.objects.create(**data, status=status)


def link_in(message, pattern: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://[^/\s]+({pattern}\S*)", body).group(1)


# The public form


@pytest.mark.django_db
def test_form_page_lists_regions_below_district_and_active_alliances(client, region):
    alliance = AllianceFactory(name="新虹党建联盟", status="active")
    AllianceFactory(name="已解散联盟", status="dissolved")
    response = client.get("/register/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "新虹街道" in html and "闵行区" not in html.split("<form")[1].split("</form>")[0]
    assert alliance.name in html and "已解散联盟" not in html
    assert 'class="visually-hidden"' in html
    assert "style=" not in html


@pytest.mark.django_db
def test_valid_submission_creates_an_unconfirmed_registration_and_mails_the_link(client, region):
    alliance = AllianceFactory(status="active")
    response = client.post("/register/", form_data(region, alliances=[alliance.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:registration-sent")
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.UNCONFIRMED
    assert registration.submitter_ip == "127.0.0.1"
    assert list(registration.alliances.all()) == [alliance]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("credit_code", "91310112MA1FL0XX0X"),
        ("credit_code", ""),
        ("unit_type", "spaceship"),
        ("region", ""),
        ("address", ""),
        ("industry", "mining_on_mars"),
        ("party_org_type", "club"),
        ("party_member_count", "-1"),
        ("contact_name", ""),
        ("contact_phone", "12345678901"),
        ("contact_phone", "1391234567"),
        ("contact_email", "not-an-email"),
        ("alliances", "999999"),
    ],
)
def test_each_wrong_field_is_named_and_the_input_is_kept(client, region, field, value):
    response = client.post("/register/", form_data(region, **{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    kept = "闵行区申长路 1 号" if field != "address" else "王联络"
    assert kept in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_district_region_is_refused(client, region):
    response = client.post("/register/", form_data(region, region=region.parent.pk))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["region"]


@pytest.mark.django_db
def test_code_of_an_existing_unit_is_refused_with_a_message_saying_so(client, region):
    MemberUnitFactory(credit_code=CODE)
    response = client.post("/register/", form_data(region))
    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == [
        gettext("This credit code already belongs to a member unit of the network.")
    ]


@pytest.mark.django_db
def test_code_of_a_pending_registration_is_refused(client, region):
    make_registration(region)
    response = client.post("/register/", form_data(region))
    assert response.status_code == 400
    assert "credit_code" in response.context["form"].errors
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_code_of_a_rejected_registration_may_register_again(client, region):
    make_registration(region, status=RegistrationStatus.REJECTED)
    response = client.post("/register/", form_data(region))
    assert response.status_code == 302


@pytest.mark.django_db
def test_second_insert_of_a_code_under_review_loses_to_the_constraint_with_a_clear_error(region):
    # As if two people passed the form check at the same moment: the first row is in, the second
    # reaches the insert.
    make_registration(region, status=RegistrationStatus.UNCONFIRMED)
    with pytest.raises(ValidationError) as caught:
        registration_submit(data=action_data(region), ip="10.0.0.2")
    assert caught.value.message_dict == {
        "credit_code": [gettext("A registration with this credit code is already under review.")]
    }
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_race_in_the_browser_form_shows_the_clear_error(client, region, monkeypatch):
    monkeypatch.setattr("members.forms.registration_code_check", lambda code: code.upper())
    make_registration(region)
    response = client.post("/register/", form_data(region))
    assert response.status_code == 400
    assert "credit_code" in response.context["form"].errors


@pytest.mark.django_db
def test_filled_honeypot_is_refused(client, region):
    response = client.post("/register/", form_data(region, website="http://spam.example"))
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["honeypot"]
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_complete_form_sent_at_once_is_accepted(client, region):
    """Issue 24.9: people who fill in fast (autofill, a pasted code) are not refused."""
    response = client.post("/register/", form_data(region, started=started(seconds_ago=0)))
    assert response.status_code == 302
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_form_older_than_a_day_or_forged_is_refused(client, region):
    old = client.post("/register/", form_data(region, started=started(seconds_ago=90000)))
    forged = client.post("/register/", form_data(region, started="forged"))
    assert old.status_code == forged.status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_failed_submissions_do_not_count_against_the_limit(client, region):
    """Issue 24.9: only accepted registrations count; five mistakes leave the sixth try free."""
    for _ in range(5):
        assert client.post("/register/", form_data(region, name="")).status_code == 400
    assert client.post("/register/", form_data(region)).status_code == 302
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_sixth_accepted_registration_within_the_hour_is_answered_429(client, region):
    for n in range(5):
        data = form_data(region, credit_code=generated_code(n), contact_email=f"p{n}@example.org")
        assert client.post("/register/", data).status_code == 302
    response = client.post("/register/", form_data(region, credit_code=generated_code(9)))
    assert response.status_code == 429
    assert gettext("Too many registrations were submitted from your address.") in (
        response.content.decode()
    )
    assert Registration.objects.count() == 5


@pytest.mark.django_db
def test_rate_limit_is_per_address_and_a_setting(client, region, settings):
    settings.REGISTRATION_RATE_LIMIT = "1/h"
    assert client.post("/register/", form_data(region, name="")).status_code == 400
    assert client.post("/register/", form_data(region)).status_code == 302
    again = client.post("/register/", form_data(region, credit_code=generated_code(1)))
    assert again.status_code == 429
    other = client.post(
        "/register/", form_data(region, credit_code=generated_code(2)), REMOTE_ADDR="10.1.1.1"
    )
    assert other.status_code == 302
    assert Registration.objects.count() == 2


# Confirmation, approval, rejection through real mail


@pytest.mark.django_db(transaction=True)
def test_the_whole_flow_through_real_mail(client, region, staff_user, smtp_server):
    alliance = AllianceFactory(name="新虹党建联盟", status="active")
    response = client.post("/register/", form_data(region, alliances=[alliance.pk]))
    assert response.status_code == 302
    [confirmation] = smtp_server.wait_for(1)
    assert confirmation["To"] == "wang@example.org"
    confirm_path = link_in(confirmation, "/register/confirm/")

    response = client.get(confirm_path)
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert response["Location"] == reverse(
        "members:registration-status", args=[registration.status_token]
    )
    submitted = smtp_server.wait_for(2)[1]
    status_path = link_in(submitted, "/register/status/")
    page = client.get(status_path).content.decode()
    assert str(RegistrationStatus.SUBMITTED.label) in page

    client.force_login(staff_user)
    response = client.post(f"/registrations/{registration.pk}/approve/")
    assert response.status_code == 302
    client.logout()
    registration.refresh_from_db()
    unit = registration.unit
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.decided_by == staff_user and registration.decided_at
    assert unit.status == UnitStatus.ACTIVE and unit.credit_code == CODE
    contact = User.objects.get(unit=unit)
    assert contact.role == "unit_contact" and not contact.has_usable_password()
    assert contact.username == "wang@example.org"

    approval = smtp_server.wait_for(3)[2]
    assert alliance.name in approval.get_body(("plain",)).get_content()
    password_path = link_in(approval, "/accounts/reset/")
    response = client.get(password_path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Xinhong-2026-pass", "new_password2": "Xinhong-2026-pass"}
    )
    assert response.status_code == 302
    assert sign_in(client, "wang@example.org", "Xinhong-2026-pass")


@pytest.mark.django_db(transaction=True)
def test_reject_mails_the_reason(client, region, staff_user, smtp_server):
    registration = make_registration(region)
    client.force_login(staff_user)
    refused = client.post(f"/registrations/{registration.pk}/reject/", {"reason": ""})
    assert refused.status_code == 400
    response = client.post(
        f"/registrations/{registration.pk}/reject/", {"reason": "信用代码与营业执照不符"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.decided_by == staff_user and registration.decided_at
    [message] = smtp_server.wait_for(1)
    assert "信用代码与营业执照不符" in message.get_body(("plain",)).get_content()
    assert not MemberUnit.objects.exists()


@pytest.mark.django_db
def test_confirm_with_a_wrong_token_is_404_and_twice_is_harmless(client, region):
    registration = make_registration(region, status=RegistrationStatus.UNCONFIRMED)
    assert client.get("/register/confirm/nope/").status_code == 404
    for _ in range(2):
        response = client.get(f"/register/confirm/{registration.confirm_token}/")
        assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_unconfirmed_registration_cannot_be_approved(region, staff_user):
    registration = make_registration(region, status=RegistrationStatus.UNCONFIRMED)
    with pytest.raises(ValidationError):
        registration_approve(registration=registration, by=staff_user)
    assert not MemberUnit.objects.exists()


@pytest.mark.django_db
def test_approve_after_a_unit_took_the_code_meanwhile_gives_a_clear_error(region, staff_user):
    registration = make_registration(region)
    MemberUnitFactory(credit_code=CODE)
    with pytest.raises(ValidationError) as caught:
        registration_approve(registration=registration, by=staff_user)
    assert "credit_code" in caught.value.message_dict
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_approve_gives_a_new_username_when_the_email_is_taken(region, staff_user):
    SecretaryFactory(username="wang@example.org", region=region)
    registration = registration_approve(registration=make_registration(region), by=staff_user)
    assert User.objects.get(unit=registration.unit).username == "wang@example.org-2"


@pytest.mark.django_db
def test_reject_needs_a_reason(region, staff_user):
    registration = make_registration(region)
    with pytest.raises(ValidationError) as caught:
        registration_reject(registration=registration, by=staff_user, reason="  ")
    assert "reason" in caught.value.message_dict


@pytest.mark.django_db
def test_confirm_action_refuses_an_unknown_token():
    with pytest.raises(ValidationError):
        registration_confirm(token="unknown")


# Review pages: scope, permissions, similar units, query counts


@pytest.mark.django_db
def test_secretary_sees_and_decides_only_their_subtree(client, region, secretary_user):
    mine = make_registration(region)
    elsewhere = make_registration(
        SubdistrictFactory(code="310104001", parent__code="310104"), credit_code=OTHER_CODE
    )
    client.force_login(secretary_user)
    response = client.get("/registrations/")
    assert list(response.context["object_list"]) == [mine]
    assert client.get(f"/registrations/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/registrations/{elsewhere.pk}/approve/").status_code == 404
    assert client.post(f"/registrations/{mine.pk}/approve/").status_code == 302


@pytest.mark.django_db
def test_unit_contact_and_anonymous_cannot_review(client, region, unit_user):
    registration = make_registration(region)
    for path in ("/registrations/", f"/registrations/{registration.pk}/"):
        assert client.get(path).status_code == 302  # to the sign-in page
    assert client.post(f"/registrations/{registration.pk}/approve/").status_code == 302
    client.force_login(unit_user)
    assert client.get("/registrations/").status_code == 403
    assert client.post(f"/registrations/{registration.pk}/approve/").status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_detail_shows_units_with_the_same_code_or_a_similar_name_in_the_region(
    client, region, staff_user
):
    registration = make_registration(region, credit_code=OTHER_CODE)
    same_code = MemberUnitFactory(name="别的名字有限公司", credit_code=OTHER_CODE)
    similar = MemberUnitFactory(name="上海新虹示范物业公司", region=region)
    MemberUnitFactory(name="上海新虹示范远方公司")  # another region
    client.force_login(staff_user)
    response = client.get(f"/registrations/{registration.pk}/")
    assert set(response.context["similar_units"]) == {same_code, similar}


@pytest.mark.django_db
def test_queue_filters_by_status_region_and_text(client, region, staff_user):
    submitted = make_registration(region)
    make_registration(region, credit_code=OTHER_CODE, status="rejected", name="另一家公司")
    client.force_login(staff_user)
    assert list(client.get("/registrations/?status=submitted").context["object_list"]) == [
        submitted
    ]
    assert len(client.get(f"/registrations/?region={region.code}").context["object_list"]) == 2
    assert (
        list(client.get("/registrations/?q=另一家").context["object_list"])[0].name == "另一家公司"
    )
    assert not client.get("/registrations/?region=000").context["object_list"]


@pytest.mark.django_db
def test_queue_page_query_count_does_not_grow_with_rows(
    client, region, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    make_registration(region)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/registrations/")
    for n in range(5):
        make_registration(
            region, credit_code=credit_code.generate(random.Random(9000 + n)), name=f"公司{n}"
        )
    with django_assert_max_num_queries(len(one)):
        response = client.get("/registrations/")
    assert len(response.context["object_list"]) == 6


@pytest.mark.django_db
def test_decisions_are_kept_in_the_history(region, staff_user):
    registration = registration_approve(registration=make_registration(region), by=staff_user)
    assert registration.history.first().status == RegistrationStatus.APPROVED
    assert registration.history.first().decided_by == staff_user


@pytest.mark.django_db
def test_deciding_twice_in_the_browser_says_why_and_changes_nothing(client, region, staff_user):
    registration = make_registration(region, status=RegistrationStatus.REJECTED)
    client.force_login(staff_user)
    response = client.post(f"/registrations/{registration.pk}/approve/")
    assert response.status_code == 409
    assert gettext("Only a registration awaiting review can be approved or rejected.") in (
        response.content.decode()
    )
    assert not MemberUnit.objects.exists()


@pytest.mark.django_db
def test_registration_never_confirmed_in_time_gives_its_code_up(client, region, settings):
    stale = make_registration(region, status=RegistrationStatus.UNCONFIRMED)
    Registration.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=49))
    expired = client.get(f"/register/confirm/{stale.confirm_token}/")
    assert expired.status_code == 404
    assert gettext("This confirmation link has expired; please register again.") in (
        expired.content.decode()
    )
    response = client.post("/register/", form_data(region))
    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.status == RegistrationStatus.REJECTED
    assert Registration.objects.get(status=RegistrationStatus.UNCONFIRMED).pk != stale.pk


@pytest.mark.django_db
def test_registration_within_the_confirmation_window_still_holds_its_code(client, region):
    recent = make_registration(region, status=RegistrationStatus.UNCONFIRMED)
    Registration.objects.filter(pk=recent.pk).update(
        created_at=timezone.now() - timedelta(hours=47)
    )
    assert client.post("/register/", form_data(region)).status_code == 400


# --- export (issue 24) -------------------------------------------------------------------------


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


@pytest.mark.django_db
def test_queue_exports_the_filter_in_the_reviewer_scope(
    client, region, secretary_user, secretary_api
):
    mine = make_registration(region)
    make_registration(
        region, status=RegistrationStatus.REJECTED, credit_code=OTHER_CODE, name="别家"
    )
    make_registration(
        SubdistrictFactory(code="310104001", parent__code="310104"),
        credit_code=credit_code.generate(random.Random(77)),
        name="外区公司",
    )
    client.force_login(secretary_user)
    assert 'data-testid="registration-export"' in client.get("/registrations/").content.decode()
    rows = xlsx_rows(client.get("/registrations/", {"format": "xlsx"}))
    assert rows[0][:3] == ("单位名称", "统一社会信用代码", "单位类型")
    assert rows[0][9:12] == ("联系人", "手机号码", "电子邮箱")
    assert sorted(row[0] for row in rows[1:]) == sorted([mine.name, "别家"])
    rows = xlsx_rows(client.get("/registrations/", {"status": "submitted", "format": "xlsx"}))
    assert [row[:2] for row in rows[1:]] == [(mine.name, mine.credit_code)]
    assert rows[1][3:5] == ("新虹街道", "310112008")
    rows = xlsx_rows(secretary_api.get("/api/v1/registrations/export/", {"status": "submitted"}))
    assert [row[0] for row in rows[1:]] == [mine.name]


@pytest.mark.django_db
def test_queue_export_query_count_does_not_grow_with_rows(
    client, region, staff_user, staff_api, django_assert_num_queries
):
    client.force_login(staff_user)
    make_registration(region)
    # Session, user, the rows, the export record (the API: token with its user instead, and the
    # alliances the rows name, prefetched as its list does).
    with django_assert_num_queries(4) as page:
        xlsx_rows(client.get("/registrations/", {"format": "xlsx"}))
    with django_assert_num_queries(4) as via_api:
        xlsx_rows(staff_api.get("/api/v1/registrations/export/"))
    for n in range(5):
        make_registration(
            region, credit_code=credit_code.generate(random.Random(9100 + n)), name=f"公司{n}"
        )
    with django_assert_num_queries(len(page.captured_queries)):
        assert len(xlsx_rows(client.get("/registrations/", {"format": "xlsx"}))) == 7
    with django_assert_num_queries(len(via_api.captured_queries)):
        assert len(xlsx_rows(staff_api.get("/api/v1/registrations/export/"))) == 7
