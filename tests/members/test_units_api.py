import pytest

from alliances.models import Membership
from members.models import MemberUnit
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    MemberUnitFactory,
    SubdistrictFactory,
    UserFactory,
)
from tests.helpers import assert_keeps_to_schema

LIST = "/api/v1/units/"
pytestmark = pytest.mark.django_db


def detail(unit):
    return f"/api/v1/units/{unit.pk}/"


def names(response):
    return sorted(row["name"] for row in response.json()["results"])


@pytest.fixture
def network(region):
    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    bio = AllianceFactory(name="生物医药产业党建联盟")
    ai = AllianceFactory(name="人工智能产业党建联盟")
    a = MemberUnitFactory(
        name="上海虹桥生物科技有限公司",
        region=region,
        industry="biomedicine",
        contact_phone="13912345678",
    )
    b = MemberUnitFactory(
        name="上海七宝智能装备有限公司",
        region=qibao,
        industry="high_end_equipment",
        party_org_type="none",
        org_covered=False,
        key_target=True,
    )
    c = MemberUnitFactory(
        name="新虹数字服务中心", region=region, unit_type="social_organization", work_covered=True
    )
    MembershipFactory(alliance=bio, unit=a)
    MembershipFactory(alliance=ai, unit=a)
    MembershipFactory(alliance=ai, unit=b)
    return {"bio": bio, "ai": ai, "a": a, "b": b, "c": c, "qibao": qibao}


class TestSearchAndFilters:
    def test_search_by_any_part_of_the_chinese_name(self, staff_api, network):
        assert names(staff_api.get(LIST, {"q": "七宝"})) == ["上海七宝智能装备有限公司"]
        assert names(staff_api.get(LIST, {"search": "数字"})) == ["新虹数字服务中心"]

    def test_search_by_credit_code_prefix(self, staff_api, network):
        code = network["b"].credit_code
        assert names(staff_api.get(LIST, {"q": code[:12].lower()})) == [network["b"].name]

    def test_region_filter_includes_everything_below(self, staff_api, network):
        assert len(staff_api.get(LIST, {"region": "310112"}).json()["results"]) == 3
        assert names(staff_api.get(LIST, {"region": "310112102"})) == ["上海七宝智能装备有限公司"]

    def test_type_industry_party_org_coverage_key_target_and_alliance_filters(
        self, staff_api, network
    ):
        assert names(staff_api.get(LIST, {"unit_type": "social_organization"})) == [
            "新虹数字服务中心"
        ]
        assert names(staff_api.get(LIST, {"industry": "biomedicine"})) == [
            "上海虹桥生物科技有限公司"
        ]
        assert names(staff_api.get(LIST, {"party_org_type": "none"})) == [
            "上海七宝智能装备有限公司"
        ]
        assert names(staff_api.get(LIST, {"org_covered": "false"})) == ["上海七宝智能装备有限公司"]
        assert names(staff_api.get(LIST, {"work_covered": "true"})) == ["新虹数字服务中心"]
        assert names(staff_api.get(LIST, {"key_target": "true"})) == ["上海七宝智能装备有限公司"]
        assert names(staff_api.get(LIST, {"alliance": network["ai"].pk})) == [
            "上海七宝智能装备有限公司",
            "上海虹桥生物科技有限公司",
        ]

    def test_ended_memberships_do_not_count_for_the_alliance_filter(self, staff_api, network):
        Membership.objects.filter(unit=network["b"]).update(
            left_on="2026-01-01", joined_on="2025-01-01"
        )
        assert names(staff_api.get(LIST, {"alliance": network["ai"].pk})) == [
            "上海虹桥生物科技有限公司"
        ]

    def test_list_counts_current_alliances(self, staff_api, network):
        rows = {r["name"]: r for r in staff_api.get(LIST).json()["results"]}
        assert rows["上海虹桥生物科技有限公司"]["alliance_count"] == 2

    def test_list_query_count_does_not_grow_with_page_size(
        self, staff_api, region, django_assert_num_queries
    ):
        MemberUnitFactory.create_batch(3, region=region)
        with django_assert_num_queries(3):
            staff_api.get(LIST)
        MemberUnitFactory.create_batch(40, region=region)
        with django_assert_num_queries(3):
            assert len(staff_api.get(LIST).json()["results"]) == 43

    def test_detail_lists_memberships_past_and_present_in_constant_queries(
        self, staff_api, network, django_assert_num_queries
    ):
        MembershipFactory(unit=network["a"], joined_on="2024-01-01", left_on="2025-01-01")
        with django_assert_num_queries(3):
            body = staff_api.get(detail(network["a"])).json()
        assert len(body["memberships"]) == 3
        assert sum(1 for m in body["memberships"] if m["left_on"] is None) == 2


class TestWrites:
    payload = {
        "name": "上海新单位有限公司",
        "unit_type": "private_enterprise",
        "party_org_type": "branch",
        "org_covered": True,
    }

    def test_staff_create_a_unit_with_a_valid_code(self, staff_api, region):
        response = staff_api.post(
            LIST, {**self.payload, "credit_code": "91330100799655058b", "region": region.pk}
        )
        assert response.status_code == 201, response.json()
        assert MemberUnit.objects.get(name="上海新单位有限公司").credit_code == "91330100799655058B"

    def test_a_wrong_checksum_is_refused_and_says_so(self, staff_api, region):
        response = staff_api.post(
            LIST, {**self.payload, "credit_code": "91330100799655058C", "region": region.pk}
        )
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["attr"] == "credit_code" and "校验" in error["detail"]
        assert not MemberUnit.objects.filter(name=self.payload["name"]).exists()

    def test_a_duplicate_code_is_refused_and_names_the_existing_unit(self, staff_api, network):
        existing = network["a"]
        response = staff_api.post(
            LIST,
            {**self.payload, "credit_code": existing.credit_code, "region": existing.region_id},
        )
        assert response.status_code == 400
        assert existing.name in response.json()["errors"][0]["detail"]
        # "unique" is among the codes that the schema lists for credit_code (issue 23.5).
        assert_keeps_to_schema(response, "post", LIST)

    def test_enterprises_must_give_a_code(self, staff_api, region):
        response = staff_api.post(LIST, {**self.payload, "region": region.pk})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "credit_code"

    def test_deactivating_through_the_api_ends_memberships(self, staff_api, network):
        response = staff_api.patch(detail(network["a"]), {"status": "inactive"})
        assert response.status_code == 200
        assert not Membership.objects.current().filter(unit=network["a"]).exists()
        assert Membership.objects.filter(unit=network["a"]).count() == 2

    def test_units_cannot_be_deleted(self, staff_api, network):
        assert staff_api.delete(detail(network["a"])).status_code == 405

    def test_only_staff_write(self, secretary_api, unit_api, network):
        assert secretary_api.patch(detail(network["a"]), {"name": "x"}).status_code == 403
        assert unit_api.post(LIST, {}).status_code == 403


class TestScope:
    def test_secretary_sees_every_unit_but_contacts_only_in_their_region(
        self, secretary_api, network
    ):
        rows = {r["name"]: r for r in secretary_api.get(LIST).json()["results"]}
        assert rows["上海虹桥生物科技有限公司"]["contact_phone"] == "13912345678"
        outside = rows["上海七宝智能装备有限公司"]
        assert (
            "*" in outside["contact_phone"]
            and outside["contact_phone"] != network["b"].contact_phone
        )
        assert "***@" in outside["contact_email"]

    def test_unit_contact_sees_own_unit_and_fellow_members_only(self, network):
        from tests.helpers import client_for

        contact = UserFactory(username="bio-contact", unit=network["b"])
        client = client_for(contact)
        assert names(client.get(LIST)) == ["上海七宝智能装备有限公司", "上海虹桥生物科技有限公司"]
        assert client.get(detail(network["c"])).status_code == 404
        rows = {r["name"]: r for r in client.get(LIST).json()["results"]}
        assert rows["上海七宝智能装备有限公司"]["contact_phone"] == network["b"].contact_phone
        assert "*" in rows["上海虹桥生物科技有限公司"]["contact_phone"]

    def test_anonymous_sees_no_units(self, api_client, network):
        assert api_client.get(LIST).status_code == 401

    def test_deactivated_user_is_refused(self, inactive_user, network):
        from tests.helpers import client_for

        assert client_for(inactive_user).get(LIST).status_code == 401

    def test_history_of_a_unit_for_staff(self, staff_api, network):
        staff_api.patch(detail(network["a"]), {"party_member_count": 9})
        entries = staff_api.get(f"{detail(network['a'])}history/").json()
        assert {"field": "party_member_count", "old": 5, "new": 9} in entries[0]["changes"]


def test_api_export_follows_the_filters(staff_api, network):
    import io

    from openpyxl import load_workbook

    response = staff_api.get(f"{LIST}export/", {"key_target": "true"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "上海七宝智能装备有限公司"
    ]
