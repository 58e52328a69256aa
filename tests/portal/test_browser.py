"""Journeys in real Chromium (Debian's), driven by Playwright against the live server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_staff_signs_in_and_sees_the_chinese_home_page(page, staff_user):
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_test_id("role").inner_text() == "区委组织部工作人员"
    assert page.get_by_test_id("region").inner_text() == "全区"
    assert page.get_by_role("link", name="工作台").is_visible()


def test_dashboard_draws_its_chart_from_vendored_echarts(page, staff_user):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto("/dashboard/")
    page.locator("[data-testid=regions-chart] canvas").wait_for()
    assert errors == []


def test_a_wrong_password_is_named_in_chinese_and_the_user_name_stays(page, staff_user):
    sign_in(page, "staff-user", "wrong-password")
    assert (
        "请输入一个正确的"
        in page.locator(".alert-danger, .invalid-feedback, .alert").first.inner_text()
    )
    assert page.get_by_label("用户名").input_value() == "staff-user"


def test_the_phone_layout_folds_the_navigation(page, secretary_user):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "secretary-user", "Test-pass-2026")
    page.wait_for_url("**/")
    assert not page.get_by_role("link", name="工作台").is_visible()
    page.get_by_role("button", name="展开导航").click()
    page.get_by_role("link", name="工作台").wait_for(state="visible")
    assert page.get_by_test_id("region").inner_text() == "新虹街道"


def test_switching_to_english(page, staff_user):
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.get_by_role("button", name="EN").click()
    page.get_by_test_id("role").filter(has_text="District staff").wait_for()
