import pytest
from django.urls import reverse

from portal.regions.choices import RegionLevel
from portal.regions.models import Region
from tests.factories import RegionFactory, SubdistrictFactory

LIST = "/api/v1/regions/"


def detail(region):
    return f"/api/v1/regions/{region.pk}/"


@pytest.fixture
def shanghai(db):
    shanghai = RegionFactory(code="310000", name="上海市")
    minhang = RegionFactory(
        code="310112", name="闵行区", level=RegionLevel.DISTRICT, parent=shanghai
    )
    RegionFactory(code="310104", name="徐汇区", level=RegionLevel.DISTRICT, parent=shanghai)
    xinhong = RegionFactory(
        code="310112008", name="新虹街道", level=RegionLevel.SUBDISTRICT, parent=minhang
    )
    RegionFactory(code="310112102", name="七宝镇", level=RegionLevel.SUBDISTRICT, parent=minhang)
    RegionFactory(code="310112008-G01", name="爱博片区", level=RegionLevel.GRID, parent=xinhong)
    return shanghai


def names(response):
    return [row["name"] for row in response.json()["results"]]


class TestReading:
    def test_anonymous_visitor_reads_the_public_tree(self, api_client, shanghai):
        response = api_client.get(LIST)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 6
        assert names(response)[:3] == ["上海市", "徐汇区", "闵行区"]

    def test_inactive_regions_are_hidden_from_anonymous_but_not_from_staff(
        self, api_client, staff_api, shanghai
    ):
        Region.objects.filter(code="310104").update(is_active=False)
        assert "徐汇区" not in names(api_client.get(LIST))
        assert "徐汇区" in names(staff_api.get(LIST))

    def test_within_filter_returns_the_region_and_everything_below_it(self, api_client, shanghai):
        response = api_client.get(LIST, {"within": "310112"})
        assert sorted(names(response)) == sorted(["闵行区", "新虹街道", "七宝镇", "爱博片区"])

    def test_within_an_unknown_code_returns_nothing(self, api_client, shanghai):
        assert api_client.get(LIST, {"within": "999999"}).json()["count"] == 0

    def test_level_filter_search_and_ordering(self, api_client, shanghai):
        assert names(api_client.get(LIST, {"level": "subdistrict", "ordering": "code"})) == [
            "新虹街道",
            "七宝镇",
        ]
        assert names(api_client.get(LIST, {"search": "新虹"})) == ["新虹街道"]
        assert names(api_client.get(LIST, {"q": "3101120"})) == ["新虹街道", "爱博片区"]

    def test_bad_filter_value_is_a_400_naming_the_field(self, api_client, shanghai):
        response = api_client.get(LIST, {"level": "planet"})
        assert response.status_code == 400
        body = response.json()
        assert body["type"] == "validation_error"
        assert body["errors"][0]["attr"] == "level"

    def test_pages_default_to_50_and_page_size_is_capped_at_500(self, api_client, db):
        Region.objects.bulk_create(
            Region(code=f"{i:06d}", name=f"省{i}", level="province", path=f"{i:06d}/")
            for i in range(120)
        )
        first = api_client.get(LIST).json()
        assert len(first["results"]) == 50 and first["count"] == 120 and first["next"]
        assert len(api_client.get(LIST, {"page_size": 100}).json()["results"]) == 100
        assert len(api_client.get(LIST, {"page_size": 100000}).json()["results"]) == 120

    def test_out_of_range_page_is_a_404_with_the_error_body(self, api_client, shanghai):
        response = api_client.get(LIST, {"page": 99})
        assert response.status_code == 404
        assert response.json()["type"] == "client_error"

    def test_list_query_count_does_not_grow_with_rows(
        self, api_client, staff_api, django_assert_num_queries, db
    ):
        root = RegionFactory(code="310000")
        for i in range(3):
            RegionFactory(code=f"3101{i:02d}", level=RegionLevel.DISTRICT, parent=root)
        with django_assert_num_queries(2):
            api_client.get(LIST)
        for i in range(3, 40):
            RegionFactory(code=f"3101{i:02d}", level=RegionLevel.DISTRICT, parent=root)
        with django_assert_num_queries(2):
            assert len(api_client.get(LIST).json()["results"]) == 41
        # Token authentication adds one query (the token and its user), independent of rows.
        with django_assert_num_queries(3):
            staff_api.get(LIST)

    def test_tree_is_nested_and_can_start_at_a_root_with_a_depth(self, api_client, shanghai):
        tree = api_client.get("/api/v1/regions/tree/").json()
        assert [n["name"] for n in tree] == ["上海市"]
        minhang = next(n for n in tree[0]["children"] if n["code"] == "310112")
        xinhong = next(n for n in minhang["children"] if n["code"] == "310112008")
        assert [n["name"] for n in xinhong["children"]] == ["爱博片区"]

        shallow = api_client.get("/api/v1/regions/tree/", {"root": "310112", "depth": 1}).json()
        assert shallow[0]["name"] == "闵行区"
        assert {n["name"] for n in shallow[0]["children"]} == {"新虹街道", "七宝镇"}
        assert all(n["children"] == [] for n in shallow[0]["children"])

    def test_tree_query_count_is_constant(self, api_client, shanghai, django_assert_num_queries):
        with django_assert_num_queries(1):
            api_client.get("/api/v1/regions/tree/")

    def test_tree_with_unknown_root_is_404_and_bad_depth_is_400(self, api_client, shanghai):
        assert api_client.get("/api/v1/regions/tree/", {"root": "nowhere"}).status_code == 404
        response = api_client.get("/api/v1/regions/tree/", {"depth": "deep"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "depth"


class TestWriting:
    def test_staff_creates_a_region_whose_path_follows_its_parent(self, staff_api, shanghai):
        minhang = Region.objects.get(code="310112")
        response = staff_api.post(
            LIST,
            {"code": "310112006", "name": "古美街道", "level": "subdistrict", "parent": minhang.pk},
        )
        assert response.status_code == 201, response.json()
        created = Region.objects.get(code="310112006")
        assert created.path == "310000/310112/310112006/"
        assert created.depth == 2
        assert response.json()["path"] == created.path

    def test_a_parent_below_the_child_level_is_refused_in_chinese(self, staff_api, shanghai):
        grid = Region.objects.get(code="310112008-G01")
        response = staff_api.post(
            LIST, {"code": "X1", "name": "错误", "level": "district", "parent": grid.pk}
        )
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["attr"] == "parent"
        assert "上级" in error["detail"]
        assert not Region.objects.filter(code="X1").exists()

    def test_duplicate_code_is_refused(self, staff_api, shanghai):
        response = staff_api.post(LIST, {"code": "310112", "name": "重复", "level": "province"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "code"

    def test_moving_a_region_moves_its_whole_subtree(self, staff_api, shanghai):
        xinhong = Region.objects.get(code="310112008")
        xuhui = Region.objects.get(code="310104")
        response = staff_api.patch(detail(xinhong), {"parent": xuhui.pk})
        assert response.status_code == 200, response.json()
        grid = Region.objects.get(code="310112008-G01")
        assert grid.path == "310000/310104/310112008/310112008-G01/"
        assert grid.depth == 3

    def test_a_region_cannot_be_moved_below_itself(self, staff_api, shanghai):
        minhang = Region.objects.get(code="310112")
        xinhong = Region.objects.get(code="310112008")
        response = staff_api.patch(detail(minhang), {"parent": xinhong.pk, "level": "grid"})
        assert response.status_code == 400
        assert Region.objects.get(code="310112").parent.code == "310000"

    def test_deleting_a_region_with_children_is_a_409_and_a_leaf_can_go(self, staff_api, shanghai):
        minhang = Region.objects.get(code="310112")
        response = staff_api.delete(detail(minhang))
        assert response.status_code == 409
        assert "引用" in response.json()["errors"][0]["detail"]
        assert Region.objects.filter(pk=minhang.pk).exists()
        leaf = Region.objects.get(code="310112008-G01")
        assert staff_api.delete(detail(leaf)).status_code == 204

    def test_secretaries_and_unit_contacts_cannot_write_and_anonymous_must_sign_in(
        self, secretary_api, unit_api, api_client, shanghai
    ):
        payload = {"code": "1", "name": "x", "level": "province"}
        assert secretary_api.post(LIST, payload).status_code == 403
        assert unit_api.post(LIST, payload).status_code == 403
        assert api_client.post(LIST, payload).status_code == 401
        assert secretary_api.patch(detail(shanghai), {"name": "改名"}).status_code == 403
        assert Region.objects.get(pk=shanghai.pk).name == "上海市"

    def test_history_shows_who_changed_what_to_staff_only(
        self, staff_api, secretary_api, staff_user, shanghai
    ):
        staff_api.patch(detail(shanghai), {"name": "上海"})
        history = staff_api.get(f"{detail(shanghai)}history/").json()
        assert history[0]["history_type"] == "~"
        assert history[0]["history_user"] == str(staff_user)
        assert history[0]["changes"] == [{"field": "name", "old": "上海市", "new": "上海"}]
        assert history[-1]["history_type"] == "+"
        assert secretary_api.get(f"{detail(shanghai)}history/").status_code == 403


class TestToken:
    def test_token_endpoint_returns_a_token_that_authenticates(self, api_client, staff_user):
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "staff-user", "password": "Test-pass-2026"}
        )
        assert response.status_code == 200
        token = response.json()["token"]
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert (
            api_client.post(LIST, {"code": "1", "name": "省", "level": "province"}).status_code
            == 201
        )

    def test_wrong_password_is_a_400_in_chinese(self, api_client, staff_user):
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "staff-user", "password": "nope"}
        )
        assert response.status_code == 400
        assert "无法登录" in response.json()["errors"][0]["detail"]

    def test_deactivated_user_cannot_get_a_token_nor_use_an_old_one(
        self, api_client, staff_api, staff_user
    ):
        staff_user.is_active = False
        staff_user.save()
        response = api_client.post(
            "/api/v1/auth/token/", {"username": "staff-user", "password": "Test-pass-2026"}
        )
        assert response.status_code == 400
        assert staff_api.get(LIST).status_code == 401

    def test_english_is_available(self, api_client, staff_user):
        response = api_client.post(
            "/api/v1/auth/token/",
            {"username": "staff-user", "password": "nope"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert "Unable to log in with the user name" in response.json()["errors"][0]["detail"]


def test_subtree_queryset_and_ancestors(db):
    grid_parent = SubdistrictFactory(
        code="310112008", parent__code="310112", parent__parent__code="310000"
    )
    assert [r.code for r in grid_parent.ancestors()] == ["310000", "310112"]
    assert list(Region.objects.subtree(grid_parent.parent)) == [grid_parent.parent, grid_parent]
    assert reverse("regions:detail", args=[grid_parent.pk]) == grid_parent.get_absolute_url()
