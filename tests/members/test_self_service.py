"""A unit contact keeps the unit's profile (name, code and type only with staff's approval) and invites colleagues."""

import random

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from members import credit_code
from members.actions.unit_changes import (
    unit_change_approve,
    unit_change_reject,
    unit_profile_update,
)
from members.actions.units import unit_contact_invite
from members.choices import ChangeStatus
from members.models import MemberUnit, UnitChange
from portal.accounts.models import User
from tests.auth import sign_in
from tests.factories import MemberUnitFactory, StaffFactory, UserFactory
from tests.members.test_registration import make_registration

NEW_CODE = credit_code.generate(random.Random(9191))


@pytest.fixture
def contact(db):
    unit = MemberUnitFactory(name="申城生物科技有限公司", contact_email="old@example.org")
    return UserFactory(username="contact", unit=unit, email="contact@example.org")


@pytest.fixture
def staff(db):
    return StaffFactory(username="reviewer")


def profile_post(unit: MemberUnit, **overrides) -> dict:
    data = {
        "name": unit.name,
        "credit_code": unit.credit_code,
        "unit_type": unit.unit_type,
        "region": unit.region_id,
        "address": unit.address,
        "industry": unit.industry,
        "employee_count": "",
        "party_org_type": unit.party_org_type,
        "party_member_count": unit.party_member_count,
        "contact_name": unit.contact_name,
        "contact_phone": unit.contact_phone,
        "contact_email": unit.contact_email,
    }
    data.update(overrides)
    return data


# ---- actions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ordinary_fields_apply_at_once_and_history_names_the_contact(contact):
    unit = contact.unit
    change = unit_profile_update(
        unit=unit, by=contact, data={"address": "虹梅路1号", "party_member_count": 12}
    )
    unit.refresh_from_db()
    assert change is None
    assert (unit.address, unit.party_member_count) == ("虹梅路1号", 12)
    latest = unit.history.first()
    assert latest.history_user == contact
    assert not UnitChange.objects.exists()


@pytest.mark.django_db
def test_name_code_and_type_wait_for_review_while_the_rest_applies(contact):
    unit = contact.unit
    old_name, old_code = unit.name, unit.credit_code
    change = unit_profile_update(
        unit=unit,
        by=contact,
        data={"name": "申城生物医药有限公司", "credit_code": NEW_CODE.lower(), "address": "新址"},
    )
    unit.refresh_from_db()
    assert (unit.name, unit.credit_code, unit.address) == (old_name, old_code, "新址")
    assert change.status == ChangeStatus.PENDING
    assert (change.name, change.credit_code) == ("申城生物医药有限公司", NEW_CODE)
    assert change.requested_by == contact
    assert [row[2] for row in change.differences()] == ["申城生物医药有限公司", NEW_CODE]


@pytest.mark.django_db
def test_a_newer_edit_replaces_the_pending_change(contact):
    unit = contact.unit
    first = unit_profile_update(unit=unit, by=contact, data={"name": "甲"})
    second = unit_profile_update(unit=unit, by=contact, data={"name": "乙"})
    assert first.pk == second.pk
    assert UnitChange.objects.get().name == "乙"


@pytest.mark.django_db
def test_only_one_pending_change_per_unit_is_allowed_by_the_database(contact):
    unit_profile_update(unit=contact.unit, by=contact, data={"name": "甲"})
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitChange.objects.create(
            unit=contact.unit, name="乙", unit_type="private_enterprise", requested_by=contact
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"credit_code": "91310112MA1FL0XX0X"}, "credit_code"),
        ({"credit_code": ""}, "credit_code"),  # enterprises must have one
        ({"unit_type": "spaceship"}, "unit_type"),
        ({"name": ""}, "name"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"key_target": True}, "key_target"),
    ],
)
def test_refused_values_name_their_field_and_change_nothing(contact, data, field):
    unit = contact.unit
    before = MemberUnit.objects.filter(pk=unit.pk).values().get()
    with pytest.raises(ValidationError) as caught:
        unit_profile_update(unit=unit, by=contact, data={"address": "不应保存", **data})
    assert field in caught.value.message_dict
    assert MemberUnit.objects.filter(pk=unit.pk).values().get() == before
    assert not UnitChange.objects.exists()


@pytest.mark.django_db
def test_a_code_of_another_unit_or_a_registration_under_review_is_refused(contact, region):
    other = MemberUnitFactory()
    with pytest.raises(ValidationError) as caught:
        unit_profile_update(unit=contact.unit, by=contact, data={"credit_code": other.credit_code})
    assert caught.value.message_dict["credit_code"] == [
        _("This credit code already belongs to another member unit.")
    ]
    make_registration(region, credit_code=NEW_CODE)
    with pytest.raises(ValidationError) as caught:
        unit_profile_update(unit=contact.unit, by=contact, data={"credit_code": NEW_CODE})
    assert caught.value.message_dict["credit_code"] == [
        _("A registration with this credit code is already under review.")
    ]


@pytest.mark.django_db
def test_dropping_the_party_organization_also_drops_organization_coverage(contact):
    unit = contact.unit
    assert unit.org_covered
    unit_profile_update(unit=unit, by=contact, data={"party_org_type": "none"})
    unit.refresh_from_db()
    assert (unit.party_org_type, unit.org_covered) == ("none", False)


@pytest.mark.django_db
def test_approval_applies_the_change_and_mails_the_contacts(
    contact, staff, django_capture_on_commit_callbacks
):
    change = unit_profile_update(
        unit=contact.unit, by=contact, data={"name": "新名称", "credit_code": NEW_CODE}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unit_change_approve(change=change, by=staff)
    unit = MemberUnit.objects.get(pk=contact.unit_id)
    change.refresh_from_db()
    assert (unit.name, unit.credit_code) == ("新名称", NEW_CODE)
    assert (change.status, change.decided_by) == (ChangeStatus.APPROVED, staff)
    assert unit.history.first().history_user == staff
    assert [m.to for m in mail.outbox] == [["contact@example.org"]]
    assert "新名称" in mail.outbox[0].body


@pytest.mark.django_db
def test_approval_is_refused_when_another_unit_took_the_code_meanwhile(contact, staff):
    change = unit_profile_update(unit=contact.unit, by=contact, data={"credit_code": NEW_CODE})
    MemberUnitFactory(credit_code=NEW_CODE)
    with pytest.raises(ValidationError) as caught:
        unit_change_approve(change=change, by=staff)
    assert "credit_code" in caught.value.message_dict
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_mails_it(contact, staff, django_capture_on_commit_callbacks):
    change = unit_profile_update(unit=contact.unit, by=contact, data={"name": "新名称"})
    with pytest.raises(ValidationError):
        unit_change_reject(change=change, by=staff, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unit_change_reject(change=change, by=staff, reason="名称与营业执照不符")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert MemberUnit.objects.get(pk=contact.unit_id).name == "申城生物科技有限公司"
    assert "名称与营业执照不符" in mail.outbox[0].body
    with pytest.raises(ValidationError) as caught:
        unit_change_approve(change=change, by=staff)
    assert "status" in caught.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_invited_colleague_gets_an_account_and_sets_a_password_through_real_mail(
    contact, client, smtp_server
):
    colleague = unit_contact_invite(
        unit=contact.unit,
        by=contact,
        name="李四",
        email="li@example.org",
        phone="13912345678",
        base_url="http://testserver/",
    )
    assert (colleague.unit, colleague.role, colleague.has_usable_password()) == (
        contact.unit,
        "unit_contact",
        False,
    )
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "li@example.org"
    body = message.get_body(("plain",)).get_content()
    assert contact.unit.name in body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link.replace("http://testserver", ""), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Colleague-2026-pass", "new_password2": "Colleague-2026-pass"}
    )
    assert response.status_code == 302
    assert sign_in(client, colleague.username, "Colleague-2026-pass")


@pytest.mark.django_db
def test_invitations_refuse_a_known_address_and_stop_at_the_limit(contact, settings):
    with pytest.raises(ValidationError) as caught:
        unit_contact_invite(unit=contact.unit, by=contact, name="重复", email="CONTACT@example.org")
    assert caught.value.message_dict["email"] == [
        _("This e-mail address already has an account in the portal.")
    ]
    settings.UNIT_CONTACTS_MAX = 2
    unit_contact_invite(unit=contact.unit, by=contact, name="二号", email="two@example.org")
    with pytest.raises(ValidationError) as caught:
        unit_contact_invite(unit=contact.unit, by=contact, name="三号", email="three@example.org")
    assert caught.value.message_dict["email"] == [
        _("A unit can have at most %(n)s contacts.") % {"n": 2}
    ]
    assert User.objects.filter(unit=contact.unit).count() == 2


# ---- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_unit_leads_to_the_unit_page_with_edit_contacts_and_history(client, contact):
    client.force_login(contact)
    response = client.get("/my-unit/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/units/{contact.unit_id}/"
    assert 'data-testid="edit-profile"' in page
    assert 'data-testid="invite-form"' in page
    assert "contact@example.org" in page
    assert 'data-testid="history"' in page


@pytest.mark.django_db
def test_other_units_pages_show_no_self_service(client, contact):
    other = MemberUnitFactory()
    client.force_login(UserFactory(username="outsider", unit=other))
    page = client.get(f"/units/{other.pk}/").content.decode()
    assert 'data-testid="edit-profile"' in page
    client.force_login(contact)
    assert client.get(f"/units/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_profile_form_saves_and_sends_the_name_to_review(client, contact):
    client.force_login(contact)
    unit = contact.unit
    response = client.post(
        "/my-unit/edit/", profile_post(unit, name="申城新名称", address="漕宝路8号"), follow=True
    )
    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.address == "漕宝路8号"
    assert unit.name == "申城生物科技有限公司"
    assert UnitChange.objects.get().name == "申城新名称"
    assert 'data-testid="pending-change"' in response.content.decode()
    # The form shows the pending values when opened again.
    assert 'value="申城新名称"' in client.get("/my-unit/edit/").content.decode()


@pytest.mark.django_db
def test_profile_form_names_a_wrong_code_and_keeps_the_input(client, contact):
    client.force_login(contact)
    response = client.post(
        "/my-unit/edit/",
        profile_post(contact.unit, credit_code="91310112MA1FL0XX0X", address="保留的地址"),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "credit_code" in form.errors
    assert 'value="保留的地址"' in response.content.decode()
    assert MemberUnit.objects.get(pk=contact.unit_id).address != "保留的地址"


@pytest.mark.django_db
def test_profile_form_refuses_a_code_of_another_unit(client, contact):
    other = MemberUnitFactory()
    client.force_login(contact)
    response = client.post(
        "/my-unit/edit/", profile_post(contact.unit, credit_code=other.credit_code)
    )
    assert response.status_code == 400
    assert "credit_code" in response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff", "secretary"])
def test_only_unit_contacts_have_a_profile_form(client, who, staff_user, secretary_user):
    if who != "anonymous":
        client.force_login(staff_user if who == "staff" else secretary_user)
    response = client.get("/my-unit/edit/")
    assert response.status_code == (302 if who == "anonymous" else 403)


@pytest.mark.django_db
def test_invite_form_errors_are_named_and_nothing_is_created(client, contact):
    client.force_login(contact)
    response = client.post(
        f"/units/{contact.unit_id}/contacts/invite/",
        {"name": "", "email": "contact@example.org", "phone": "123"},
    )
    assert response.status_code == 400
    errors = response.context["invite_form"].errors
    assert set(errors) == {"name", "phone"}
    response = client.post(
        f"/units/{contact.unit_id}/contacts/invite/",
        {"name": "王五", "email": "contact@example.org", "phone": ""},
    )
    assert "email" in response.context["invite_form"].errors
    assert User.objects.filter(unit=contact.unit).count() == 1


@pytest.mark.django_db
def test_invite_from_the_unit_page(client, contact):
    client.force_login(contact)
    response = client.post(
        f"/units/{contact.unit_id}/contacts/invite/",
        {"name": "王五", "email": "wang@example.org", "phone": "13812345678"},
        follow=True,
    )
    assert "wang@example.org" in response.content.decode()
    assert User.objects.get(email="wang@example.org").unit == contact.unit


@pytest.mark.django_db
def test_contacts_cannot_invite_for_another_unit(client, contact):
    other = MemberUnitFactory()
    client.force_login(contact)
    response = client.post(
        f"/units/{other.pk}/contacts/invite/", {"name": "王五", "email": "w@example.org"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="w@example.org").exists()


@pytest.mark.django_db
def test_staff_review_queue_approves_and_rejects(client, contact, staff):
    change = unit_profile_update(unit=contact.unit, by=contact, data={"name": "新名称"})
    client.force_login(staff)
    page = client.get("/changes/?status=pending").content.decode()
    assert "新名称" in page and "申城生物科技有限公司" in page
    response = client.post(f"/changes/{change.pk}/reject/", {"reason": ""}, follow=True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()
    client.post(f"/changes/{change.pk}/approve/")
    assert MemberUnit.objects.get(pk=contact.unit_id).name == "新名称"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["contact", "secretary"])
def test_only_staff_decide_changes(client, contact, secretary_user, who):
    change = unit_profile_update(unit=contact.unit, by=contact, data={"name": "新名称"})
    client.force_login(contact if who == "contact" else secretary_user)
    assert client.get("/changes/").status_code == 403
    assert client.post(f"/changes/{change.pk}/approve/").status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


@pytest.mark.django_db
def test_change_queue_query_count_does_not_grow_with_rows(client, staff):
    def make_change(n):
        unit = MemberUnitFactory()
        user = UserFactory(username=f"c{n}", unit=unit)
        unit_profile_update(unit=unit, by=user, data={"name": f"新名称{n}"})

    make_change(0)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/changes/").status_code == 200
    for n in range(1, 6):
        make_change(n)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/changes/").status_code == 200
    assert len(many) == len(one)


@pytest.mark.django_db
def test_profile_form_requires_a_code_of_an_enterprise(client, contact):
    client.force_login(contact)
    response = client.post("/my-unit/edit/", profile_post(contact.unit, credit_code=""))
    assert response.status_code == 400
    assert "credit_code" in response.context["form"].errors
    assert not UnitChange.objects.exists()
