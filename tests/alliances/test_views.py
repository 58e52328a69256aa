import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliances.models import Alliance, Membership
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    MemberUnitFactory,
    RegionFactory,
    UserFactory,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(region):
    lead = MemberUnitFactory(
        name="闵行区委组织部",
        unit_type="government_department",
        credit_code=None,
        region=region.parent,
    )
    hub = AllianceFactory(
        name="枢纽党建共同体", kind="hub", lead_unit=lead, mechanisms=["党群联动", "发展联推"]
    )
    MembershipFactory(alliance=hub, unit=lead, role="lead", joined_on="2024-01-01")
    bio = AllianceFactory(name="生物医药产业党建联盟", short_name="生物医药", parent=hub)
    MembershipFactory(
        alliance=bio,
        unit=MemberUnitFactory(name="联影样本科技"),
        joined_on="2024-02-01",
        left_on="2025-02-01",
    )
    return hub


def test_directory_is_public_and_shows_no_people(client, hub):
    html = client.get(reverse("alliances:list")).content.decode()
    assert "枢纽党建共同体" in html and "闵行区委组织部" in html
    detail = client.get(hub.get_absolute_url()).content.decode()
    assert "党群联动" in detail
    assert 'data-testid="members-lead"' not in detail


def test_directory_query_count_is_constant(client, hub, django_assert_num_queries):
    # A fixed number, the region filter's choices among them.
    with django_assert_num_queries(5):
        client.get(reverse("alliances:list"))
    AllianceFactory.create_batch(20, parent=hub)
    with django_assert_num_queries(5):
        client.get(reverse("alliances:list"))


def test_org_chart_nests_the_alliances(client, hub):
    response = client.get(reverse("alliances:chart"))
    option = response.context["chart"]
    root = option["series"][0]["data"][0]
    assert root["name"].startswith("枢纽党建共同体")
    assert [c["name"] for c in root["children"]] == ["生物医药（0）"]
    assert 'data-echarts="#alliance-chart-option"' in response.content.decode()


def test_cross_regional_alliance_shows_provinces_and_cities(client, staff_user):
    jiangsu = RegionFactory(code="320000", name="江苏省")
    suzhou = RegionFactory(code="320500", name="苏州市", level="city", parent=jiangsu)
    delta = AllianceFactory(name="长三角生物医药产业链党建联盟", kind="cross_regional")
    delta.regions.add(suzhou)
    client.force_login(staff_user)
    assert "江苏省 · 苏州市" in client.get(delta.get_absolute_url()).content.decode()


def test_staff_see_members_by_role_history_of_joins_and_leaves(client, staff_user, hub):
    client.force_login(staff_user)
    bio = Alliance.objects.get(name="生物医药产业党建联盟")
    html = client.get(bio.get_absolute_url()).content.decode()
    assert "联影样本科技" in html and "2025-02-01" in html
    html = client.get(hub.get_absolute_url()).content.decode()
    assert 'data-testid="members-lead"' in html and 'data-testid="history"' in html


def test_add_member_by_searching_its_name(client, staff_user, hub):
    unit = MemberUnitFactory(name="上海新虹人工智能有限公司")
    client.force_login(staff_user)
    candidates = client.get(
        reverse("alliances:membership-candidates", args=[hub.pk]), {"q": "人工智"}
    )
    assert list(candidates.context["units"]) == [unit]
    client.post(
        reverse("alliances:membership-add", args=[hub.pk]), {"unit": unit.pk, "role": "member"}
    )
    assert Membership.objects.current().filter(alliance=hub, unit=unit).exists()
    again = client.get(reverse("alliances:membership-candidates", args=[hub.pk]), {"q": "人工智"})
    assert list(again.context["units"]) == []


def test_end_membership_and_end_alliance_from_the_page(client, staff_user, hub):
    client.force_login(staff_user)
    bio = Alliance.objects.get(name="生物医药产业党建联盟")
    member = MembershipFactory(alliance=bio, joined_on="2025-01-01")
    client.post(
        reverse("alliances:membership-end", args=[member.pk]),
        {"on": "2026-06-30", "next": "//evil.example/"},
    )
    member.refresh_from_db()
    assert str(member.left_on) == "2026-06-30"
    response = client.post(reverse("alliances:end", args=[hub.pk]), {"on": ""}, follow=True)
    assert "先" in response.content.decode()  # alliances inside must end first
    client.post(reverse("alliances:end", args=[bio.pk]), {"on": ""})
    bio.refresh_from_db()
    assert bio.status == "dissolved"


def test_staff_create_an_alliance_with_mechanisms(client, staff_user, hub, region):
    client.force_login(staff_user)
    response = client.post(
        reverse("alliances:create"),
        {
            "name": "七宝镇区域党建共同体",
            "kind": "street_governance",
            "parent": hub.pk,
            "regions": [region.pk],
            "meeting_cadence": "quarterly",
            "status": "active",
            "mechanisms_text": "党群联动\n服务联手\n",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = Alliance.objects.get(name="七宝镇区域党建共同体")
    assert created.mechanisms == ["党群联动", "服务联手"]


def test_editing_an_alliance_into_its_own_child_is_refused(client, staff_user, hub):
    client.force_login(staff_user)
    bio = Alliance.objects.get(name="生物医药产业党建联盟")
    data = {
        "name": hub.name,
        "kind": "hub",
        "parent": bio.pk,
        "meeting_cadence": "quarterly",
        "status": "active",
    }
    response = client.post(reverse("alliances:update", args=[hub.pk]), data)
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_only_staff_write(client, secretary_user, hub):
    client.force_login(secretary_user)
    assert client.get(reverse("alliances:create")).status_code == 403
    assert client.post(reverse("alliances:end", args=[hub.pk])).status_code == 403
    assert (
        client.get(
            reverse("alliances:membership-candidates", args=[hub.pk]), {"q": "xx"}
        ).status_code
        == 403
    )


def test_chart_option_is_valid_json_in_the_page(client, hub):
    html = client.get(reverse("alliances:chart")).content.decode()
    payload = re.search(
        r'<script id="alliance-chart-option" type="application/json">(.*?)</script>', html
    ).group(1)
    option = json.loads(payload)
    assert option["series"][0]["type"] == "tree"


def test_ending_a_membership_refuses_an_off_site_or_plain_http_next(client, staff_user, hub):
    """The way back is on this host, and on https when the request is (it had lost require_https)."""
    client.force_login(staff_user)
    bio = Alliance.objects.get(name="生物医药产业党建联盟")
    fallback = bio.get_absolute_url()
    for next_url in ("//evil.example/", "http://testserver/alliances/"):
        member = MembershipFactory(alliance=bio, joined_on="2025-01-01")
        response = client.post(
            reverse("alliances:membership-end", args=[member.pk]),
            {"on": "2026-06-30", "next": next_url},
            secure=True,
        )
        assert response.status_code == 302
        assert response["Location"] == fallback
    member = MembershipFactory(alliance=bio, joined_on="2025-01-01")
    response = client.post(
        reverse("alliances:membership-end", args=[member.pk]),
        {"on": "2026-06-30", "next": "https://testserver/alliances/"},
        secure=True,
    )
    assert response["Location"] == "https://testserver/alliances/"


# --- export (issue 24) -------------------------------------------------------------------------


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


def test_directory_exports_the_filter_for_signed_in_users(client, hub):
    url = reverse("alliances:list")
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert 'data-testid="alliance-export"' not in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert 'data-testid="alliance-export"' in client.get(url).content.decode()
    rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert rows[0][:5] == ("名称", "简称", "类型", "上级联盟", "牵头单位")
    assert rows[0][-1] == "现有成员单位数"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"枢纽党建共同体", "生物医药产业党建联盟"}
    assert by_name["生物医药产业党建联盟"][3] == "枢纽党建共同体"
    assert by_name["生物医药产业党建联盟"][-1] == 0  # the one member has left
    assert by_name["枢纽党建共同体"][4] == "闵行区委组织部"
    rows = xlsx_rows(client.get(url, {"parent": hub.pk, "format": "xlsx"}))
    assert [row[0] for row in rows[1:]] == ["生物医药产业党建联盟"]


def test_directory_export_query_count_is_constant(client, hub, django_assert_num_queries):
    client.force_login(UserFactory())
    url = reverse("alliances:list")
    api = client_for(UserFactory())
    # Session, user, rows, their regions, the export record.
    with django_assert_num_queries(5) as page:
        xlsx_rows(client.get(url, {"format": "xlsx"}))
    with django_assert_num_queries(4) as via_api:
        xlsx_rows(api.get("/api/v1/alliances/export/"))
    AllianceFactory.create_batch(20, parent=hub)
    with django_assert_num_queries(len(page.captured_queries)):
        assert len(xlsx_rows(client.get(url, {"format": "xlsx"}))) == 23
    with django_assert_num_queries(len(via_api.captured_queries)):
        assert len(xlsx_rows(api.get("/api/v1/alliances/export/"))) == 23
