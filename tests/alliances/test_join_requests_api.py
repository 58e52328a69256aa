"""/api/v1/join-requests/ and /api/v1/memberships/{id}/leave/, role by role."""

import pytest
from django.core import mail
from django.utils import timezone

from alliances.models import JoinRequest, Membership
from tests.factories import (
    AllianceFactory,
    JoinRequestFactory,
    MembershipFactory,
    MemberUnitFactory,
    UserFactory,
)
from tests.helpers import client_for, error_fields

pytestmark = pytest.mark.django_db

URL = "/api/v1/join-requests/"
MEMBERSHIPS = "/api/v1/memberships/"


@pytest.fixture
def net(region, staff_user, secretary_user):
    lead = MemberUnitFactory(name="上海生物医药产业促进中心", region=region)
    alliance = AllianceFactory(name="生物医药产业党建联盟", lead_unit=lead)
    MembershipFactory(alliance=alliance, unit=lead, role="lead")
    applicant = MemberUnitFactory(name="上海样本科技有限公司", region=region)
    stranger = MemberUnitFactory(name="无关科技有限公司", region=region)
    users = {
        "staff": staff_user,
        "secretary": secretary_user,
        "lead": UserFactory(username="lead-contact", unit=lead, email="lead@example.org"),
        "applicant": UserFactory(username="applicant", unit=applicant, email="ask@example.org"),
        "stranger": UserFactory(username="stranger", unit=stranger),
    }
    return {
        "alliance": alliance,
        "lead": lead,
        "applicant": applicant,
        "stranger": stranger,
        "users": users,
        "api": {role: client_for(user) for role, user in users.items()}
        | {"anonymous": client_for()},
    }


class TestCreate:
    def test_a_unit_contact_asks_for_their_own_unit(self, net, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = net["api"]["applicant"].post(
                URL, {"alliance": net["alliance"].pk, "message": "愿共享实验平台"}
            )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["unit"] == net["applicant"].pk and body["status"] == "pending"
        assert body["alliance_name"] == "生物医药产业党建联盟"
        assert body["source"] == "self_service" and body["message"] == "愿共享实验平台"
        assert body["requested_by"] == net["users"]["applicant"].pk
        assert [m.to for m in mail.outbox] == [["lead@example.org"]]

    def test_a_unit_contact_cannot_ask_for_another_unit(self, net):
        response = net["api"]["applicant"].post(
            URL, {"alliance": net["alliance"].pk, "unit": net["stranger"].pk}
        )
        assert response.status_code == 400 and "unit" in error_fields(response)
        assert not JoinRequest.objects.exists()

    def test_staff_name_the_unit(self, net):
        response = net["api"]["staff"].post(URL, {"alliance": net["alliance"].pk})
        assert response.status_code == 400 and "unit" in error_fields(response)
        response = net["api"]["staff"].post(
            URL, {"alliance": net["alliance"].pk, "unit": net["stranger"].pk}
        )
        assert response.status_code == 201
        assert JoinRequest.objects.get().unit == net["stranger"]

    @pytest.mark.parametrize(
        "role, status", [("anonymous", 401), ("secretary", 403), ("lead", 201)]
    )
    def test_who_may_create(self, net, role, status):
        other = AllianceFactory()
        response = net["api"][role].post(URL, {"alliance": other.pk})
        assert response.status_code == status

    def test_refusals_name_the_field(self, net):
        api = net["api"]["applicant"]
        ended = AllianceFactory(status="dissolved")
        response = api.post(URL, {"alliance": ended.pk})
        assert response.status_code == 400 and "alliance" in error_fields(response)
        assert api.post(URL, {"alliance": net["alliance"].pk}).status_code == 201
        response = api.post(URL, {"alliance": net["alliance"].pk})
        assert response.status_code == 400 and "alliance" in error_fields(response)
        response = net["api"]["lead"].post(URL, {"alliance": net["alliance"].pk})
        assert response.status_code == 400 and "alliance" in error_fields(
            response
        )  # already the lead
        net["stranger"].status = "inactive"
        net["stranger"].save()
        response = net["api"]["stranger"].post(URL, {"alliance": net["alliance"].pk})
        assert response.status_code == 400 and "unit" in error_fields(response)
        response = api.post(URL, {"alliance": 999999})
        assert response.status_code == 400 and "alliance" in error_fields(response)
        assert JoinRequest.objects.count() == 1


class TestDecide:
    @pytest.fixture
    def pending(self, net):
        return JoinRequestFactory(
            alliance=net["alliance"],
            unit=net["applicant"],
            requested_by=net["users"]["applicant"],
        )

    @pytest.mark.parametrize("role", ["lead", "staff"])
    def test_lead_contact_or_staff_accept(
        self, net, pending, role, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = net["api"][role].post(f"{URL}{pending.pk}/accept/")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "accepted" and body["decided_by"] == net["users"][role].pk
        membership = Membership.objects.get(pk=body["membership"])
        assert membership.unit == net["applicant"] and membership.role == "member"
        assert [m.to for m in mail.outbox] == [["ask@example.org"]]

    def test_accept_twice_is_a_400(self, net, pending):
        net["api"]["lead"].post(f"{URL}{pending.pk}/accept/")
        response = net["api"]["lead"].post(f"{URL}{pending.pk}/accept/")
        assert response.status_code == 400 and "status" in error_fields(response)

    def test_accept_when_already_a_member_is_a_400(self, net, pending):
        MembershipFactory(alliance=net["alliance"], unit=net["applicant"])
        response = net["api"]["lead"].post(f"{URL}{pending.pk}/accept/")
        assert response.status_code == 400 and "unit" in error_fields(response)
        pending.refresh_from_db()
        assert pending.status == "pending"

    def test_decline_needs_a_reason(self, net, pending, django_capture_on_commit_callbacks):
        response = net["api"]["lead"].post(f"{URL}{pending.pk}/decline/", {})
        assert response.status_code == 400 and "reason" in error_fields(response)
        response = net["api"]["lead"].post(f"{URL}{pending.pk}/decline/", {"reason": "  "})
        assert response.status_code == 400 and "reason" in error_fields(response)
        with django_capture_on_commit_callbacks(execute=True):
            response = net["api"]["lead"].post(
                f"{URL}{pending.pk}/decline/", {"reason": "本联盟仅限生物医药企业"}
            )
        assert response.status_code == 200
        assert response.json()["status"] == "declined"
        assert response.json()["decline_reason"] == "本联盟仅限生物医药企业"
        assert [m.to for m in mail.outbox] == [["ask@example.org"]]

    @pytest.mark.parametrize(
        "role, status",
        [
            ("anonymous", 401),
            ("secretary", 403),  # sees the request, may not decide it
            ("applicant", 403),  # the unit that asked cannot accept itself
            ("stranger", 404),
        ],
    )
    def test_who_may_not_decide(self, net, pending, role, status):
        api = net["api"][role]
        assert api.post(f"{URL}{pending.pk}/accept/").status_code == status
        assert api.post(f"{URL}{pending.pk}/decline/", {"reason": "x"}).status_code == status
        pending.refresh_from_db()
        assert pending.status == "pending"

    @pytest.mark.parametrize(
        "role, status",
        [
            ("anonymous", 401),
            ("staff", 403),
            ("secretary", 403),
            ("lead", 403),
            ("stranger", 404),
            ("applicant", 200),
        ],
    )
    def test_only_the_unit_that_asked_withdraws(self, net, pending, role, status):
        response = net["api"][role].post(f"{URL}{pending.pk}/withdraw/")
        assert response.status_code == status
        pending.refresh_from_db()
        assert pending.status == ("withdrawn" if status == 200 else "pending")


class TestList:
    @pytest.fixture
    def rows(self, net):
        return {
            "to_mine": JoinRequestFactory(alliance=net["alliance"], unit=net["applicant"]),
            "elsewhere": JoinRequestFactory(unit=net["stranger"], status="declined"),
        }

    @pytest.mark.parametrize(
        "role, sees",
        [
            ("staff", {"to_mine", "elsewhere"}),
            ("secretary", {"to_mine", "elsewhere"}),
            ("lead", {"to_mine"}),
            ("applicant", {"to_mine"}),
            ("stranger", {"elsewhere"}),
        ],
    )
    def test_scope(self, net, rows, role, sees):
        response = net["api"][role].get(URL)
        assert response.status_code == 200
        got = {r["id"] for r in response.json()["results"]}
        assert got == {rows[name].pk for name in sees}
        for name, row in rows.items():
            detail = net["api"][role].get(f"{URL}{row.pk}/")
            assert detail.status_code == (200 if name in sees else 404)

    def test_anonymous_is_401(self, net, rows):
        assert net["api"]["anonymous"].get(URL).status_code == 401

    def test_filters(self, net, rows):
        api = net["api"]["staff"]

        def ids(**params):
            return {r["id"] for r in api.get(URL, params).json()["results"]}

        assert ids(status="pending") == {rows["to_mine"].pk}
        assert ids(status="declined") == {rows["elsewhere"].pk}
        assert ids(alliance=net["alliance"].pk) == {rows["to_mine"].pk}
        assert ids(unit=net["stranger"].pk) == {rows["elsewhere"].pk}
        assert api.get(URL, {"status": "nonsense"}).status_code == 400

    def test_query_count_does_not_grow_with_rows(self, net, rows, django_assert_num_queries):
        api = net["api"]["staff"]
        # The token, the count and the page of rows with their alliance, unit and users.
        with django_assert_num_queries(3):
            api.get(URL)
        for _ in range(20):
            JoinRequestFactory(requested_by=UserFactory(), decided_by=net["users"]["staff"])
        with django_assert_num_queries(3):
            response = api.get(URL)
        assert response.json()["count"] == 22

    def test_history_is_for_staff(self, net, rows):
        row = rows["to_mine"]
        assert net["api"]["staff"].get(f"{URL}{row.pk}/history/").status_code == 200
        assert net["api"]["lead"].get(f"{URL}{row.pk}/history/").status_code == 403


class TestLeave:
    @pytest.fixture
    def membership(self, net):
        return MembershipFactory(alliance=net["alliance"], unit=net["applicant"])

    def test_a_unit_contact_leaves(self, net, membership):
        response = net["api"]["applicant"].post(f"{MEMBERSHIPS}{membership.pk}/leave/")
        assert response.status_code == 200
        assert response.json()["left_on"] == timezone.localdate().isoformat()

    def test_leaving_twice_is_a_400(self, net, membership):
        net["api"]["applicant"].post(f"{MEMBERSHIPS}{membership.pk}/leave/")
        response = net["api"]["applicant"].post(f"{MEMBERSHIPS}{membership.pk}/leave/")
        assert response.status_code == 400 and "left_on" in error_fields(response)

    def test_the_lead_unit_cannot_leave(self, net):
        lead_membership = Membership.objects.get(unit=net["lead"])
        response = net["api"]["lead"].post(f"{MEMBERSHIPS}{lead_membership.pk}/leave/")
        assert response.status_code == 400 and "role" in error_fields(response)
        lead_membership.refresh_from_db()
        assert lead_membership.left_on is None

    @pytest.mark.parametrize(
        "role, status",
        [
            ("anonymous", 401),
            ("staff", 403),
            ("secretary", 403),
            ("lead", 403),  # a fellow member sees the membership, but it is not theirs
            ("stranger", 404),
        ],
    )
    def test_nobody_else_leaves_for_the_unit(self, net, membership, role, status):
        response = net["api"][role].post(f"{MEMBERSHIPS}{membership.pk}/leave/")
        assert response.status_code == status
        membership.refresh_from_db()
        assert membership.left_on is None

    def test_unit_contacts_still_cannot_end_or_edit_memberships(self, net, membership):
        api = net["api"]["applicant"]
        assert api.post(f"{MEMBERSHIPS}{membership.pk}/end/").status_code == 403
        assert api.patch(f"{MEMBERSHIPS}{membership.pk}/", {"note": "x"}).status_code == 403
