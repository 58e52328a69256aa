"""The staff journey of issue 3 in real Chromium: find a unit, add it to an alliance, see it in the org chart."""

import pytest

from tests.factories import AllianceFactory, MembershipFactory, MemberUnitFactory
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_NAMES = """el => {
  const names = [];
  const walk = n => { names.push(n.name); (n.children || []).forEach(walk); };
  echarts.getInstanceByDom(el).getOption().series[0].data.forEach(walk);
  return names;
}"""


def test_find_a_unit_add_it_to_an_alliance_and_see_it_in_the_org_chart(page, staff_user, region):
    hub = AllianceFactory(name="虹桥枢纽党建共同体", short_name="枢纽共同体", kind="hub")
    bio = AllianceFactory(name="生物医药产业党建联盟", short_name="生物医药", parent=hub)
    MembershipFactory(
        alliance=bio, unit=MemberUnitFactory(name="上海联合样本有限公司", region=region)
    )
    MemberUnitFactory(name="上海虹桥精准医疗科技有限公司", region=region)
    MemberUnitFactory(name="上海七宝装备有限公司", region=region)

    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.get_by_role("link", name="成员单位").first.click()
    page.get_by_label("名称或信用代码").fill("精准医疗")
    page.get_by_role("button", name="筛选").click()
    rows = page.get_by_test_id("units").locator("tbody tr")
    assert rows.count() == 1
    rows.get_by_role("link", name="上海虹桥精准医疗科技有限公司").click()

    join = page.get_by_test_id("join-form")
    join.get_by_label("党建联盟").select_option(label="生物医药产业党建联盟")
    join.get_by_label("角色").select_option(value="deputy")
    join.get_by_role("button", name="添加").click()
    page.get_by_test_id("current-alliances").get_by_role(
        "link", name="生物医药产业党建联盟"
    ).click()

    assert "上海虹桥精准医疗科技有限公司" in page.get_by_test_id("members-deputy").inner_text()
    chart = page.get_by_test_id("org-chart")
    chart.locator("canvas").wait_for()
    assert "上海虹桥精准医疗科技有限公司" in chart.evaluate(CHART_NAMES)

    page.goto("/alliances/chart/")
    network = page.get_by_test_id("org-chart")
    network.locator("canvas").wait_for()
    names = network.evaluate(CHART_NAMES)
    assert "枢纽共同体（0）" in names and "生物医药（2）" in names


def test_add_a_member_from_the_alliance_page_by_typing_part_of_its_name(page, staff_user, region):
    alliance = AllianceFactory(name="数字经济产业党建联盟")
    MemberUnitFactory(name="上海新虹数据服务有限公司", region=region)
    sign_in(page, "staff-user", "Test-pass-2026")
    page.wait_for_url("**/")
    page.goto(alliance.get_absolute_url())
    page.get_by_label("添加单位：输入名称中的几个字").fill("数据服务")
    candidates = page.get_by_test_id("candidates")
    candidates.get_by_text("上海新虹数据服务有限公司").wait_for()
    candidates.get_by_role("button", name="添加").click()
    page.get_by_test_id("members-member").get_by_text("上海新虹数据服务有限公司").wait_for()
