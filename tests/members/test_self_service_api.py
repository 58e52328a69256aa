"""/api/v1/my-unit/, /api/v1/my-unit/contacts/ and /api/v1/unit-changes/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.actions.unit_changes import unit_profile_update
from members.choices import ChangeStatus
from members.models import MemberUnit, UnitChange
from portal.accounts.models import User
from tests.factories import MemberUnitFactory, StaffFactory, UserFactory
from tests.helpers import client_for, errors_by_field
from tests.members.test_self_service import NEW_CODE


@pytest.fixture
def contact(db):
    unit = MemberUnitFactory(name="申城生物科技有限公司")
    return UserFactory(username="contact", unit=unit, email="contact@example.org")


@pytest.mark.django_db
def test_contact_reads_and_patches_the_profile(contact):
    api = client_for(contact)
    response = api.get("/api/v1/my-unit/")
    assert response.status_code == 200
    assert response.json()["name"] == "申城生物科技有限公司"
    assert response.json()["pending_change"] is None

    response = api.patch(
        "/api/v1/my-unit/",
        {"address": "漕宝路8号", "name": "申城生物医药有限公司", "credit_code": NEW_CODE},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["address"] == "漕宝路8号"
    assert body["name"] == "申城生物科技有限公司"
    assert body["pending_change"]["name"] == "申城生物医药有限公司"
    assert body["pending_change"]["credit_code"] == NEW_CODE
    assert MemberUnit.objects.get(pk=contact.unit_id).history.first().history_user == contact


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("credit_code", "91310112MA1FL0XX0X"),
        ("unit_type", "spaceship"),
        ("region", 999999),
        ("party_member_count", -1),
        ("contact_email", "nope"),
        ("name", ""),
    ],
)
def test_refused_fields_are_named_and_nothing_is_saved(contact, field, value):
    before = MemberUnit.objects.filter(pk=contact.unit_id).values().get()
    response = client_for(contact).patch(
        "/api/v1/my-unit/", {field: value, "address": "不应保存"}, format="json"
    )
    assert response.status_code == 400
    assert field in errors_by_field(response)
    assert MemberUnit.objects.filter(pk=contact.unit_id).values().get() == before


@pytest.mark.django_db
def test_code_of_another_unit_is_refused_on_the_field(contact):
    other = MemberUnitFactory()
    response = client_for(contact).patch(
        "/api/v1/my-unit/", {"credit_code": other.credit_code}, format="json"
    )
    assert response.status_code == 400
    assert errors_by_field(response) == {"credit_code": "unique"}


@pytest.mark.django_db
def test_fields_staff_keep_are_ignored(contact):
    response = client_for(contact).patch(
        "/api/v1/my-unit/", {"key_target": True, "instructor": "某某"}, format="json"
    )
    assert response.status_code == 200
    unit = MemberUnit.objects.get(pk=contact.unit_id)
    assert (unit.key_target, unit.instructor) == (False, "")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff", "secretary"])
def test_my_unit_is_for_unit_contacts_only(who, api_client, staff_api, secretary_api):
    api = {"anonymous": api_client, "staff": staff_api, "secretary": secretary_api}[who]
    assert api.get("/api/v1/my-unit/").status_code in {401, 403}
    assert api.get("/api/v1/my-unit/contacts/").status_code in {401, 403}


@pytest.mark.django_db
def test_contact_invites_a_colleague(contact, mailoutbox, django_capture_on_commit_callbacks):
    api = client_for(contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/my-unit/contacts/",
            {"name": "李四", "email": "li@example.org", "phone": "13912345678"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["invited"] is True
    assert User.objects.get(email="li@example.org").unit_id == contact.unit_id
    assert mailoutbox[-1].to == ["li@example.org"]
    listed = api.get("/api/v1/my-unit/contacts/").json()
    assert [c["email"] for c in listed] == ["contact@example.org", "li@example.org"]


@pytest.mark.django_db
def test_invitation_errors_are_named(contact):
    api = client_for(contact)
    response = api.post(
        "/api/v1/my-unit/contacts/", {"name": "", "email": "x", "phone": "12"}, format="json"
    )
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"name", "email", "phone"}
    response = api.post(
        "/api/v1/my-unit/contacts/",
        {"name": "重复", "email": "contact@example.org"},
        format="json",
    )
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"email"}
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_staff_approve_and_reject_changes(contact, staff_api):
    change = unit_profile_update(unit=contact.unit, by=contact, data={"name": "新名称"})
    response = staff_api.get("/api/v1/unit-changes/?status=pending")
    assert [row["id"] for row in response.json()["results"]] == [change.pk]
    response = staff_api.post(f"/api/v1/unit-changes/{change.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"reason"}
    response = staff_api.post(f"/api/v1/unit-changes/{change.pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert MemberUnit.objects.get(pk=contact.unit_id).name == "新名称"
    response = staff_api.post(f"/api/v1/unit-changes/{change.pk}/approve/")
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {"status"}


@pytest.mark.django_db
def test_contacts_see_their_own_changes_and_cannot_decide(contact, secretary_api):
    change = unit_profile_update(unit=contact.unit, by=contact, data={"name": "新名称"})
    other = UserFactory(username="other-contact")
    unit_profile_update(unit=other.unit, by=other, data={"name": "别家"})
    api = client_for(contact)
    assert [row["id"] for row in api.get("/api/v1/unit-changes/").json()["results"]] == [change.pk]
    assert api.post(f"/api/v1/unit-changes/{change.pk}/approve/").status_code == 403
    assert secretary_api.get("/api/v1/unit-changes/").json()["results"] == []
    assert UnitChange.objects.get(pk=change.pk).status == ChangeStatus.PENDING


@pytest.mark.django_db
def test_change_list_query_count_does_not_grow_with_rows(db):
    api = client_for(StaffFactory(username="reviewer"))

    def make_change(n):
        user = UserFactory(username=f"c{n}")
        unit_profile_update(unit=user.unit, by=user, data={"name": f"新名称{n}"})

    make_change(0)
    with CaptureQueriesContext(connection) as one:
        assert api.get("/api/v1/unit-changes/").status_code == 200
    for n in range(1, 6):
        make_change(n)
    with CaptureQueriesContext(connection) as many:
        assert api.get("/api/v1/unit-changes/").json()["count"] == 6
    assert len(many) == len(one)
