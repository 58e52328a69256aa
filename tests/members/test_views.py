import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliances.models import Membership
from members.models import MemberUnit
from tests.factories import AllianceFactory, MembershipFactory, MemberUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(region):
    a = MemberUnitFactory(
        name="上海虹桥生物科技有限公司", region=region, contact_phone="13912345678", key_target=True
    )
    b = MemberUnitFactory(name='=HYPERLINK("x")有限公司', region=region)
    return a, b


def test_unit_list_filters_and_needs_sign_in(client, staff_user, units):
    url = reverse("members:unit-list")
    assert client.get(url).status_code == 302
    client.force_login(staff_user)
    response = client.get(url, {"q": "虹桥"})
    assert [u.name for u in response.context["object_list"]] == ["上海虹桥生物科技有限公司"]
    assert "重点对象" in response.content.decode()


def test_a_bad_filter_value_shows_the_error_instead_of_rows(client, staff_user, units):
    client.force_login(staff_user)
    response = client.get(reverse("members:unit-list"), {"key_target": "maybe"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "key_target" in response.context["filter"].errors


def test_unit_list_query_count_is_constant(client, staff_user, region, django_assert_num_queries):
    client.force_login(staff_user)
    MemberUnitFactory.create_batch(2, region=region)
    # A fixed number, the region filter's choices among them.
    with django_assert_num_queries(6):
        client.get(reverse("members:unit-list"))
    MemberUnitFactory.create_batch(30, region=region)
    with django_assert_num_queries(6):
        client.get(reverse("members:unit-list"))


def test_export_follows_the_filter_masks_outside_scope_and_neutralizes_formulas(
    client, secretary_user, units, region
):
    outside = MemberUnitFactory(
        name="外区单位", contact_phone="13800001111", region__code="310104003"
    )
    client.force_login(secretary_user)
    response = client.get(reverse("members:unit-list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"上海虹桥生物科技有限公司", '\'=HYPERLINK("x")有限公司', outside.name}
    assert by_name["上海虹桥生物科技有限公司"][12] == "13912345678"
    assert by_name[outside.name][12] == "138****1111"
    assert isinstance(by_name[outside.name][6], int)
    filtered = client.get(reverse("members:unit-list"), {"format": "xlsx", "q": "外区"})
    sheet = load_workbook(io.BytesIO(b"".join(filtered.streaming_content))).active
    assert sheet.max_row == 2


def test_staff_create_a_unit_and_a_duplicate_code_points_to_the_existing_one(
    client, staff_user, units, region
):
    client.force_login(staff_user)
    existing = units[0]
    data = {
        "name": "重复单位",
        "credit_code": existing.credit_code,
        "unit_type": "private_enterprise",
        "region": region.pk,
        "party_org_type": "none",
        "party_member_count": 0,
    }
    response = client.post(reverse("members:unit-create"), data)
    assert response.status_code == 200
    error = str(response.context["form"].errors["credit_code"])
    assert existing.name in error and existing.get_absolute_url() in error
    data["credit_code"] = "91330100799655058C"
    response = client.post(reverse("members:unit-create"), data)
    assert "校验" in str(response.context["form"].errors["credit_code"])
    data["credit_code"] = "91330100799655058B"
    response = client.post(reverse("members:unit-create"), data)
    assert response.status_code == 302
    assert MemberUnit.objects.get(name="重复单位").credit_code == "91330100799655058B"


def test_join_an_alliance_from_the_unit_page_and_refuse_a_second_open_membership(
    client, staff_user, units
):
    alliance = AllianceFactory(name="生物医药产业党建联盟")
    client.force_login(staff_user)
    url = reverse("members:unit-join", args=[units[0].pk])
    response = client.post(url, {"alliance": alliance.pk, "role": "deputy"})
    assert response.status_code == 302
    assert Membership.objects.get(unit=units[0]).role == "deputy"
    again = client.post(url, {"alliance": alliance.pk, "role": "member"})
    assert again.status_code == 400
    assert "已是" in again.content.decode()


def test_deactivate_ends_memberships_and_keeps_rows(client, staff_user, units):
    MembershipFactory(unit=units[0])
    client.force_login(staff_user)
    client.post(reverse("members:unit-deactivate", args=[units[0].pk]))
    units[0].refresh_from_db()
    assert units[0].status == "inactive"
    assert Membership.objects.filter(unit=units[0], left_on__isnull=False).count() == 1


def test_detail_masks_contacts_outside_the_secretary_region(client, secretary_user, units):
    outside = MemberUnitFactory(
        name="外区单位", contact_phone="13800001111", region__code="310104003"
    )
    client.force_login(secretary_user)
    assert "13912345678" in client.get(units[0].get_absolute_url()).content.decode()
    html = client.get(outside.get_absolute_url()).content.decode()
    assert "13800001111" not in html and "138****1111" in html


def test_only_staff_create_edit_or_deactivate(client, secretary_user, units):
    client.force_login(secretary_user)
    assert client.get(reverse("members:unit-create")).status_code == 403
    assert client.post(reverse("members:unit-deactivate", args=[units[0].pk])).status_code == 403
    assert client.post(reverse("members:unit-join", args=[units[0].pk]), {}).status_code == 403
