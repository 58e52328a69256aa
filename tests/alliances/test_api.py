import pytest

from alliances.models import Alliance, Membership
from tests.factories import AllianceFactory, MembershipFactory, MemberUnitFactory, RegionFactory
from tests.helpers import assert_keeps_to_schema

pytestmark = pytest.mark.django_db
ALLIANCES = "/api/v1/alliances/"
MEMBERSHIPS = "/api/v1/memberships/"


@pytest.fixture
def hub(region):
    lead = MemberUnitFactory(
        name="闵行区委组织部",
        unit_type="government_department",
        credit_code=None,
        region=region.parent,
    )
    hub = AllianceFactory(
        name="虹桥国际中央商务区枢纽党建共同体", short_name="枢纽共同体", kind="hub", lead_unit=lead
    )
    MembershipFactory(alliance=hub, unit=lead, role="lead")
    bio = AllianceFactory(name="生物医药产业党建联盟", parent=hub, industry="biomedicine")
    for name in ["高端装备", "数字经济", "人工智能"]:
        AllianceFactory(name=f"{name}产业党建联盟", parent=hub)
    unit = MemberUnitFactory(name="上海生物样本科技有限公司", region=region)
    MembershipFactory(alliance=bio, unit=unit, role="member")
    return hub


class TestDirectory:
    def test_the_public_sees_names_kinds_lead_units_and_nothing_personal(self, api_client, hub):
        rows = api_client.get(ALLIANCES).json()["results"]
        row = next(r for r in rows if r["name"] == hub.name)
        assert row["lead_unit_name"] == "闵行区委组织部"
        assert row["kind"] == "hub"
        assert set(row) == {
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "lead_unit_name",
            "industry",
            "status",
            "description",
            "member_count",
        }

    def test_filters_by_kind_parent_and_region(self, staff_api, hub):
        jiangsu = RegionFactory(code="320000", name="江苏省")
        suzhou = RegionFactory(code="320500", name="苏州市", level="city", parent=jiangsu)
        delta = AllianceFactory(name="长三角人工智能产业链党建联盟", kind="cross_regional")
        delta.regions.add(suzhou)
        assert [
            r["name"]
            for r in staff_api.get(ALLIANCES, {"kind": "cross_regional"}).json()["results"]
        ] == [delta.name]
        assert len(staff_api.get(ALLIANCES, {"parent": hub.pk}).json()["results"]) == 4
        assert [
            r["name"] for r in staff_api.get(ALLIANCES, {"region": "320000"}).json()["results"]
        ] == [delta.name]
        assert [
            r["name"] for r in staff_api.get(ALLIANCES, {"top_level": "true"}).json()["results"]
        ] == sorted([hub.name, delta.name])

    def test_list_query_count_does_not_grow(self, staff_api, hub, django_assert_num_queries):
        with django_assert_num_queries(4):
            staff_api.get(ALLIANCES)
        AllianceFactory.create_batch(30, parent=hub)
        with django_assert_num_queries(4):
            staff_api.get(ALLIANCES)

    def test_tree_nests_alliances_and_lists_their_members(
        self, staff_api, api_client, hub, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(5):
            tree = staff_api.get(f"{ALLIANCES}{hub.pk}/tree/").json()
        assert tree[0]["name"] == hub.name
        assert len(tree[0]["children"]) == 4
        assert tree[0]["members"] == [
            {"id": hub.lead_unit_id, "name": "闵行区委组织部", "role": "lead"}
        ]
        bio = next(c for c in tree[0]["children"] if c["name"] == "生物医药产业党建联盟")
        assert bio["members"][0]["name"] == "上海生物样本科技有限公司"
        public = api_client.get(f"{ALLIANCES}{hub.pk}/tree/").json()
        assert public[0]["members"] == []

    def test_detail_spans_regions(self, staff_api, hub, region):
        hub.regions.add(region)
        body = staff_api.get(f"{ALLIANCES}{hub.pk}/").json()
        assert body["region_details"][0]["name"] == "新虹街道"


class TestAllianceWrites:
    def test_staff_create_and_nest(self, staff_api, hub, region):
        response = staff_api.post(
            ALLIANCES,
            {
                "name": "华漕镇区域党建共同体",
                "kind": "street_governance",
                "parent": hub.pk,
                "regions": [region.pk],
                "mechanisms": ["党群联动", "服务联手"],
            },
        )
        assert response.status_code == 201, response.json()
        created = Alliance.objects.get(name="华漕镇区域党建共同体")
        assert created.mechanisms == ["党群联动", "服务联手"] and created.parent == hub

    def test_a_cycle_in_the_nesting_is_refused(self, staff_api, hub):
        child = hub.children.first()
        response = staff_api.patch(f"{ALLIANCES}{hub.pk}/", {"parent": child.pk})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "parent"
        # Its code ("invalid", the serializer's check) is one the schema lists (issue 23.5).
        assert_keeps_to_schema(response, "patch", f"{ALLIANCES}{{id}}/")

    def test_ending_an_alliance_ends_its_memberships(self, staff_api, hub):
        bio = Alliance.objects.get(name="生物医药产业党建联盟")
        response = staff_api.post(f"{ALLIANCES}{bio.pk}/end/", {"ended_on": "2026-11-01"})
        assert response.status_code == 200, response.json()
        bio.refresh_from_db()
        assert bio.status == "dissolved" and str(bio.ended_on) == "2026-11-01"
        assert not bio.memberships.current().exists() and bio.memberships.count() == 1

    def test_an_alliance_with_live_alliances_inside_cannot_end(self, staff_api, hub):
        response = staff_api.post(f"{ALLIANCES}{hub.pk}/end/", {})
        assert response.status_code == 400
        hub.refresh_from_db()
        assert hub.status == "active"

    def test_non_staff_cannot_write(self, secretary_api, api_client, hub):
        assert secretary_api.post(ALLIANCES, {"name": "x", "kind": "hub"}).status_code == 403
        assert api_client.post(f"{ALLIANCES}{hub.pk}/end/", {}).status_code == 401
        assert secretary_api.post(f"{ALLIANCES}{hub.pk}/end/", {}).status_code == 403


class TestMemberships:
    def test_add_a_unit_with_a_role_and_end_it_keeping_the_row(self, staff_api, hub, region):
        unit = MemberUnitFactory(region=region)
        response = staff_api.post(
            MEMBERSHIPS,
            {"alliance": hub.pk, "unit": unit.pk, "role": "deputy", "joined_on": "2026-03-01"},
        )
        assert response.status_code == 201, response.json()
        membership = Membership.objects.get(alliance=hub, unit=unit)
        ended = staff_api.post(f"{MEMBERSHIPS}{membership.pk}/end/", {"left_on": "2026-10-01"})
        assert ended.status_code == 200
        assert ended.json()["left_on"] == "2026-10-01"
        assert staff_api.delete(f"{MEMBERSHIPS}{membership.pk}/").status_code == 405
        past = staff_api.get(MEMBERSHIPS, {"unit": unit.pk, "current": "false"}).json()["results"]
        assert [m["id"] for m in past] == [membership.pk]

    def test_a_second_open_membership_is_refused_and_a_rejoin_after_leaving_is_allowed(
        self, staff_api, hub
    ):
        lead = hub.lead_unit
        response = staff_api.post(MEMBERSHIPS, {"alliance": hub.pk, "unit": lead.pk})
        assert response.status_code == 400
        assert "已是" in response.json()["errors"][0]["detail"]
        assert_keeps_to_schema(response, "post", MEMBERSHIPS)
        membership = Membership.objects.get(alliance=hub, unit=lead)
        staff_api.post(f"{MEMBERSHIPS}{membership.pk}/end/", {})
        assert staff_api.post(MEMBERSHIPS, {"alliance": hub.pk, "unit": lead.pk}).status_code == 201

    def test_leaving_before_joining_is_refused(self, staff_api, hub):
        membership = Membership.objects.get(alliance=hub)
        response = staff_api.post(f"{MEMBERSHIPS}{membership.pk}/end/", {"left_on": "1999-01-01"})
        assert response.status_code == 400
        membership.refresh_from_db()
        assert membership.left_on is None

    def test_membership_list_query_count_is_constant(
        self, staff_api, hub, django_assert_num_queries
    ):
        with django_assert_num_queries(3):
            staff_api.get(MEMBERSHIPS)
        MembershipFactory.create_batch(25, alliance=hub)
        with django_assert_num_queries(3):
            assert staff_api.get(MEMBERSHIPS).json()["count"] == 27

    def test_a_unit_contact_sees_memberships_of_their_alliances_only(self, hub):
        from tests.factories import UserFactory
        from tests.helpers import client_for

        bio_member = Membership.objects.get(alliance__name="生物医药产业党建联盟").unit
        other = AllianceFactory(name="别的联盟")
        MembershipFactory(alliance=other)
        client = client_for(UserFactory(username="bio", unit=bio_member))
        alliances = {m["alliance_name"] for m in client.get(MEMBERSHIPS).json()["results"]}
        assert alliances == {"生物医药产业党建联盟"}
        assert (
            client.post(MEMBERSHIPS, {"alliance": other.pk, "unit": bio_member.pk}).status_code
            == 403
        )
