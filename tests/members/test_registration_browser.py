"""Issue 4's journey in real Chromium: register, confirm, approval, password, sign in, ask to join."""

import re

import pytest
from django.core.cache import cache

from alliances.models import JoinRequest
from members import credit_code
from tests.factories import AllianceFactory
from tests.members.test_registration import CODE
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link(message, pattern: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"https?://[^/\s]+({pattern}\S*)", body).group(1)


def test_register_correct_the_code_confirm_get_approved_sign_in_and_ask_to_join(
    page, region, staff_user, smtp_server, settings
):
    cache.clear()
    AllianceFactory(name="新虹党建联盟", status="active")
    other = AllianceFactory(name="漕河泾开发区党建联盟", status="active")
    wrong = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    assert not credit_code.is_valid(wrong)

    page.goto("/register/")
    form = page.get_by_test_id("registration-form")
    form.locator("[name=name]").fill("上海新虹示范科技有限公司")
    form.locator("[name=credit_code]").fill(wrong)
    form.locator("[name=unit_type]").select_option("private_enterprise")
    form.locator("[name=region]").select_option(str(region.pk))
    form.locator("[name=address]").fill("闵行区申长路 1 号")
    form.locator("[name=contact_name]").fill("王联络")
    form.locator("[name=contact_phone]").fill("13912345678")
    form.locator("[name=contact_email]").fill("wang@example.org")
    form.get_by_label("新虹党建联盟").check()
    form.get_by_role("button").click()

    form = page.get_by_test_id("registration-form")
    assert form.locator("#error_1_id_credit_code, .invalid-feedback").first.is_visible()
    assert form.locator("[name=contact_email]").input_value() == "wang@example.org"
    form.locator("[name=credit_code]").fill(CODE)
    form.get_by_role("button").click()
    page.get_by_test_id("registration-sent").wait_for()

    [confirmation] = smtp_server.wait_for(1)
    page.goto(link(confirmation, "/register/confirm/"))
    page.get_by_test_id("registration-status").wait_for()

    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto("/registrations/?status=submitted")
    page.get_by_test_id("registrations").get_by_role(
        "link", name="上海新虹示范科技有限公司"
    ).click()
    page.get_by_test_id("approve-form").get_by_role("button").click()
    page.get_by_test_id("status").wait_for()
    page.get_by_role("button", name="退出").click()

    approval = smtp_server.wait_for(3)[2]
    page.goto(link(approval, "/accounts/reset/"))
    page.locator("[name=new_password1]").fill("Xinhong-2026-pass")
    page.locator("[name=new_password2]").fill("Xinhong-2026-pass")
    page.get_by_role("button", name="设置密码").click()
    page.wait_for_url("**/reset/done/")
    sign_in(page, "wang@example.org", "Xinhong-2026-pass")
    page.wait_for_url("**/")
    assert "王联络" in page.get_by_test_id("current-user").inner_text()

    # The alliance named in the registration became a join request; the contact asks for another.
    page.get_by_role("link", name="我的单位").click()
    requests = page.get_by_test_id("unit-join-requests")
    assert "新虹党建联盟" in requests.inner_text()
    page.goto(f"/alliances/{other.pk}/")
    join = page.get_by_test_id("join")
    join.locator("[name=message]").fill("我们愿意提供园区活动场地。")
    join.get_by_role("button", name="申请加入").click()
    page.get_by_test_id("join").get_by_text("申请处理中").wait_for()
    request = JoinRequest.objects.get(alliance=other)
    assert (request.status, request.message) == ("pending", "我们愿意提供园区活动场地。")
    assert request.unit.name == "上海新虹示范科技有限公司"
