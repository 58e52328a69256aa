"""Issue 6's journey in real Chromium: a demand from raising to rating through the e-mail the raiser
receives, then a demand that becomes a joint project, claimed by a second unit and accepted by staff."""

import re

import pytest

from services.choices import ClaimStatus, DemandStatus, ProjectStatus
from services.models import Claim, Demand, JointProject
from tests.factories import (
    AllianceFactory,
    DemandFactory,
    MembershipFactory,
    MemberUnitFactory,
    StaffFactory,
    UserFactory,
)
from tests.helpers import BROWSER_TIMEOUT_MS
from tests.portal.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-pass-2026"


@pytest.fixture
def browser_for(chromium, live_server):
    """A fresh browser context (its own cookies) per person, signed in."""
    contexts = []

    def open_as(username):
        context = chromium.new_context(
            base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        sign_in(page, username, PASSWORD)
        page.wait_for_url("**/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def _act(page, action, **fields):
    """Open one of the demand page's action cards, fill it and submit it."""
    card = page.get_by_test_id(f"action-{action}")
    form = card.locator("form")
    if not form.is_visible():
        card.locator(".card-header button").click()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.first.get_attribute("type") == "radio":
            form.locator(f"[name={name}][value='{value}']").check()
        else:
            field.fill(value)
    # Wait for the answer's page: the next step must not act on the page it leaves, whose cards
    # may still be there for a moment (a race that failed on CI's loaded cores).
    with page.expect_navigation():
        page.get_by_test_id(f"submit-{action}").click()


def _link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/services/demands/\d+/", body).group(0)


def test_a_demand_goes_from_raising_to_rating_and_another_becomes_a_claimed_project(
    browser_for, region, secretary_user, smtp_server, live_server, settings
):
    settings.PORTAL_BASE_URL = live_server.url
    raiser_unit = MemberUnitFactory(name="上海虹润生物医药科技有限公司", region=region)
    bank = MemberUnitFactory(name="上海华漕小额贷款股份有限公司", region=region, industry="finance")
    second = MemberUnitFactory(name="上海睿桥医药研发有限公司", region=region)
    UserFactory(username="raiser", unit=raiser_unit, email="raiser@example.org")
    UserFactory(username="banker", unit=bank, email="banker@example.org")
    UserFactory(username="second", unit=second, email="second@example.org")
    StaffFactory(username="staff")
    alliance = AllianceFactory(name="大虹桥生物医药产业集群党建联盟", lead_unit=raiser_unit)
    MembershipFactory(alliance=alliance, unit=raiser_unit, role="lead")
    MembershipFactory(alliance=alliance, unit=second)

    # 1. The unit contact raises a demand.
    contact = browser_for("raiser")
    contact.goto("/services/demands/new/")
    form = contact.get_by_test_id("demand-form")
    form.locator("[name=title]").fill("流动资金贷款对接")
    form.locator("[name=category]").select_option("financing")
    form.locator("[name=description]").fill("临床前研究阶段资金紧张，希望对接500万元流动资金贷款。")
    form.locator("button[type=submit]").click()
    contact.wait_for_url(re.compile(r".*/services/demands/\d+/$"))
    demand = Demand.objects.get(title="流动资金贷款对接")
    assert (demand.unit, demand.region, demand.status) == (raiser_unit, region, "submitted")

    # 2. The street secretary accepts it and assigns it to the bank's contact.
    secretary = browser_for(secretary_user.username)
    secretary.goto(f"/services/demands/{demand.pk}/")
    _act(secretary, "accept")
    secretary.get_by_test_id("action-assign").wait_for()
    _act(secretary, "assign", assignee_unit=bank.name, assignee="banker")
    # The field is always there ("—" before): wait for the bank's name in it.
    secretary.get_by_test_id("demand-assignee").get_by_text(bank.name).wait_for()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ASSIGNED
    assert demand.assignee.username == "banker" and demand.due_on is not None

    # 3. The assignee resolves it.
    banker = browser_for("banker")
    banker.goto(f"/services/demands/{demand.pk}/")
    _act(banker, "resolve", resolution="已对接华漕小贷，授信500万元，首笔300万元已放款。")
    banker.get_by_test_id("demand-resolution").wait_for()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.RESOLVED

    # 4. The raiser reads the e-mail from the SMTP server, follows its link and rates the result.
    to_raiser = [m for m in smtp_server.messages if "raiser@example.org" in m["To"]]
    resolved_mail = to_raiser[-1]
    assert "已对接华漕小贷" in resolved_mail.get_body(preferencelist=("plain",)).get_content()
    contact.goto(_link_in(resolved_mail).replace(live_server.url, ""))
    _act(contact, "rate", satisfaction="5", comment="对接及时，问题解决。")
    contact.get_by_test_id("demand-satisfaction").wait_for()
    demand.refresh_from_db()
    assert (demand.status, demand.satisfaction) == (DemandStatus.CLOSED, 5)
    kinds = list(demand.events.values_list("kind", flat=True))
    assert kinds == ["created", "accepted", "assigned", "resolved", "rated"]

    # 5. Staff turn another demand into a project, open for claiming.
    talent = DemandFactory(
        title="生物医药人才公寓申请",
        unit=raiser_unit,
        region=region,
        category="talent",
        status="accepted",
    )
    staff = browser_for("staff")
    staff.goto(f"/services/demands/{talent.pk}/")
    staff.get_by_test_id("demand-to-project").click()
    form = staff.get_by_test_id("from-demand-form")
    assert form.locator("[name=title]").input_value() == "生物医药人才公寓申请"
    form.locator("[name=alliance]").select_option(str(alliance.pk))
    form.locator("[name=open_now]").check()
    staff.get_by_test_id("from-demand-submit").click()
    staff.wait_for_url(re.compile(r".*/services/projects/\d+/$"))
    project = JointProject.objects.get(title="生物医药人才公寓申请")
    talent.refresh_from_db()
    assert talent.project == project and project.from_demand == talent
    assert project.status == ProjectStatus.OPEN

    # 6. A second unit claims it; staff accept the claim and the unit takes part.
    claimer = browser_for("second")
    claimer.goto(f"/services/projects/{project.pk}/")
    claim_form = claimer.get_by_test_id("claim-form")
    claim_form.locator("[name=message]").fill("我司可提供人才招聘与培训支持。")
    claim_form.locator("button[type=submit]").click()
    claimer.get_by_test_id("my-pending-claim").wait_for()
    claim = Claim.objects.get(project=project, unit=second)
    assert claim.status == ClaimStatus.PENDING

    staff.goto(f"/services/projects/{project.pk}/")
    staff.get_by_test_id("claim-accept").click()
    staff.get_by_test_id("participants").get_by_text(second.name).wait_for()
    claim.refresh_from_db()
    project.refresh_from_db()
    assert claim.status == ClaimStatus.ACCEPTED
    assert project.participants.filter(unit=second).exists()
    assert project.status == ProjectStatus.CLAIMED
    assert any("second@example.org" in m["To"] for m in smtp_server.messages)
