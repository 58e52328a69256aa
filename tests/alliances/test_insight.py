import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from alliances.selectors.insight import (
    alliance_names,
    connector_units,
    key_targets_without_party,
    uncovered_industries,
    uncovered_regions,
)
from alliances.views import insight as views_insight
from tests.factories import AllianceFactory, MembershipFactory, MemberUnitFactory, RegionFactory

pytestmark = pytest.mark.django_db

PAGE = "/alliances/insight/"
KINDS = ["connectors", "uncovered-regions", "uncovered-industries", "key-targets-without-party"]


def export_url(kind: str) -> str:
    return f"/alliances/insight/{kind}.xlsx"


def street(code, name, district, **kwargs):
    return RegionFactory(code=code, name=name, level="subdistrict", parent=district, **kwargs)


def unit(name, region, *, industry="digital_economy", party="branch", **kwargs):
    return MemberUnitFactory(
        name=name,
        region=region,
        industry=industry,
        party_org_type=party,
        org_covered=party != "none",
        **kwargs,
    )


def join(alliance, member, *, joined_on=date(2024, 1, 1), left_on=None):
    return MembershipFactory(alliance=alliance, unit=member, joined_on=joined_on, left_on=left_on)


@pytest.fixture
def world(region):
    """A small district whose three lists are worked out by hand in the tests below.

    新虹街道 (`region`) is covered through units in its community and grid; 华漕镇 has units but
    only memberships that ended or are in alliances that are not active; 虹桥镇 has no units at all.
    """
    xinhong, minhang = region, region.parent
    xh_community = RegionFactory(
        code="310112008001", name="新虹社区", level="community", parent=xinhong
    )
    xh_grid = RegionFactory(
        code="310112008001-01", name="一号网格", level="grid", parent=xh_community
    )
    huacao = street("310112110", "华漕镇", minhang)
    hc_community = RegionFactory(
        code="310112110001", name="华漕社区", level="community", parent=huacao
    )
    hongqiao = street("310112102", "虹桥镇", minhang)
    street("310112999", "已撤销街道", minhang, is_active=False)

    ai = AllianceFactory(name="人工智能产业党建联盟", industry="artificial_intelligence")
    bio = AllianceFactory(name="生物医药产业党建联盟", industry="biomedicine")
    hub = AllianceFactory(name="枢纽党建共同体", kind="hub")
    old = AllianceFactory(name="物流产业党建联盟", industry="logistics", status="dissolved")
    sleepy = AllianceFactory(name="休眠党建联盟", status="dormant")

    w = SimpleNamespace(
        xinhong=xinhong, huacao=huacao, hongqiao=hongqiao, ai=ai, bio=bio, hub=hub, old=old
    )
    w.a = unit("甲人工智能公司", xh_grid, industry="artificial_intelligence")
    join(ai, w.a), join(hub, w.a)
    w.b = unit("乙人工智能公司", xh_community, industry="artificial_intelligence")
    join(hub, w.b)
    w.e = unit("戊数字集团", xinhong)
    join(ai, w.e), join(bio, w.e), join(hub, w.e)
    # Left the AI alliance and joined it again: still two alliances, not three.
    w.l = unit("子数字公司", xinhong)
    join(ai, w.l, left_on=date(2024, 6, 1)), join(ai, w.l, joined_on=date(2025, 1, 1))
    join(hub, w.l)
    # Only an ended membership and memberships of a dissolved and a dormant alliance.
    w.c = unit(
        "丙物流公司",
        hc_community,
        industry="logistics",
        party="none",
        key_target=True,
        employee_count=300,
    )
    join(ai, w.c, left_on=date(2025, 1, 1)), join(old, w.c), join(sleepy, w.c)
    w.d = unit("丁金融公司", huacao, industry="finance", party="none", key_target=True)
    # Inactive: its memberships cover nothing, and it is on no list.
    w.f = unit(
        "己金融公司", huacao, industry="finance", party="none", key_target=True, status="inactive"
    )
    join(ai, w.f), join(hub, w.f)
    w.g = unit("庚金融公司", xinhong, industry="finance", key_target=True)
    w.h = unit(
        "辛无行业公司", xinhong, industry="", party="none", key_target=True, employee_count=50
    )
    w.i = unit("壬生物公司", xinhong, industry="biomedicine")
    w.k = unit("癸文旅公司", xinhong, industry="culture_tourism", party="none")
    return w


# 1. Connectors


def test_connectors_are_units_in_two_or_more_active_alliances(world):
    connectors = list(connector_units())
    assert connectors[0] == world.e and connectors[0].alliance_count == 3
    assert set(connectors[1:]) == {world.a, world.l}
    assert [u.alliance_count for u in connectors[1:]] == [2, 2]
    # b is in one alliance; c's only other memberships ended or are in a dissolved or dormant
    # alliance; f is inactive.
    assert not {world.b, world.c, world.f} & set(connectors)


def test_connector_alliance_names_are_joined_with_a_chinese_comma(world):
    by_unit = {u: alliance_names(u) for u in connector_units()}
    assert set(by_unit[world.e].split("、")) == {world.ai.name, world.bio.name, world.hub.name}
    assert sorted(by_unit[world.l].split("、")) == sorted([world.ai.name, world.hub.name])


# 2. Uncovered


def test_uncovered_streets_count_units_below_them_and_skip_inactive_streets(world):
    rows = [
        (r.region.name, r.district_name, r.unit_count, r.key_target_count)
        for r in uncovered_regions()
    ]
    # 华漕镇: c (in a community below it) and d are active, both key targets; f is inactive.
    assert rows == [("华漕镇", "闵行区", 2, 2), ("虹桥镇", "闵行区", 0, 0)]


def test_a_membership_in_a_grid_covers_its_street(region):
    grid = RegionFactory(code="310112008-G1", name="网格", level="grid", parent=region)
    member = unit("网格里的公司", grid)
    assert [r.region for r in uncovered_regions()] == [region]
    join(AllianceFactory(), member)
    assert uncovered_regions() == []


def test_a_street_whose_code_begins_another_streets_code_is_not_covered_by_it(region):
    district = region.parent
    short = street("3101120", "短码街道", district)
    long_ = street("31011201", "长码街道", district)
    join(AllianceFactory(), unit("长码街道的公司", long_))
    assert {r.region for r in uncovered_regions()} == {region, short}


def test_uncovered_industries_have_no_alliance_and_no_connected_unit(world):
    rows = [(r.industry, r.unit_count) for r in uncovered_industries()]
    # finance: d and g (f is inactive); logistics' alliance is dissolved and c's memberships do
    # not count; culture_tourism: k. AI has an alliance and connected units, digital economy has
    # connected units, biomedicine has an active alliance; units without an industry are skipped.
    assert rows == [("finance", 2), ("culture_tourism", 1), ("logistics", 1)]


def test_an_industry_alliance_covers_its_industry_even_without_members(world):
    AllianceFactory(name="金融党建联盟", industry="finance")
    assert "finance" not in {r.industry for r in uncovered_industries()}


# 3. Key targets


def test_key_targets_without_party_are_active_and_largest_first(world):
    assert list(key_targets_without_party()) == [world.c, world.h, world.d]


# Page


def test_page_shows_the_three_lists_with_counts_and_unit_links(staff_client, world):
    response = staff_client.get(PAGE)
    assert response.status_code == 200
    context = response.context
    assert context["connector_count"] == 3 and context["key_target_count"] == 3
    assert context["uncovered_count"] == 5
    html = response.content.decode()
    for member in (world.e, world.a, world.l, world.c, world.d, world.h):
        assert f'href="/units/{member.pk}/"' in html
    assert "华漕镇" in html and "虹桥镇" in html and "已撤销街道" not in html
    for kind in KINDS:
        assert f'href="{export_url(kind)}"' in html
    assert "<script>" not in html.split("</main>")[0]


def test_page_shows_the_head_of_a_long_list(staff_client, world, monkeypatch):
    monkeypatch.setattr(views_insight, "PAGE_LIMIT", 1)
    response = staff_client.get(PAGE)
    assert len(response.context["connectors"]) == 1 and response.context["connector_count"] == 3
    assert len(response.context["key_targets"]) == 1


@pytest.mark.parametrize(
    ("who", "page_status", "export_status"),
    [("staff", 200, 200), ("secretary", 200, 200), ("unit", 403, 403)],
)
def test_staff_and_secretaries_may_read_insight_unit_contacts_may_not(
    client, staff_user, secretary_user, unit_user, who, page_status, export_status
):
    client.force_login({"staff": staff_user, "secretary": secretary_user, "unit": unit_user}[who])
    assert client.get(PAGE).status_code == page_status
    for kind in KINDS:
        assert client.get(export_url(kind)).status_code == export_status


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in [PAGE, *map(export_url, KINDS)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_export_kind_is_404(staff_client):
    assert staff_client.get(export_url("everything")).status_code == 404


# Exports


def read_sheet(response) -> list[list]:
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def expected_headers(kind: str) -> list[str]:
    with translation.override("zh-hans"):
        return [str(h) for h in views_insight.EXPORTS[kind][1]]


def test_connectors_export_equals_the_list(staff_client, world):
    rows = read_sheet(staff_client.get(export_url("connectors")))
    assert rows[0] == expected_headers("connectors")
    assert rows[0][:4] == ["名称", "统一社会信用代码", "地区", "单位类型"]
    assert rows[1:] == [
        [u.name, u.credit_code, u.region.name, "民营企业", u.alliance_count, alliance_names(u)]
        for u in connector_units()
    ]
    assert rows[1][4] == 3 and isinstance(rows[1][4], int)


def test_uncovered_regions_export_equals_the_list(staff_client, world):
    rows = read_sheet(staff_client.get(export_url("uncovered-regions")))
    assert rows[0] == expected_headers("uncovered-regions")
    assert rows[1:] == [["华漕镇", "闵行区", 2, 2], ["虹桥镇", "闵行区", 0, 0]]


def test_uncovered_industries_export_equals_the_list(staff_client, world):
    rows = read_sheet(staff_client.get(export_url("uncovered-industries")))
    assert rows[0] == expected_headers("uncovered-industries")
    with translation.override("zh-hans"):
        labels = [r.label for r in uncovered_industries()]
    assert rows[1:] == [[labels[0], 2], [labels[1], 1], [labels[2], 1]]
    assert rows[1][0] == "金融"


def test_key_targets_export_equals_the_list(staff_client, world):
    world.c.instructor = "王指导"
    world.c.save()
    rows = read_sheet(staff_client.get(export_url("key-targets-without-party")))
    assert rows[0] == expected_headers("key-targets-without-party")
    assert rows[0] == [
        "名称",
        "统一社会信用代码",
        "地区",
        "行业",
        "职工人数",
        "党建指导员",
        "联系人",
    ]
    names = [row[0] for row in rows[1:]]
    assert names == [world.c.name, world.h.name, world.d.name]
    assert rows[1] == [
        world.c.name,
        world.c.credit_code,
        "华漕社区",
        rows[1][3],
        300,
        "王指导",
        "张联络",
    ]
    assert rows[2][4] == 50 and rows[3][4] is None


# Query counts


def grow(world, n: int) -> None:
    """Add `n` rows to every list: connectors, uncovered streets and industries, key targets."""
    district = world.xinhong.parent
    for i in range(n):
        member = unit(f"新增连接单位{i}", world.xinhong)
        join(world.ai, member), join(world.hub, member)
        empty = street(f"310112{500 + i}", f"新增街道{i}", district)
        unit(f"新增重点对象{i}", empty, industry="other", party="none", key_target=True)
    unit("新增法律服务单位", world.hongqiao, industry="legal_services")


@pytest.mark.parametrize(
    ("selector", "queries"),
    [
        (lambda: list(connector_units()), 2),
        (uncovered_regions, 2),
        (uncovered_industries, 2),
        (lambda: list(key_targets_without_party()), 1),
    ],
)
def test_selector_query_counts_do_not_grow_with_rows(
    world, django_assert_num_queries, selector, queries
):
    with django_assert_num_queries(queries):
        few = selector()
    grow(world, 12)
    with django_assert_num_queries(queries):
        many = selector()
    assert len(many) > len(few)


def test_page_query_count_does_not_grow_with_rows(staff_client, world, django_assert_num_queries):
    with django_assert_num_queries(PAGE_QUERIES):
        staff_client.get(PAGE)
    grow(world, 12)
    with django_assert_num_queries(PAGE_QUERIES):
        staff_client.get(PAGE)


# session, user, then connectors (page, prefetch, count), streets and units by region, alliance
# industries and units by industry, key targets (page, count)
PAGE_QUERIES = 11


@pytest.mark.parametrize(
    ("kind", "queries"),
    # Each includes the one INSERT of the export log (portal.core.exports).
    [
        ("connectors", 5),
        ("uncovered-regions", 5),
        ("uncovered-industries", 5),
        ("key-targets-without-party", 4),
    ],
)
def test_export_query_counts_do_not_grow_with_rows(
    staff_client, world, django_assert_num_queries, kind, queries
):
    with django_assert_num_queries(queries):
        read_sheet(staff_client.get(export_url(kind)))
    grow(world, 12)
    with django_assert_num_queries(queries):
        rows = read_sheet(staff_client.get(export_url(kind)))
    assert len(rows) > 2
