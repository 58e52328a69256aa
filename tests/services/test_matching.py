"""Matching suggestions: what fits a demand or a project, the reasons shown, and a fixed query count."""

import datetime

import pytest
from django.utils.translation import gettext

from services.selectors.matching import suggestions_for_demand, suggestions_for_project
from tests.factories import (
    AllianceFactory,
    DemandFactory,
    DistrictFactory,
    JointProjectFactory,
    MembershipFactory,
    MemberUnitFactory,
    ProjectParticipantFactory,
    ResourceOfferFactory,
    SubdistrictFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    district = DistrictFactory(code="310112", name="闵行区")
    street, other_street = (
        SubdistrictFactory(code="310112008", name="虹桥镇", parent=district),
        SubdistrictFactory(code="310112101", name="莘庄镇", parent=district),
    )
    far = SubdistrictFactory(code="320506001", name="吴中某街道")
    alliance = AllianceFactory(name="生物医药产业党建联盟")
    raiser = MemberUnitFactory(name="某生物科技公司", region=street, industry="biomedicine")
    fellow_bank = MemberUnitFactory(name="联盟内银行", region=street, industry="finance")
    far_fellow = MemberUnitFactory(name="外地成员企业", region=far, industry="biomedicine")
    fellow_plain = MemberUnitFactory(name="联盟内物流企业", region=far, industry="logistics")
    for unit in (raiser, fellow_bank, far_fellow, fellow_plain):
        MembershipFactory(alliance=alliance, unit=unit)
    nearby_bank = MemberUnitFactory(name="莘庄农商行", region=other_street, industry="finance")
    stranger = MemberUnitFactory(name="外地无关企业", region=far, industry="finance")
    offers = {
        "fellow": ResourceOfferFactory(unit=fellow_bank, category="funding", title="科创贷"),
        "far_fellow": ResourceOfferFactory(unit=far_fellow, category="funding", title="产业基金"),
        "nearby": ResourceOfferFactory(unit=nearby_bank, category="funding", title="小微快贷"),
        "venue": ResourceOfferFactory(unit=fellow_bank, category="venue", title="会议室"),
        "stranger": ResourceOfferFactory(unit=stranger, category="funding", title="外地贷款"),
        "own": ResourceOfferFactory(unit=raiser, category="funding", title="自有资金"),
        "withdrawn": ResourceOfferFactory(
            unit=nearby_bank, category="funding", title="已撤回", is_active=False
        ),
        "expired": ResourceOfferFactory(
            unit=nearby_bank,
            category="funding",
            title="已过期",
            available_until=datetime.date(2020, 1, 1),
        ),
    }
    demand = DemandFactory(unit=raiser, region=street, category="financing")
    return {
        "alliance": alliance,
        "raiser": raiser,
        "fellow_bank": fellow_bank,
        "nearby_bank": nearby_bank,
        "fellow_plain": fellow_plain,
        "stranger": stranger,
        "far": far,
        "offers": offers,
        "demand": demand,
        "street": street,
    }


def _offers(suggestions):
    return [s.offer.title for s in suggestions if s.kind == "offer"]


def _units(suggestions):
    return [s.unit.name for s in suggestions if s.kind == "unit"]


def test_demand_offers_fit_the_category_are_ranked_members_first_and_give_reasons(network):
    suggestions = suggestions_for_demand(network["demand"])
    assert _offers(suggestions) == ["科创贷", "产业基金", "小微快贷"]
    best = suggestions[0]
    assert best.score == 9
    assert (
        gettext("a fellow member of %(alliance)s") % {"alliance": "生物医药产业党建联盟"}
        in best.reasons
    )
    assert gettext("in the same area (%(region)s)") % {"region": "虹桥镇"} in best.reasons
    nearby = next(s for s in suggestions if s.offer and s.offer.title == "小微快贷")
    assert gettext("in the same district") in nearby.reasons
    assert nearby.score == 3


def test_demand_units_are_those_able_to_answer_it(network):
    handled = MemberUnitFactory(
        name="区金融服务中心", region=network["far"], industry="public_service"
    )
    DemandFactory.create_batch(
        2, category="financing", status="resolved", assignee_unit=handled, region=network["far"]
    )
    units = _units(suggestions_for_demand(network["demand"]))
    assert units[0] == "联盟内银行"  # finance, fellow member, same street: 2 + 4 + 3
    assert "区金融服务中心" in units and "莘庄农商行" in units
    # A fellow member with nothing to offer a financing demand is not suggested; nor is the raiser.
    assert "联盟内物流企业" not in units
    assert "某生物科技公司" not in units
    reasons = next(
        s for s in suggestions_for_demand(network["demand"]) if s.unit.name == "区金融服务中心"
    ).reasons
    label = gettext("Financing")
    assert (
        gettext("has resolved %(count)s %(need)s demands before") % {"count": 2, "need": label}
        in reasons
    )


def test_project_suggests_fellow_members_not_yet_taking_part(network):
    project = JointProjectFactory(
        alliance=network["alliance"],
        lead_unit=network["raiser"],
        category="financing",
        region=network["street"],
    )
    ProjectParticipantFactory(project=project, unit=network["fellow_bank"], role="participant")
    suggestions = suggestions_for_project(project)
    units = _units(suggestions)
    assert "联盟内物流企业" in units  # a fellow member is welcome in a project
    assert "联盟内银行" not in units and "某生物科技公司" not in units  # already taking part
    assert "科创贷" not in _offers(suggestions)  # the participant's own offer is not suggested back
    assert _offers(suggestions)[0] == "产业基金"


def test_suggestions_take_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    demand = network["demand"]
    demand.refresh_from_db()
    with django_assert_max_num_queries(8) as before:
        suggestions_for_demand(demand)
    for _i in range(15):
        bank = MemberUnitFactory(region=network["street"], industry="finance")
        MembershipFactory(alliance=network["alliance"], unit=bank)
        ResourceOfferFactory(unit=bank, category="funding")
        DemandFactory(category="financing", status="closed", assignee_unit=bank)
    demand.refresh_from_db()
    with django_assert_max_num_queries(len(before.captured_queries)):
        suggestions = suggestions_for_demand(demand, limit=30)
    assert len(_offers(suggestions)) == 18
