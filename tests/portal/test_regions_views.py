import pytest
from django.urls import reverse

from portal.regions.models import Region
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(region):
    RegionFactory(code="310112008-G01", name="爱博片区", level="grid", parent=region)
    return region


def test_tree_page_shows_the_whole_tree_to_anyone(client, tree):
    html = client.get(reverse("regions:tree")).content.decode()
    assert "上海市" in html and "新虹街道" in html and "爱博片区" in html


def test_tree_page_filters_into_a_list(client, tree):
    response = client.get(reverse("regions:tree"), {"q": "爱博"})
    assert [r.name for r in response.context["page_obj"]] == ["爱博片区"]


def test_tree_page_query_count_is_constant(client, tree, django_assert_max_num_queries):
    for i in range(30):
        RegionFactory(code=f"310112008-C{i:02d}", level="community", parent=tree)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("regions:tree")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("regions:tree"), {"level": "community"}).status_code == 200


def test_detail_shows_breadcrumb_children_and_history_for_staff(client, staff_user, tree):
    url = reverse("regions:detail", args=[tree.pk])
    html = client.get(url).content.decode()
    assert "闵行区" in html and "爱博片区" in html
    assert 'data-testid="history"' not in html
    client.force_login(staff_user)
    assert 'data-testid="history"' in client.get(url).content.decode()


def test_staff_create_a_region_in_the_browser(client, staff_user, tree):
    client.force_login(staff_user)
    form = client.get(reverse("regions:create") + f"?parent={tree.pk}")
    assert form.context["form"].initial["parent"] == tree
    response = client.post(
        reverse("regions:create"),
        {
            "name": "华美片区",
            "code": "310112008-G02",
            "level": "grid",
            "parent": tree.pk,
            "is_active": "on",
        },
    )
    created = Region.objects.get(code="310112008-G02")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.path.endswith("310112008/310112008-G02/")


def test_a_wrong_parent_is_a_form_error_and_nothing_is_saved(client, staff_user, tree):
    client.force_login(staff_user)
    response = client.post(
        reverse("regions:create"),
        {"name": "错", "code": "BAD", "level": "district", "parent": tree.pk},
    )
    assert response.status_code == 200
    assert "上级" in str(response.context["form"].errors["parent"])
    assert not Region.objects.filter(code="BAD").exists()


def test_only_staff_may_create_or_edit(client, secretary_user, tree):
    assert client.get(reverse("regions:create")).status_code == 302
    client.force_login(secretary_user)
    assert client.get(reverse("regions:create")).status_code == 403
    assert client.post(reverse("regions:update", args=[tree.pk]), {"name": "x"}).status_code == 403


def test_a_non_numeric_parent_parameter_is_ignored(client, staff_user, tree):
    client.force_login(staff_user)
    assert client.get(reverse("regions:create") + "?parent=abc").status_code == 200
