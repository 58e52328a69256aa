"""/api/v1/activities/: scope per role, JSON and multipart writes, photos, totals, export, history."""

import io

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from services.models import Activity
from tests.factories import ActivityFactory
from tests.helpers import client_as
from tests.services import test_activities as pages

# The page tests' fixtures: their world, and photos on a file system under the test's folder.
world = pages.world
media = pages.media
VISIBLE, not_an_image, photo = pages.VISIBLE, pages.not_an_image, pages.photo

pytestmark = pytest.mark.django_db

LIST = "/api/v1/activities/"


def detail(activity) -> str:
    return f"{LIST}{activity.pk}/"


def payload(world, **changes) -> dict:
    data = {
        "title": "暖新驿站骑手服务日",
        "activity_type": "volunteer_service",
        "held_on": "2026-11-18",
        "station": world["station"].pk,
        "participant_count": 50,
        "party_member_count": 6,
        "description": "为快递小哥提供休息、充电和饮水服务",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def attrs(response) -> set[str]:
    assert response.status_code == 400, response.content
    return {error["attr"] for error in response.json()["errors"]}


# --- reads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*VISIBLE, "anonymous"])
def test_list_is_scoped_per_role(world, role):
    response = client_as(world, role).get(LIST)
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert {row["title"] for row in response.json()["results"]} == VISIBLE[role]


def test_list_uses_the_pages_filters(world):
    client = client_as(world, "staff")
    body = client.get(LIST, {"region": "310112008-C01"}).json()
    assert [row["title"] for row in body["results"]] == ["欣虹空间党课"]
    row = body["results"][0]
    assert row["region_code"] == "310112008-G01"
    assert row["station_name"] == "欣虹空间"
    assert row["alliance_name"] == "新虹片区党建共同体"
    assert row["photo_count"] == 0
    assert attrs(client.get(LIST, {"held_before": "昨天"})) == {"held_before"}


def test_a_list_row_shows_what_the_activity_page_shows(world):
    # The list reads names through subqueries and only the columns it shows; the page joins.
    client = client_as(world, "staff")
    rows = client.get(LIST).json()["results"]
    assert {row["organizer_name"] for row in rows} == {"成员单位", None}
    for row in rows:
        page = client.get(f"{LIST}{row['id']}/").json()
        assert row == {field: page[field] for field in row}


def test_totals_follow_the_filter(world):
    client = client_as(world, "staff")
    assert client.get(f"{LIST}totals/", {"region": "310112008"}).json() == {
        "activities": 2,
        "participants": 100,
        "party_members": 37,
    }
    assert client.get(f"{LIST}totals/", {"activity_type": "enterprise_visit"}).json() == {
        "activities": 1,
        "participants": 8,
        "party_members": 3,
    }
    assert client_as(world, "other_contact").get(f"{LIST}totals/").json()["activities"] == 0


def test_retrieve_lists_photos_with_urls(world):
    client = client_as(world, "secretary")
    client.post(f"{detail(world['in_grid'])}photos/", {"photos": [photo()]}, format="multipart")
    body = client_as(world, "member_contact").get(detail(world["in_grid"])).json()
    assert body["photo_count"] == 1
    (item,) = body["photos"]
    assert item["url"].startswith("http://testserver/media/activities/")
    assert client_as(world, "other_contact").get(detail(world["in_grid"])).status_code == 404


def test_export_is_the_filtered_list(world):
    response = client_as(world, "staff").get(f"{LIST}export/", {"station": world["elsewhere"].pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["七宝企业走访"]


def test_history_is_for_staff(world):
    url = f"{detail(world['in_grid'])}history/"
    assert client_as(world, "staff").get(url).status_code == 200
    assert client_as(world, "secretary").get(url).status_code == 403


def test_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    client = client_as(world, "secretary")
    # Token with its user, count, rows.
    with django_assert_num_queries(3):
        client.get(LIST)
    ActivityFactory.create_batch(40, region=world["grid"], station=world["station"])
    with django_assert_num_queries(3):
        assert len(client.get(LIST).json()["results"]) == 43


# --- writes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("member_contact", 403),
        ("other_contact", 403),
        ("outside_secretary", 400),  # may log activities, but not at a Xinhong station
        ("secretary", 201),
        ("staff", 201),
    ],
)
def test_create_per_role(world, role, status):
    response = client_as(world, role).post(LIST, payload(world), format="json")
    assert response.status_code == status, response.content
    if status == 201:
        body = response.json()
        # The station's region is the default region.
        assert body["region"] == world["grid"].pk
        assert body["recorded_by"] == str(world["users"][role])
        assert Activity.objects.get(pk=body["id"]).recorded_by == world["users"][role]


def test_create_with_photos_as_multipart(world, media):
    response = client_as(world, "secretary").post(
        LIST,
        {**payload(world), "photos": [photo("a.png"), photo("b.jpg", "JPEG")]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["photos"]) == 2
    activity = Activity.objects.get(pk=body["id"])
    assert all(default_storage.exists(p.image.name) for p in activity.photos.all())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"party_member_count": 60}, {"party_member_count"}),
        ({"station": None, "place": ""}, {"station", "region"}),
        ({"held_on": "2999-01-01"}, {"held_on"}),
        ({"title": ""}, {"title"}),
    ],
)
def test_wrong_fields_are_named(world, changes, expected):
    data = payload(world, **changes)
    if "station" in changes:
        data.pop("station", None)
    assert attrs(client_as(world, "secretary").post(LIST, data, format="json")) == expected
    assert not Activity.objects.filter(title="暖新驿站骑手服务日").exists()


def test_region_outside_the_secretarys_street_is_refused(world):
    data = payload(world, station=None, place="虹桥天地", region=world["hongqiao"].pk)
    data.pop("station", None)
    assert attrs(client_as(world, "secretary").post(LIST, data, format="json")) == {"region"}


@pytest.mark.parametrize(
    ("photos", "limit"),
    [
        (lambda: [not_an_image("fake.jpg")], 10**6),
        (lambda: [photo("big.png")], 10),
        (lambda: [photo(f"p{i}.png") for i in range(10)], 10**6),
    ],
    ids=["not-an-image", "too-large", "tenth-photo"],
)
def test_refused_photos_save_nothing(world, media, settings, photos, limit):
    settings.ACTIVITY_PHOTO_MAX_BYTES = limit
    response = client_as(world, "secretary").post(
        LIST, {**payload(world), "photos": photos()}, format="multipart"
    )
    assert {a.split(".")[0] for a in attrs(response)} == {"photos"}
    assert not Activity.objects.filter(title="暖新驿站骑手服务日").exists()
    assert not any(media.rglob("*.*")) if media.exists() else True


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("other_contact", 404),
        ("member_contact", 403),
        ("outside_secretary", 403),
        ("secretary", 200),
        ("staff", 200),
    ],
)
def test_update_per_role(world, role, status):
    response = client_as(world, role).patch(
        detail(world["in_grid"]), {"participant_count": 45}, format="json"
    )
    assert response.status_code == status, response.content
    world["in_grid"].refresh_from_db()
    assert (world["in_grid"].participant_count == 45) is (status == 200)


def test_update_checks_party_members_against_the_stored_participants(world):
    response = client_as(world, "secretary").patch(
        detail(world["in_grid"]), {"party_member_count": 41}, format="json"
    )
    assert attrs(response) == {"party_member_count"}


def test_activities_are_corrected_not_deleted(world):
    assert client_as(world, "staff").delete(detail(world["in_grid"])).status_code == 405
    assert Activity.objects.filter(pk=world["in_grid"].pk).exists()


def test_photos_are_added_and_removed(world, media, django_capture_on_commit_callbacks):
    client = client_as(world, "secretary")
    url = f"{detail(world['in_grid'])}photos/"
    response = client.post(url, {"photos": [photo() for _ in range(8)]}, format="multipart")
    assert response.status_code == 201
    assert len(response.json()["photos"]) == 8
    assert attrs(client.post(url, {"photos": [photo(), photo()]}, format="multipart")) == {"photos"}
    first = world["in_grid"].photos.first()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{url}{first.pk}/").status_code == 204
    assert not default_storage.exists(first.image.name)
    assert client.delete(f"{url}{first.pk}/").status_code == 404
    assert (
        client_as(world, "outside_secretary")
        .post(url, {"photos": [photo()]}, format="multipart")
        .status_code
        == 403
    )
    assert world["in_grid"].photos.count() == 7


def test_multipart_update_adds_photos(world, media):
    response = client_as(world, "staff").patch(
        detail(world["in_street"]),
        {"title": "滨江志愿服务(补记)", "photos": [photo()]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "滨江志愿服务(补记)"
    assert len(response.json()["photos"]) == 1


def test_schema_documents_the_multipart_endpoints(client):
    document = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    create = document["paths"]["/api/v1/activities/"]["post"]["requestBody"]["content"]
    assert set(create) == {"application/json", "multipart/form-data"}
    photos = document["paths"]["/api/v1/activities/{id}/photos/"]["post"]["requestBody"]
    assert set(photos["content"]) == {"multipart/form-data"}
    assert "delete" not in document["paths"]["/api/v1/activities/{id}/"]
    assert "delete" in document["paths"]["/api/v1/activities/{id}/photos/{photo_id}/"]
