"""The activity log in the browser and its actions: scope per role, the phone form, photos, lists."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from services.actions.activities import (
    activity_create,
    activity_update,
    pending_photos_purge,
    pending_photos_stash,
)
from services.models import Activity, ActivityPhoto
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    MembershipFactory,
    MemberUnitFactory,
    RegionFactory,
    SecretaryFactory,
    ServiceStationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("services:activity-list")
NEW = reverse("services:activity-create")


def image_bytes(fmt: str = "PNG", size=(6, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def photo(name: str = "photo.png", fmt: str = "PNG") -> SimpleUploadedFile:
    content_type = "image/jpeg" if fmt == "JPEG" else "image/png"
    return SimpleUploadedFile(name, image_bytes(fmt), content_type=content_type)


def not_an_image(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 this is no photo", content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos go to a real file system storage under the test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


@pytest.fixture
def world(region, secretary_user):
    """Xinhong street with a community and a grid inside it; Hongqiao town beside it."""
    community = RegionFactory(
        code="310112008-C01", name="爱博第一居民区", level="community", parent=region
    )
    grid = RegionFactory(code="310112008-G01", name="爱博片区", level="grid", parent=community)
    hongqiao = RegionFactory(
        code="310112107", name="虹桥镇", level="subdistrict", parent=region.parent
    )
    alliance = AllianceFactory(name="新虹片区党建共同体", short_name="新虹片区")
    member = MemberUnitFactory(name="成员单位", region=region)
    MembershipFactory(alliance=alliance, unit=member)
    stranger = MemberUnitFactory(name="无关单位", region=region)
    station = ServiceStationFactory(name="欣虹空间", region=grid)
    closed = ServiceStationFactory(name="已关闭驿站", region=region, is_open=False)
    elsewhere = ServiceStationFactory(name="虹桥镇党群服务中心", region=hongqiao)
    staff = StaffFactory(username="a-staff")
    users = {
        "staff": staff,
        "secretary": secretary_user,
        "outside_secretary": SecretaryFactory(username="a-hongqiao", region=hongqiao),
        "member_contact": UserFactory(username="a-member", unit=member),
        "other_contact": UserFactory(username="a-stranger", unit=stranger),
    }
    in_grid = ActivityFactory(
        title="欣虹空间党课",
        region=grid,
        station=station,
        alliance=alliance,
        held_on=datetime.date(2026, 10, 9),
        participant_count=40,
        party_member_count=25,
        recorded_by=secretary_user,
    )
    in_street = ActivityFactory(
        title="滨江志愿服务",
        activity_type="volunteer_service",
        region=region,
        place="黄浦江畔",
        held_on=datetime.date(2026, 8, 1),
        participant_count=60,
        party_member_count=12,
        recorded_by=secretary_user,
    )
    in_hongqiao = ActivityFactory(
        title="七宝企业走访",
        activity_type="enterprise_visit",
        region=hongqiao,
        station=elsewhere,
        organizer=member,
        held_on=datetime.date(2026, 11, 2),
        participant_count=8,
        party_member_count=3,
        recorded_by=staff,
    )
    return {
        "street": region,
        "community": community,
        "grid": grid,
        "hongqiao": hongqiao,
        "alliance": alliance,
        "member": member,
        "station": station,
        "closed": closed,
        "elsewhere": elsewhere,
        "users": users,
        "in_grid": in_grid,
        "in_street": in_street,
        "in_hongqiao": in_hongqiao,
    }


def form_data(world, **changes) -> dict:
    data = {
        "activity_type": "party_lecture",
        "held_on": "2026-11-20",
        "title": "新虹街道主题党课",
        "station": world["station"].pk,
        "place": "",
        "region": world["grid"].pk,
        "alliance": world["alliance"].pk,
        "organizer": "",
        "participant_count": "35",
        "party_member_count": "20",
        "description": "学习二十届四中全会精神",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def titles(response) -> set[str]:
    return {activity.title for activity in response.context["object_list"]}


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- who sees and who writes -------------------------------------------------------------------


VISIBLE = {
    "staff": {"欣虹空间党课", "滨江志愿服务", "七宝企业走访"},
    "secretary": {"欣虹空间党课", "滨江志愿服务", "七宝企业走访"},
    "outside_secretary": {"欣虹空间党课", "滨江志愿服务", "七宝企业走访"},
    # Of their alliance (the grid's lecture) or organized by their unit (the Qibao visit).
    "member_contact": {"欣虹空间党课", "七宝企业走访"},
    "other_contact": set(),
}


@pytest.mark.parametrize("role", VISIBLE)
def test_list_shows_each_role_its_scope(client, world, role):
    client.force_login(world["users"][role])
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == VISIBLE[role]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in (LIST, NEW, world["in_grid"].get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("secretary", 200),
        ("outside_secretary", 200),
        ("member_contact", 403),
        ("other_contact", 403),
    ],
)
def test_only_staff_and_secretaries_open_the_form(client, world, role, status):
    client.force_login(world["users"][role])
    assert client.get(NEW).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("secretary", 200),
        ("outside_secretary", 403),
        ("member_contact", 403),
        ("other_contact", 404),
    ],
)
def test_only_those_in_scope_edit(client, world, role, status):
    client.force_login(world["users"][role])
    url = reverse("services:activity-update", args=[world["in_grid"].pk])
    assert client.get(url).status_code == status
    response = client.post(url, form_data(world, title="改过的标题"))
    assert response.status_code in ({200: 302}.get(status, status),)
    world["in_grid"].refresh_from_db()
    assert (world["in_grid"].title == "改过的标题") is (status == 200)


@pytest.mark.parametrize(
    ("role", "status", "can_edit"),
    [
        ("staff", 200, True),
        ("secretary", 200, True),
        ("outside_secretary", 200, False),
        ("member_contact", 200, False),
        ("other_contact", 404, False),
    ],
)
def test_activity_page_per_role(client, world, role, status, can_edit):
    client.force_login(world["users"][role])
    response = client.get(world["in_grid"].get_absolute_url())
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "欣虹空间党课" in html
        assert ('data-testid="activity-edit"' in html) is can_edit
        assert ('data-testid="history"' in html) is (role == "staff")


def test_navigation_offers_activities_to_staff_secretaries_and_contacts(client, world):
    for role in ("staff", "secretary", "member_contact"):
        client.force_login(world["users"][role])
        assert LIST in client.get(reverse("home")).content.decode()
    client.logout()
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


# --- the form ----------------------------------------------------------------------------------


def test_form_is_made_for_a_phone_with_the_secretarys_defaults(client, world):
    client.force_login(world["users"]["secretary"])
    response = client.get(NEW)
    html = response.content.decode()
    form = response.context["form"]
    assert 'data-testid="activity-form"' in html
    assert 'enctype="multipart/form-data"' in html
    assert re.search(
        r'<input type="file" name="photos"[^>]*accept="image/\*" multiple capture="environment"',
        html,
    )
    assert 'inputmode="numeric"' in html
    assert 'type="date"' in html
    assert form["held_on"].value() == timezone.localdate()
    assert form["region"].value() == world["street"].pk
    # Open stations of the secretary's street only; each carries its region for the script.
    assert list(form.fields["station"].queryset) == [world["station"]]
    assert f'data-region="{world["grid"].pk}"' in html
    assert set(form.fields["region"].queryset) == {
        world["street"],
        world["community"],
        world["grid"],
    }
    assert "js/activity_form.js" in html
    assert "<script>" not in html


def test_secretary_logs_an_activity_with_photos(client, world, media):
    client.force_login(world["users"]["secretary"])
    response = client.post(
        NEW,
        {**form_data(world), "photos": [photo("a.png"), photo("b.jpg", "JPEG")]},
    )
    activity = Activity.objects.get(title="新虹街道主题党课")
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.recorded_by == world["users"]["secretary"]
    assert activity.region == world["grid"]
    assert activity.participant_count == 35
    photos = list(activity.photos.all())
    assert [p.image.name.rsplit(".", 1)[1] for p in photos] == ["png", "jpg"]
    assert all(default_storage.exists(p.image.name) for p in photos)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert page.count('data-testid="photo-remove"') == 2


def test_organizer_is_named_by_credit_code_or_exact_name(client, world):
    client.force_login(world["users"]["secretary"])
    member = world["member"]
    client.post(NEW, form_data(world, title="按名称", organizer=member.name))
    client.post(NEW, form_data(world, title="按代码", organizer=member.credit_code))
    response = client.post(NEW, form_data(world, title="查无此单位", organizer="不存在的单位"))
    assert Activity.objects.get(title="按名称").organizer == member
    assert Activity.objects.get(title="按代码").organizer == member
    assert "organizer" in response.context["form"].errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"party_member_count": "40", "participant_count": "30"}, "party_member_count"),
        ({"station": "", "place": ""}, "station"),
        ({"title": ""}, "title"),
        ({"participant_count": "很多"}, "participant_count"),
        ({"held_on": "2999-01-01"}, "held_on"),
    ],
)
def test_wrong_input_is_named(client, world, changes, field):
    client.force_login(world["users"]["secretary"])
    response = client.post(NEW, form_data(world, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Activity.objects.filter(title="新虹街道主题党课").exists()


def test_region_and_station_outside_the_secretarys_street_are_refused(client, world):
    client.force_login(world["users"]["secretary"])
    response = client.post(
        NEW, form_data(world, region=world["hongqiao"].pk, station=world["elsewhere"].pk)
    )
    assert response.status_code == 400
    assert {"region", "station"} <= set(response.context["form"].errors)
    secretary = world["users"]["secretary"]
    with pytest.raises(ValidationError) as refused:
        activity_create(
            by=secretary,
            data={**action_data(world), "region": world["hongqiao"], "station": None},
        )
    assert refused.value.message_dict["region"] == ["您只能记录新虹街道及其下辖地区的活动。"]


def test_a_closed_station_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        activity_create(
            by=world["users"]["staff"], data=action_data(world, station=world["closed"])
        )
    assert "station" in refused.value.message_dict


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        (lambda: [not_an_image("renamed.jpg")], "“renamed.jpg”不是照片"),
        (lambda: [photo("big.png")], "“big.png”大小为"),
        (lambda: [photo(f"p{i}.png") for i in range(10)], "最多保存 9 张照片"),
    ],
    ids=["not-an-image", "too-large", "tenth-photo"],
)
def test_refused_photos_are_named_and_nothing_is_saved(
    client, world, settings, media, uploads, message
):
    settings.ACTIVITY_PHOTO_MAX_BYTES = (
        len(image_bytes()) - 1 if message == "“big.png”大小为" else 10**6
    )
    client.force_login(world["users"]["secretary"])
    response = client.post(NEW, {**form_data(world), "photos": uploads()})
    assert response.status_code == 400
    assert any(message in error for error in response.context["photo_errors"])
    assert 'data-testid="error-photos"' in response.content.decode()
    assert not Activity.objects.filter(title="新虹街道主题党课").exists()
    assert not ActivityPhoto.objects.exists()


def test_photos_are_kept_when_another_field_is_wrong(
    client, world, media, django_capture_on_commit_callbacks
):
    secretary = world["users"]["secretary"]
    client.force_login(secretary)
    response = client.post(
        NEW,
        {**form_data(world, party_member_count="99"), "photos": [photo("a.png"), not_an_image()]},
    )
    assert response.status_code == 400
    assert "party_member_count" in response.context["form"].errors
    pending = response.context["pending_photos"]
    assert len(pending) == 1
    html = response.content.decode()
    assert f'name="pending_photos" value="{pending[0]["token"]}" checked' in html
    assert f'src="{pending[0]["url"]}"' in html
    assert stored_files(media) == [f"pending/{secretary.pk}/{pending[0]['token']}"]

    # The corrected form sends the token back, with one more photo.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NEW,
            {
                **form_data(world),
                "pending_photos": [pending[0]["token"]],
                "photos": [photo("c.jpg", "JPEG")],
            },
        )
    assert response.status_code == 302
    activity = Activity.objects.get(title="新虹街道主题党课")
    assert activity.photos.count() == 2
    assert not any(name.startswith("pending/") for name in stored_files(media))


def test_pending_photos_of_another_user_are_not_taken(client, world, media):
    other = world["users"]["staff"]
    (token,) = pending_photos_stash(by=other, photos=[photo()])
    client.force_login(world["users"]["secretary"])
    response = client.post(NEW, {**form_data(world), "pending_photos": [token, "../../etc/passwd"]})
    assert response.status_code == 302
    assert Activity.objects.get(title="新虹街道主题党课").photos.count() == 0
    assert default_storage.exists(f"pending/{other.pk}/{token}")


def test_pending_photos_are_cleaned_after_a_day(world, media, settings):
    user = world["users"]["secretary"]
    (token,) = pending_photos_stash(by=user, photos=[photo()])
    assert pending_photos_purge() == 0
    assert pending_photos_purge(older_than=datetime.timedelta(seconds=-60)) == 1
    assert not default_storage.exists(f"pending/{user.pk}/{token}")


def test_edit_adds_and_removes_photos(client, world, media, django_capture_on_commit_callbacks):
    activity = world["in_grid"]
    secretary = world["users"]["secretary"]
    activity_update(
        activity=activity, by=secretary, data={}, add_photos=[photo("a.png"), photo("b.png")]
    )
    first, second = activity.photos.all()
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("services:activity-update", args=[activity.pk]),
            {**form_data(world), "remove_photos": [first.pk], "photos": [photo("c.png")]},
        )
    assert response.status_code == 302
    assert activity.photos.count() == 2
    assert not default_storage.exists(first.image.name)
    # Removing one from the activity's page.
    client.post(reverse("services:activity-photo-delete", args=[activity.pk, second.pk]))
    assert list(activity.photos.values_list("position", flat=True)) == [2]


def test_photo_removal_needs_the_right_to_change(client, world, media):
    activity = world["in_grid"]
    activity_update(activity=activity, by=world["users"]["staff"], data={}, add_photos=[photo()])
    item = activity.photos.get()
    client.force_login(world["users"]["outside_secretary"])
    url = reverse("services:activity-photo-delete", args=[activity.pk, item.pk])
    assert client.post(url).status_code == 403
    client.force_login(world["users"]["other_contact"])
    assert client.post(url).status_code == 404
    assert activity.photos.count() == 1


# --- the actions -------------------------------------------------------------------------------


def action_data(world, **changes) -> dict:
    data = {
        "title": "联盟沙龙",
        "activity_type": "salon",
        "held_on": datetime.date(2026, 11, 1),
        "station": world["station"],
        "place": "",
        "region": None,
        "alliance": None,
        "organizer": None,
        "participant_count": 12,
        "party_member_count": 4,
        "description": "",
    }
    data.update(changes)
    return data


def test_a_stations_region_is_the_default(world):
    activity = activity_create(by=world["users"]["secretary"], data=action_data(world), photos=[])
    assert activity.region == world["grid"]


def test_unit_contacts_record_nothing(world):
    with pytest.raises(PermissionDenied):
        activity_create(by=world["users"]["member_contact"], data=action_data(world))
    with pytest.raises(PermissionDenied):
        activity_update(
            activity=world["in_grid"], by=world["users"]["outside_secretary"], data={"title": "x"}
        )


def test_no_half_saved_activity_when_a_photo_is_refused(world, media):
    with pytest.raises(ValidationError) as refused:
        activity_create(
            by=world["users"]["staff"],
            data=action_data(world, party_member_count=50),
            photos=[photo(), not_an_image("x.jpg")],
        )
    assert set(refused.value.message_dict) == {"party_member_count", "photos"}
    assert not Activity.objects.filter(title="联盟沙龙").exists()
    assert stored_files(media) == []


def test_an_activity_keeps_at_most_nine_photos_counted_with_the_existing(world, media):
    activity = world["in_grid"]
    staff = world["users"]["staff"]
    activity_update(activity=activity, by=staff, data={}, add_photos=[photo() for _ in range(8)])
    with pytest.raises(ValidationError) as refused:
        activity_update(activity=activity, by=staff, data={}, add_photos=[photo(), photo()])
    assert "已有 8 张，最多还能添加 1 张" in refused.value.message_dict["photos"][0]
    activity_update(activity=activity, by=staff, data={}, add_photos=[photo()])
    assert activity.photos.count() == 9


def test_correcting_keeps_a_closed_station_and_the_history(world):
    activity = world["in_grid"]
    world["station"].is_open = False
    world["station"].save()
    activity_update(
        activity=activity, by=world["users"]["secretary"], data={"participant_count": 41}
    )
    activity.refresh_from_db()
    assert activity.participant_count == 41
    assert activity.history.count() == 2


# --- lists, totals, export ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region_code", "expected"),
    [
        ("310112008-G01", {"欣虹空间党课"}),
        ("310112008-C01", {"欣虹空间党课"}),
        ("310112008", {"欣虹空间党课", "滨江志愿服务"}),
        ("310112", {"欣虹空间党课", "滨江志愿服务", "七宝企业走访"}),
        ("999999", set()),
    ],
)
def test_region_filter_rolls_grids_up_into_community_and_street(
    client, world, region_code, expected
):
    client.force_login(world["users"]["staff"])
    assert titles(client.get(LIST, {"region": region_code})) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda w: {"alliance": w["alliance"].pk}, {"欣虹空间党课"}),
        (lambda w: {"station": w["elsewhere"].pk}, {"七宝企业走访"}),
        (
            lambda w: {"activity_type": ["volunteer_service", "enterprise_visit"]},
            {"滨江志愿服务", "七宝企业走访"},
        ),
        (lambda w: {"held_after": "2026-09-01", "held_before": "2026-10-31"}, {"欣虹空间党课"}),
        (lambda w: {"q": "企业"}, {"七宝企业走访"}),
        (lambda w: {"organizer": w["member"].pk}, {"七宝企业走访"}),
    ],
    ids=["alliance", "station", "type", "dates", "q", "organizer"],
)
def test_list_filters(client, world, params, expected):
    client.force_login(world["users"]["staff"])
    assert titles(client.get(LIST, params(world))) == expected


def test_a_wrong_filter_lists_nothing_and_says_why(client, world):
    client.force_login(world["users"]["staff"])
    response = client.get(LIST, {"held_after": "不是日期"})
    assert titles(response) == set()
    assert "held_after" in response.context["filter"].errors


def test_totals_follow_the_filter_not_the_page(client, world, settings):
    client.force_login(world["users"]["staff"])
    response = client.get(LIST, {"region": "310112008"})
    assert response.context["totals"] == {"activities": 2, "participants": 100, "party_members": 37}
    html = response.content.decode()
    assert 'data-testid="activity-totals"' in html
    ActivityFactory.create_batch(
        60, region=world["street"], place="x", participant_count=1, party_member_count=0
    )
    response = client.get(LIST, {"region": "310112008"})
    assert len(response.context["object_list"]) == 50
    assert response.context["totals"] == {
        "activities": 62,
        "participants": 160,
        "party_members": 37,
    }


def test_member_contact_totals_count_only_their_scope(client, world):
    client.force_login(world["users"]["member_contact"])
    assert client.get(LIST).context["totals"]["participants"] == 48


def test_xlsx_export_is_the_filtered_list(client, world):
    client.force_login(world["users"]["secretary"])
    response = client.get(LIST, {"region": "310112008", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    header, first, second = rows
    assert first[1] == "欣虹空间党课"
    assert first[0] == datetime.datetime(2026, 10, 9)
    assert first[4] == "310112008-G01"
    assert first[5] == "欣虹空间"
    assert (first[9], first[10]) == (40, 25)
    assert second[6] == "黄浦江畔"


def test_list_query_count_does_not_grow_with_rows(client, world, media, django_assert_num_queries):
    client.force_login(world["users"]["secretary"])
    activity_update(
        activity=world["in_grid"], by=world["users"]["staff"], data={}, add_photos=[photo()]
    )
    # Session, user, count, rows, totals, and the region, alliance and station choices of the filter.
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert 'bi-image"></i> 1' in response.content.decode()
    ActivityFactory.create_batch(
        30, region=world["grid"], station=world["station"], alliance=world["alliance"]
    )
    with django_assert_num_queries(8):
        client.get(LIST)


# --- demo --------------------------------------------------------------------------------------


def test_demo_activities_load_after_the_stations_and_load_once():
    from django.core.management import call_command

    from devtools.demo.activities import ACTIVITIES, load_activities

    assert load_activities() == (0, 0)  # no stations yet
    call_command("load_demo", stdout=io.StringIO())
    assert Activity.objects.count() == len(ACTIVITIES) >= 40
    assert load_activities() == (0, 0)
    xinhong = Activity.objects.filter(region__path__startswith="310000/310112/310112008/")
    assert xinhong.count() >= 15
    assert set(xinhong.values_list("recorded_by__username", flat=True)) == {"xinhong"}
    oldest = Activity.objects.order_by("held_on").first().held_on
    assert (timezone.localdate() - oldest).days <= 183
    assert not Activity.objects.filter(
        party_member_count__gt=models.F("participant_count")
    ).exists()


def test_the_hourly_beat_task_purges_stale_pending_photos(world, media, settings):
    from services.tasks import purge_pending_photos

    assert settings.CELERY_BEAT_SCHEDULE["purge-pending-photos"]["task"] == (
        "services.tasks.purge_pending_photos"
    )
    user = world["users"]["secretary"]
    (token,) = pending_photos_stash(by=user, photos=[photo()])
    settings.ACTIVITY_PENDING_PHOTO_HOURS = -1
    assert purge_pending_photos.apply().get() == 1
    assert not default_storage.exists(f"pending/{user.pk}/{token}")


def _phone_photo() -> SimpleUploadedFile:
    """A JPEG as a phone writes it: 6×4 pixels stored sideways (orientation 6), with a location."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to show
    exif[0x010F] = "Phone maker"
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 30.0), 3: "E", 4: (121.0, 30.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (6, 4), (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_stored_photo_is_upright_and_carries_no_metadata(world, media):
    original = _phone_photo()
    with Image.open(io.BytesIO(original.read())) as image:
        assert image.getexif().get(0x8825), "the test photo has a location"
    original.seek(0)
    activity = activity_create(
        by=world["users"]["secretary"], data=action_data(world), photos=[original]
    )
    stored = activity.photos.get()
    with Image.open(stored.image.path) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (4, 6), "turned as the orientation said"


def test_a_pending_preview_carries_no_metadata_either(world, media):
    from services.actions.activities import pending_photos_stash

    [token] = pending_photos_stash(by=world["users"]["secretary"], photos=[_phone_photo()])
    path = media / "pending" / str(world["users"]["secretary"].pk) / token
    with Image.open(path) as image:
        assert dict(image.getexif()) == {}
