import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from alliances.models import Alliance, Membership
from members.models import MemberUnit
from portal.accounts.choices import Role
from portal.accounts.models import User
from portal.notifications.models import OutgoingMail
from portal.notifications.tasks import send_pending_mail
from portal.regions.models import Region
from tests.auth import sign_in
from tests.factories import UserFactory
from tests.helpers import free_port

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_a_wrong_password_is_named(client, staff_user):
    page = client.get(reverse("login"))
    assert "登录" in page.content.decode()
    response = client.post(reverse("login"), {"username": "staff-user", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_signing_in_shows_role_and_region_on_the_home_page(client, secretary_user):
    response = client.post(
        reverse("login"), {"username": "secretary-user", "password": "Test-pass-2026"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "街镇书记" in html
    assert "新虹街道" in html


def test_staff_home_says_whole_district_and_english_is_switchable(client, staff_user):
    client.force_login(staff_user)
    assert "全区" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert "District staff" in html and "Whole district" in html


def test_sign_out_is_a_post(client, staff_user):
    client.force_login(staff_user)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_smtp_and_its_link_sets_a_new_password(
    client, staff_user, smtp_server, django_capture_on_commit_callbacks
):
    # The mail is written to the outbox and sent once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": staff_user.email})
    assert response.status_code == 302
    [message] = smtp_server.wait_for(1)
    assert message["To"] == staff_user.email
    assert "设置新密码" in message["Subject"]
    body = message.get_content()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Fresh-pass-9876", "new_password2": "Fresh-pass-9876"}
    )
    assert done.status_code == 302
    assert sign_in(client, "staff-user", "Fresh-pass-9876")
    # The link works once.
    client.logout()
    assert "不再有效" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert smtp_server.wait_for(1, timeout=0.5) == []
    assert not OutgoingMail.objects.exists()


def test_a_reset_asked_for_while_smtp_is_down_arrives_when_it_is_back(
    client, staff_user, smtp_server, settings, django_capture_on_commit_callbacks
):
    """Issue 23: Django sent the link in the request and only logged the failure; it was lost."""
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is down
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": staff_user.email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    outgoing = OutgoingMail.objects.get()
    assert outgoing.recipients == [staff_user.email] and outgoing.status == "pending"
    assert smtp_server.messages == []

    settings.EMAIL_PORT = smtp_server.port  # the server is back
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert send_pending_mail()["sent"] == 1
    [message] = smtp_server.wait_for(1)
    assert message["To"] == staff_user.email and "设置新密码" in message["Subject"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.get_content()).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()


def test_password_change_refuses_a_weak_password_and_accepts_a_good_one(client, staff_user):
    client.force_login(staff_user)
    url = reverse("password_change")
    weak = client.post(
        url,
        {
            "old_password": "Test-pass-2026",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert weak.status_code == 200
    assert "密码" in weak.content.decode()
    good = client.post(
        url,
        {
            "old_password": "Test-pass-2026",
            "new_password1": "Better-pass-77",
            "new_password2": "Better-pass-77",
        },
    )
    assert good.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("Better-pass-77")


def test_dashboard_is_for_staff_and_secretaries(client, staff_user, secretary_user, unit_user):
    url = reverse("dashboard")
    assert client.get(url).status_code == 302
    client.force_login(unit_user)
    assert client.get(url).status_code == 403
    client.force_login(secretary_user)
    assert client.get(url).status_code == 200
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-echarts="#regions-chart-option"' in response.content.decode()


def test_secretary_dashboard_counts_only_their_street(client, secretary_user, region):
    Region.objects.create(code="310112008-G01", name="爱博片区", level="grid", parent=region)
    other = Region.objects.create(
        code="310112102", name="七宝镇", level="subdistrict", parent=region.parent
    )
    Region.objects.create(code="310112102-G01", name="七宝网格", level="grid", parent=other)
    client.force_login(secretary_user)
    cards = {c["key"]: c["value"] for c in client.get(reverse("dashboard")).context["cards"]}
    assert cards["grids"] == 1
    assert cards["subdistricts"] == 1


def test_a_street_secretary_must_have_a_region(db):
    with pytest.raises(IntegrityError):
        User.objects.create(username="lost", role=Role.STREET_SECRETARY)


def test_role_changes_are_kept_in_history(staff_user):
    user = UserFactory(username="changing")
    user.role = Role.DISTRICT_STAFF
    user.save()
    assert [h.role for h in user.history.order_by("history_id")] == [
        Role.UNIT_CONTACT,
        Role.DISTRICT_STAFF,
    ]


def test_users_see_only_themselves_unless_staff(staff_user, secretary_user, unit_user):
    assert list(User.objects.restrict(unit_user)) == [unit_user]
    assert set(User.objects.restrict(staff_user)) >= {staff_user, secretary_user, unit_user}
    secretary_user.is_active = False
    assert list(User.objects.restrict(secretary_user)) == []


def test_load_demo_is_idempotent_and_creates_one_account_per_role(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out

    def snapshot():
        return [
            (model.objects.count(), model.history.count())
            for model in (Region, MemberUnit, Alliance, Membership, User)
        ]

    loaded = snapshot()
    call_command("load_demo")
    assert snapshot() == loaded
    assert {u.role for u in User.objects.all()} == set(Role.values)
    unit_contact = User.objects.get(username="unit")
    assert unit_contact.check_password("Unit-demo-2026")
    assert unit_contact.unit is not None
    assert unit_contact.unit.memberships.filter(left_on__isnull=True).exists()
    assert "Staff-demo-2026" in first
    xinhong = User.objects.get(username="xinhong")
    assert xinhong.region.name == "新虹街道"
    assert xinhong.check_password("Xinhong-demo-2026")
    assert Region.objects.get(code="330400").name == "嘉兴市"
    assert Region.objects.filter(parent__code="310112008", level="grid").count() == 4


def test_district_staff_use_the_admin_and_others_do_not(client, staff_user, secretary_user):
    assert staff_user.is_staff and not secretary_user.is_staff
    client.force_login(staff_user)
    assert client.get("/admin/regions/region/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    client.force_login(secretary_user)
    assert client.get("/admin/regions/region/").status_code == 302


def test_promoting_a_user_to_district_staff_opens_the_admin(client, unit_user):
    unit_user.role = Role.DISTRICT_STAFF
    unit_user.save()
    client.force_login(unit_user)
    assert client.get("/admin/").status_code == 200


def test_dashboard_shows_network_figures_for_the_secretary_street(client, secretary_user, region):
    from tests.factories import AllianceFactory, MemberUnitFactory

    AllianceFactory()
    MemberUnitFactory(region=region, org_covered=True)
    MemberUnitFactory(region=region, org_covered=False, party_org_type="none")
    MemberUnitFactory(region__code="310104003", org_covered=True)
    client.force_login(secretary_user)
    cards = {c["key"]: c["value"] for c in client.get(reverse("dashboard")).context["cards"]}
    assert cards["alliances"] == 1
    assert cards["units"] == 2
    assert cards["org-coverage"] == "50.0%"


def test_pages_stay_chinese_whatever_the_browser_asks_until_english_is_chosen(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "党建联盟门户" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Alliance Portal" in client.get(reverse("home")).content.decode()
