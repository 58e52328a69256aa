"""Join requests and leaving: the actions, their e-mails, and the browser pages role by role."""

import random
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from alliances.actions.join_requests import (
    join_request_accept,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from alliances.actions.memberships import membership_leave
from alliances.choices import JoinRequestSource, JoinRequestStatus
from alliances.models import JoinRequest, JoinRequestQuerySet, Membership
from alliances.selectors.join_requests import join_requests_for_unit
from members import credit_code
from members.actions.registrations import registration_approve
from members.choices import RegistrationStatus
from members.models import Registration
from tests.factories import (
    AllianceFactory,
    JoinRequestFactory,
    MembershipFactory,
    MemberUnitFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/alliances/join-requests/"


@pytest.fixture
def net(region):
    lead = MemberUnitFactory(name="上海生物医药产业促进中心", region=region)
    alliance = AllianceFactory(name="生物医药产业党建联盟", lead_unit=lead)
    MembershipFactory(alliance=alliance, unit=lead, role="lead")
    applicant = MemberUnitFactory(name="上海样本科技有限公司", region=region)
    stranger = MemberUnitFactory(name="无关科技有限公司", region=region)
    users = {
        "lead": UserFactory(username="lead-contact", unit=lead, email="lead@example.org"),
        "applicant": UserFactory(username="applicant", unit=applicant, email="ask@example.org"),
        "stranger": UserFactory(username="stranger", unit=stranger),
    }
    # Neither of these is mailed: one has left, the other has no address.
    UserFactory(username="lead-gone", unit=lead, email="gone@example.org", is_active=False)
    UserFactory(username="lead-nomail", unit=lead, email="")
    return {
        "alliance": alliance,
        "lead": lead,
        "applicant": applicant,
        "stranger": stranger,
        "users": users,
    }


def ask(net, **kwargs) -> JoinRequest:
    return join_request_create(
        alliance=net["alliance"],
        unit=net["applicant"],
        by=net["users"]["applicant"],
        message=kwargs.pop("message", "我们希望加入"),
        **kwargs,
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


class TestActions:
    def test_create_records_a_pending_request_and_mails_the_lead_units_active_contacts(
        self, net, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = ask(net)
        assert request.status == JoinRequestStatus.PENDING
        assert request.source == JoinRequestSource.SELF_SERVICE
        assert request.requested_by == net["users"]["applicant"]
        assert [m.to for m in mail.outbox] == [["lead@example.org"]]
        assert net["applicant"].name in mail.outbox[0].body
        assert "我们希望加入" in mail.outbox[0].body
        assert f"{LIST}?alliance={net['alliance'].pk}" in mail.outbox[0].body

    def test_no_mail_when_the_transaction_rolls_back(self, net, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ask(net)
        assert len(callbacks) == 1 and mail.outbox == []

    def test_a_dissolved_alliance_takes_no_requests(self, net):
        net["alliance"].status = "dissolved"
        net["alliance"].save()
        with pytest.raises(ValidationError) as excinfo:
            ask(net)
        assert "alliance" in errors_of(excinfo)
        assert not JoinRequest.objects.exists()

    def test_an_inactive_unit_cannot_ask(self, net):
        net["applicant"].status = "inactive"
        net["applicant"].save()
        with pytest.raises(ValidationError) as excinfo:
            ask(net)
        assert "unit" in errors_of(excinfo)
        assert not JoinRequest.objects.exists()

    def test_a_current_member_cannot_ask(self, net):
        MembershipFactory(alliance=net["alliance"], unit=net["applicant"])
        with pytest.raises(ValidationError) as excinfo:
            ask(net)
        assert errors_of(excinfo)["alliance"] == [
            gettext("This unit is already a member of this alliance.")
        ]

    def test_a_former_member_may_ask_again(self, net):
        MembershipFactory(
            alliance=net["alliance"],
            unit=net["applicant"],
            joined_on="2024-01-01",
            left_on="2025-01-01",
        )
        assert ask(net).status == JoinRequestStatus.PENDING

    def test_a_second_pending_request_is_refused(self, net):
        ask(net)
        with pytest.raises(ValidationError) as excinfo:
            ask(net)
        assert "alliance" in errors_of(excinfo)
        assert JoinRequest.objects.count() == 1

    def test_the_database_refuses_a_concurrent_duplicate_with_a_clear_message(self, net):
        # A row that another request wrote after this one looked: only the constraint stops it.
        JoinRequestFactory(alliance=net["alliance"], unit=net["applicant"])
        with (
            mock.patch.object(JoinRequestQuerySet, "pending", lambda qs: qs.none()),
            pytest.raises(ValidationError) as excinfo,
        ):
            ask(net)
        assert errors_of(excinfo)["alliance"] == [
            gettext("This unit has already asked to join this alliance; the request is pending.")
        ]
        assert JoinRequest.objects.count() == 1
        # The outer transaction is still usable after the refused insert.
        assert Membership.objects.filter(unit=net["applicant"]).count() == 0

    def test_accept_adds_a_member_and_mails_the_units_contacts(
        self, net, django_capture_on_commit_callbacks
    ):
        request = ask(net)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request = join_request_accept(request=request, by=net["users"]["lead"])
        assert request.status == JoinRequestStatus.ACCEPTED
        assert request.decided_by == net["users"]["lead"] and request.decided_at
        membership = request.membership
        assert membership.unit == net["applicant"] and membership.alliance == net["alliance"]
        assert membership.role == "member" and membership.left_on is None
        assert [m.to for m in mail.outbox] == [["ask@example.org"]]
        assert net["alliance"].name in mail.outbox[0].subject

    def test_accept_is_refused_when_the_unit_became_a_member_meanwhile(self, net):
        request = ask(net)
        MembershipFactory(alliance=net["alliance"], unit=net["applicant"])
        with pytest.raises(ValidationError) as excinfo:
            join_request_accept(request=request, by=net["users"]["lead"])
        assert "unit" in errors_of(excinfo)
        request.refresh_from_db()
        assert request.status == JoinRequestStatus.PENDING and request.membership is None
        assert Membership.objects.filter(unit=net["applicant"]).count() == 1

    def test_accept_is_refused_when_the_alliance_ended_meanwhile(self, net):
        request = ask(net)
        net["alliance"].status = "dissolved"
        net["alliance"].save()
        with pytest.raises(ValidationError) as excinfo:
            join_request_accept(request=request, by=net["users"]["lead"])
        assert "alliance" in errors_of(excinfo)
        request.refresh_from_db()
        assert request.status == JoinRequestStatus.PENDING

    def test_an_answered_request_cannot_be_answered_again(self, net):
        request = ask(net)
        join_request_decline(request=request, by=net["users"]["lead"], reason="名额已满")
        for attempt in (
            lambda: join_request_accept(request=request, by=net["users"]["lead"]),
            lambda: join_request_decline(request=request, by=net["users"]["lead"], reason="x"),
            lambda: join_request_withdraw(request=request, by=net["users"]["applicant"]),
        ):
            with pytest.raises(ValidationError) as excinfo:
                attempt()
            assert "status" in errors_of(excinfo)
        request.refresh_from_db()
        assert request.status == JoinRequestStatus.DECLINED

    def test_decline_needs_a_reason_and_mails_it(self, net, django_capture_on_commit_callbacks):
        request = ask(net)
        mail.outbox.clear()
        with pytest.raises(ValidationError) as excinfo:
            join_request_decline(request=request, by=net["users"]["lead"], reason="  ")
        assert "reason" in errors_of(excinfo)
        with django_capture_on_commit_callbacks(execute=True):
            request = join_request_decline(
                request=request, by=net["users"]["lead"], reason="本联盟仅限生物医药企业"
            )
        assert request.status == JoinRequestStatus.DECLINED
        assert request.decline_reason == "本联盟仅限生物医药企业"
        assert [m.to for m in mail.outbox] == [["ask@example.org"]]
        assert "本联盟仅限生物医药企业" in mail.outbox[0].body

    def test_withdraw_only_by_the_unit_that_asked_and_it_may_ask_again(self, net):
        request = ask(net)
        for user in (net["users"]["stranger"], net["users"]["lead"]):
            with pytest.raises(PermissionDenied):
                join_request_withdraw(request=request, by=user)
        request = join_request_withdraw(request=request, by=net["users"]["applicant"])
        assert request.status == JoinRequestStatus.WITHDRAWN
        assert ask(net).status == JoinRequestStatus.PENDING

    def test_a_member_leaves_and_the_row_keeps_its_dates(self, net):
        membership = MembershipFactory(
            alliance=net["alliance"], unit=net["applicant"], joined_on="2024-03-01"
        )
        membership = membership_leave(membership=membership, by=net["users"]["applicant"])
        assert membership.left_on == timezone.localdate()
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_the_lead_unit_cannot_leave(self, net):
        membership = Membership.objects.get(unit=net["lead"])
        with pytest.raises(ValidationError) as excinfo:
            membership_leave(membership=membership, by=net["users"]["lead"])
        assert "role" in errors_of(excinfo)
        membership.refresh_from_db()
        assert membership.left_on is None

    def test_only_the_units_own_contact_leaves_for_it(self, net, staff_user):
        membership = MembershipFactory(alliance=net["alliance"], unit=net["applicant"])
        for user in (net["users"]["stranger"], net["users"]["lead"], staff_user):
            with pytest.raises(PermissionDenied):
                membership_leave(membership=membership, by=user)
        membership.refresh_from_db()
        assert membership.left_on is None

    def test_selector_lists_a_units_own_requests(self, net):
        mine = ask(net)
        JoinRequestFactory(unit=net["stranger"])
        assert list(join_requests_for_unit(unit=net["applicant"])) == [mine]


class TestScope:
    def test_each_role_sees_and_decides_what_it_should(self, net, staff_user, secretary_user):
        to_mine = ask(net)
        elsewhere = JoinRequestFactory(unit=net["stranger"])
        users = net["users"]

        def ids(user, action="view"):
            return set(JoinRequest.objects.restrict(user, action).values_list("pk", flat=True))

        assert ids(staff_user) == ids(staff_user, "change") == {to_mine.pk, elsewhere.pk}
        assert ids(secretary_user) == {to_mine.pk, elsewhere.pk}
        assert ids(secretary_user, "change") == set()
        assert ids(users["lead"]) == ids(users["lead"], "change") == {to_mine.pk}
        assert ids(users["applicant"]) == {to_mine.pk}
        assert ids(users["applicant"], "change") == set()
        assert ids(users["stranger"]) == {elsewhere.pk}
        assert ids(users["stranger"], "change") == set()
        assert ids(None) == set()


def make_registration(region, alliances) -> Registration:
    registration = Registration.objects.create(
        name="上海新虹示范科技有限公司",
        credit_code=credit_code.generate(random.Random(777)),
        unit_type="private_enterprise",
        region=region,
        address="闵行区申长路 1 号",
        contact_name="王联络",
        contact_phone="13912345678",
        contact_email="wang@example.org",
        status=RegistrationStatus.SUBMITTED,
    )
    registration.alliances.set(alliances)
    return registration


def test_approving_a_registration_turns_its_alliances_into_join_requests(
    net, region, staff_user, django_capture_on_commit_callbacks
):
    ended = AllianceFactory(name="已解散的联盟", status="dissolved")
    registration = make_registration(region, [net["alliance"], ended])
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_approve(registration=registration, by=staff_user)
    [request] = JoinRequest.objects.all()
    assert request.unit == registration.unit and request.alliance == net["alliance"]
    assert request.status == JoinRequestStatus.PENDING
    assert request.source == JoinRequestSource.REGISTRATION
    assert request.requested_by is None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["lead@example.org", "wang@example.org"]
    approval = next(m for m in mail.outbox if m.to == ["wang@example.org"])
    assert net["alliance"].name in approval.body and ended.name not in approval.body


# The browser pages.


def login(client, user):
    client.force_login(user)
    return client


def test_a_unit_contact_asks_to_join_from_the_alliance_page_and_withdraws(
    client, net, django_capture_on_commit_callbacks
):
    alliance = net["alliance"]
    login(client, net["users"]["applicant"])
    html = client.get(alliance.get_absolute_url()).content.decode()
    assert reverse("alliances:join-request-create", args=[alliance.pk]) in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alliances:join-request-create", args=[alliance.pk]),
            {"message": "愿共享实验平台"},
        )
    assert response.status_code == 302 and response["Location"] == alliance.get_absolute_url()
    request = JoinRequest.objects.get()
    assert request.message == "愿共享实验平台" and request.unit == net["applicant"]
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]

    html = client.get(alliance.get_absolute_url()).content.decode()
    withdraw = reverse("alliances:join-request-withdraw", args=[request.pk])
    assert withdraw in html
    assert reverse("alliances:join-request-create", args=[alliance.pk]) not in html
    response = client.post(withdraw, {"next": alliance.get_absolute_url()})
    assert response["Location"] == alliance.get_absolute_url()
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.WITHDRAWN


def test_asking_twice_or_for_a_dissolved_alliance_shows_a_message_and_changes_nothing(client, net):
    login(client, net["users"]["applicant"])
    url = reverse("alliances:join-request-create", args=[net["alliance"].pk])
    client.post(url, {"message": ""})
    response = client.post(url, {"message": ""}, follow=True)
    assert response.status_code == 200
    assert (
        gettext("This unit has already asked to join this alliance; the request is pending.")
        in response.content.decode()
    )
    assert JoinRequest.objects.count() == 1

    ended = AllianceFactory(status="dissolved")
    response = client.post(
        reverse("alliances:join-request-create", args=[ended.pk]), {"message": ""}, follow=True
    )
    assert gettext("This alliance has ended; it takes no new members.") in (
        response.content.decode()
    )
    assert not JoinRequest.objects.filter(alliance=ended).exists()
    assert 'data-testid="join"' not in client.get(ended.get_absolute_url()).content.decode()


def test_a_too_long_message_is_refused_naming_the_field(client, net):
    login(client, net["users"]["applicant"])
    response = client.post(
        reverse("alliances:join-request-create", args=[net["alliance"].pk]),
        {"message": "长" * 2001},
        follow=True,
    )
    assert response.status_code == 200
    assert gettext("message to the alliance") in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_only_unit_contacts_ask(client, net, staff_user, secretary_user):
    url = reverse("alliances:join-request-create", args=[net["alliance"].pk])
    assert client.post(url).status_code == 302  # to the sign-in page
    assert "/accounts/login/" in client.post(url)["Location"]
    for user in (staff_user, secretary_user):
        assert login(client, user).post(url).status_code == 403
    assert not JoinRequest.objects.exists()


def test_an_inactive_unit_is_told_it_cannot_join(client, net):
    net["applicant"].status = "inactive"
    net["applicant"].save()
    html = login(client, net["users"]["applicant"]).get(net["alliance"].get_absolute_url())
    html = html.content.decode()
    assert 'data-testid="join"' in html
    assert reverse("alliances:join-request-create", args=[net["alliance"].pk]) not in html


def test_a_member_confirms_and_leaves_the_alliance(client, net):
    membership = MembershipFactory(alliance=net["alliance"], unit=net["applicant"])
    login(client, net["users"]["applicant"])
    leave = reverse("alliances:membership-leave", args=[membership.pk])
    assert leave in client.get(net["alliance"].get_absolute_url()).content.decode()
    confirm = client.get(leave)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None  # GET only asks
    response = client.post(leave)
    assert response["Location"] == net["alliance"].get_absolute_url()
    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()


def test_the_lead_unit_gets_no_leave_button_and_a_post_changes_nothing(client, net):
    membership = Membership.objects.get(unit=net["lead"])
    login(client, net["users"]["lead"])
    leave = reverse("alliances:membership-leave", args=[membership.pk])
    html = client.get(net["alliance"].get_absolute_url()).content.decode()
    assert 'data-testid="join"' in html and leave not in html
    response = client.post(leave, follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None


def test_others_cannot_leave_for_a_unit(client, net, staff_user, secretary_user):
    membership = MembershipFactory(alliance=net["alliance"], unit=net["applicant"])
    leave = reverse("alliances:membership-leave", args=[membership.pk])
    # The stranger cannot even see the membership; staff and the lead unit may see it but not leave.
    assert login(client, net["users"]["stranger"]).post(leave).status_code == 404
    for user in (net["users"]["lead"], staff_user, secretary_user):
        assert login(client, user).post(leave).status_code == 403
    membership.refresh_from_db()
    assert membership.left_on is None


def test_alliance_page_query_count_does_not_grow_for_a_unit_contact(
    client, net, django_assert_num_queries
):
    alliance = net["alliance"]
    login(client, net["users"]["applicant"])
    ask(net)
    with CaptureQueriesContext(connection) as first:
        client.get(alliance.get_absolute_url())
    for _ in range(5):
        unit = MemberUnitFactory()
        MembershipFactory(alliance=alliance, unit=unit)
        JoinRequestFactory(alliance=alliance)
    with django_assert_num_queries(len(first)):
        html = client.get(alliance.get_absolute_url()).content.decode()
    assert "badge text-bg-warning" in html  # still the pending state


class TestListPage:
    @pytest.fixture
    def requests(self, net):
        to_mine = ask(net)
        elsewhere = JoinRequestFactory(unit=net["stranger"], message="另一联盟")
        return to_mine, elsewhere

    def test_anonymous_is_sent_to_sign_in(self, client, requests):
        response = client.get(LIST)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    @pytest.mark.parametrize(
        "role, sees, decides, withdraws",
        [
            ("staff", {"to_mine", "elsewhere"}, {"to_mine", "elsewhere"}, set()),
            ("secretary", {"to_mine", "elsewhere"}, set(), set()),
            ("lead", {"to_mine"}, {"to_mine"}, set()),
            ("applicant", {"to_mine"}, set(), {"to_mine"}),
            ("stranger", {"elsewhere"}, set(), {"elsewhere"}),
        ],
    )
    def test_each_role_sees_its_rows_and_buttons(
        self, client, net, requests, staff_user, secretary_user, role, sees, decides, withdraws
    ):
        user = {"staff": staff_user, "secretary": secretary_user}.get(role) or net["users"][role]
        named = dict(zip(["to_mine", "elsewhere"], requests, strict=True))
        html = login(client, user).get(LIST).content.decode()
        for name, request in named.items():
            assert (f'data-testid="join-request-{request.pk}"' in html) == (name in sees)
            accept = reverse("alliances:join-request-accept", args=[request.pk])
            assert (accept in html) == (name in decides)
            withdraw = reverse("alliances:join-request-withdraw", args=[request.pk])
            assert (withdraw in html) == (name in withdraws)

    def test_filters_by_status_and_alliance(self, client, net, requests, staff_user):
        to_mine, elsewhere = requests
        join_request_decline(request=elsewhere, by=staff_user, reason="不符合条件")
        login(client, staff_user)
        html = client.get(LIST, {"status": "pending"}).content.decode()
        assert f"join-request-{to_mine.pk}" in html and f"join-request-{elsewhere.pk}" not in html
        html = client.get(LIST, {"alliance": elsewhere.alliance_id}).content.decode()
        assert f"join-request-{to_mine.pk}" not in html and f"join-request-{elsewhere.pk}" in html
        html = client.get(LIST, {"unit": net["stranger"].pk}).content.decode()
        assert f"join-request-{elsewhere.pk}" in html and f"join-request-{to_mine.pk}" not in html
        bad = client.get(LIST, {"status": "nonsense"})
        assert bad.status_code == 200 and "join-request-" not in bad.content.decode()

    def test_lead_contact_accepts_from_the_list(
        self, client, net, requests, django_capture_on_commit_callbacks
    ):
        to_mine, _elsewhere = requests
        mail.outbox.clear()
        login(client, net["users"]["lead"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("alliances:join-request-accept", args=[to_mine.pk]),
                {"next": f"{LIST}?status=pending"},
            )
        assert response["Location"] == f"{LIST}?status=pending"
        to_mine.refresh_from_db()
        assert to_mine.status == JoinRequestStatus.ACCEPTED
        assert to_mine.membership.unit == net["applicant"]
        assert [m.to for m in mail.outbox] == [["ask@example.org"]]

    def test_accepting_twice_shows_a_message(self, client, net, requests):
        to_mine, _elsewhere = requests
        login(client, net["users"]["lead"])
        url = reverse("alliances:join-request-accept", args=[to_mine.pk])
        client.post(url)
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert gettext("This request has already been answered or withdrawn.") in (
            response.content.decode()
        )
        assert Membership.objects.filter(unit=net["applicant"]).count() == 1

    def test_decline_without_a_reason_shows_the_field_error(self, client, net, requests):
        to_mine, _elsewhere = requests
        login(client, net["users"]["lead"])
        url = reverse("alliances:join-request-decline", args=[to_mine.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"reason": ""})
        assert response.status_code == 400
        assert 'name="reason"' in response.content.decode()
        assert "is-invalid" in response.content.decode()
        to_mine.refresh_from_db()
        assert to_mine.status == JoinRequestStatus.PENDING
        response = client.post(url, {"reason": "暂不扩员"})
        assert response.status_code == 302
        to_mine.refresh_from_db()
        assert to_mine.status == JoinRequestStatus.DECLINED
        assert to_mine.decline_reason == "暂不扩员"
        assert to_mine.decided_by == net["users"]["lead"]

    def test_who_may_not_decide_gets_404_and_nothing_changes(
        self, client, net, requests, secretary_user
    ):
        to_mine, elsewhere = requests
        for user in (
            net["users"]["applicant"],
            net["users"]["stranger"],
            secretary_user,
        ):
            login(client, user)
            assert (
                client.post(reverse("alliances:join-request-accept", args=[to_mine.pk])).status_code
                == 404
            )
            assert (
                client.post(
                    reverse("alliances:join-request-decline", args=[to_mine.pk]), {"reason": "x"}
                ).status_code
                == 404
            )
        # The lead unit of one alliance answers nothing of another.
        login(client, net["users"]["lead"])
        assert (
            client.post(reverse("alliances:join-request-accept", args=[elsewhere.pk])).status_code
            == 404
        )
        assert set(JoinRequest.objects.values_list("status", flat=True)) == {"pending"}

    def test_withdraw_by_someone_else_is_refused(self, client, net, requests):
        to_mine, _elsewhere = requests
        login(client, net["users"]["lead"])
        response = client.post(reverse("alliances:join-request-withdraw", args=[to_mine.pk]))
        assert response.status_code == 403
        login(client, net["users"]["stranger"])
        response = client.post(reverse("alliances:join-request-withdraw", args=[to_mine.pk]))
        assert response.status_code == 404
        to_mine.refresh_from_db()
        assert to_mine.status == JoinRequestStatus.PENDING

    def test_query_count_does_not_grow_with_rows(
        self, client, net, requests, staff_user, django_assert_num_queries
    ):
        login(client, staff_user)
        with CaptureQueriesContext(connection) as few:
            client.get(LIST)
        for _ in range(20):
            JoinRequestFactory(
                alliance=net["alliance"], requested_by=StaffFactory(), message="多行"
            )
        with django_assert_num_queries(len(few)):
            response = client.get(LIST)
        assert response.context["paginator"].count == 22


def test_navigation_shows_join_requests_to_staff_and_unit_contacts(
    client, net, staff_user, secretary_user
):
    for user, shown in (
        (staff_user, True),
        (net["users"]["applicant"], True),
        (secretary_user, False),
    ):
        html = login(client, user).get("/").content.decode()
        assert (f'href="{LIST}"' in html) == shown
    client.logout()
    assert f'href="{LIST}"' not in client.get("/").content.decode()
