"""The list pages' filters speak to people (issue 24.3): regions and units by name, yes/no as a select,
several choices as checkboxes or a searchable multi-select, help texts as sentences. The API behind
the same FilterSets still takes codes and ids (`?region=310112008`, `?operator=12`)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from portal.core.filters import StrictBooleanFilter
from tests.factories import (
    MemberUnitFactory,
    ServiceStationFactory,
    SubdistrictFactory,
)

# Every list page with a filter panel, and who may open it.
PAGES = [
    ("services:demand-list", "staff"),
    ("services:project-list", "staff"),
    ("services:activity-list", "staff"),
    ("services:station-list", "staff"),
    ("services:resource-list", "staff"),
    ("services:claim-list", "staff"),
    ("alliances:list", "staff"),
    ("alliances:meeting-list", "staff"),
    ("alliances:join-request-list", "staff"),
    ("members:unit-list", "staff"),
    ("members:change-list", "staff"),
    ("members:registration-list", "secretary"),
]
REGION_PAGES = [
    name for name, _who in PAGES if name not in {"services:claim-list", "members:change-list"}
]
REGION_PAGES.remove("alliances:meeting-list")
REGION_PAGES.remove("alliances:join-request-list")


def open_page(client, name, who, staff_user, secretary_user, **params):
    client.force_login(staff_user if who == "staff" else secretary_user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200, name
    return response


def form_html(response) -> str:
    html = response.content.decode()
    match = re.search(r'<form[^>]*data-testid="filters".*?</form>', html, re.S)
    assert match, "no filter panel"
    return match.group(0)


def select_options(html: str, name: str) -> list[tuple[str, str]]:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"{name} is not a select"
    return [
        (value, unescape(text).strip(" \n\t"))
        for value, text in re.findall(
            r'<option value="([^"]*)"[^>]*>(.*?)</option>', match[1], re.S
        )
    ]


@pytest.fixture
def streets(region):
    """Two streets of 闵行区 beside 新虹街道, and a unit that operates a station."""
    SubdistrictFactory(code="310112009", name="华漕镇", parent=region.parent)
    return region


@pytest.mark.django_db
@pytest.mark.parametrize("name", REGION_PAGES)
def test_the_region_filter_is_a_select_of_names_whose_values_are_codes(
    client, name, staff_user, secretary_user, streets
):
    who = dict(PAGES)[name]
    html = form_html(open_page(client, name, who, staff_user, secretary_user))
    options = dict(select_options(html, "region"))
    assert options[""] == "—"
    assert options["310112008"].strip("\u3000") == "新虹街道"
    if who == "staff":
        assert options["310112"] == "闵行区"
        assert options["310112009"] == "\u3000华漕镇"  # a street is indented under its district
    else:  # a secretary chooses within their street
        assert "310112009" not in options


@pytest.mark.django_db
def test_the_region_select_shows_a_code_reached_by_a_link(client, staff_user, region):
    grid = SubdistrictFactory(code="310112008001", name="一号网格", level="grid", parent=region)
    client.force_login(staff_user)
    response = client.get(reverse("services:demand-list"), {"region": grid.code})
    assert ("310112008001", "一号网格") in select_options(form_html(response), "region")
    assert re.search(r'<option value="310112008001" selected>', response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), PAGES)
def test_yes_no_filters_are_selects(client, name, who, staff_user, secretary_user):
    response = open_page(client, name, who, staff_user, secretary_user)
    html = form_html(response)
    filterset = response.context["filter"]
    flags = [n for n, f in filterset.filters.items() if isinstance(f, StrictBooleanFilter)]
    for flag in flags:
        if filterset.form.fields[flag].widget.is_hidden:
            continue
        assert select_options(html, flag) == [("", "—"), ("true", "是"), ("false", "否")], flag


@pytest.mark.django_db
def test_a_yes_no_select_keeps_what_the_link_said(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("services:station-list"), {"is_open": "1"})
    assert '<option value="true" selected>是</option>' in form_html(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), PAGES)
def test_labels_ask_for_no_codes_and_help_texts_show_no_raw_values(
    client, name, who, staff_user, secretary_user
):
    html = form_html(open_page(client, name, who, staff_user, secretary_user))
    labels = [
        unescape(re.sub("<[^>]+>", "", t))
        for t in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]
    assert labels
    # A unit's 统一社会信用代码 is what people call it; codes and ids of the portal's own are not asked.
    asks = [label for label in labels if re.search("代码|编号|id", label.replace("信用代码", ""))]
    assert not asks
    hints = [
        unescape(re.sub("<[^>]+>", "", t))
        for t in re.findall(
            r'<(?:div|span) id="id_[^"]*_helptext"[^>]*>(.*?)</(?:div|span)>', html, re.S
        )
    ]
    assert not [hint for hint in hints if re.search(r"[A-Za-z]{2,}", hint)], hints
    if name == "services:demand-list":
        assert len(hints) >= 3
    assert "<select multiple" not in re.sub(r"<select multiple[^>]*data-picker[^>]*>", "", html)


@pytest.mark.django_db
def test_the_api_still_takes_a_region_code_and_an_operator_id(api_client, region):
    unit = MemberUnitFactory(name="运营单位甲", region=region)
    inside = ServiceStationFactory(name="站点甲", region=region, operator=unit)
    ServiceStationFactory(name="站点乙", region__code="310104003")
    url = reverse("api:station-list")
    by_region = api_client.get(url, {"region": "310112008"}).json()["results"]
    by_operator = api_client.get(url, {"operator": unit.pk}).json()["results"]
    assert [s["id"] for s in by_region] == [inside.pk] == [s["id"] for s in by_operator]


@pytest.mark.django_db
def test_the_unit_filter_is_a_searchable_picker_naming_the_chosen_unit(client, staff_user, region):
    unit = MemberUnitFactory(name="新虹社区服务中心", region=region)
    client.force_login(staff_user)
    html = form_html(client.get(reverse("services:resource-list"), {"unit": unit.pk}))
    select = re.search(r'<select name="unit"[^>]*>', html)[0]
    assert "data-picker" in select and f'data-picker-url="{reverse("api:unit-list")}"' in select
    # Only the chosen unit is on the page (a district has 150,000); the rest arrive by ?search=.
    assert select_options(html, "unit") == [("", "—"), (str(unit.pk), "新虹社区服务中心")]
    found = client.get(reverse("api:unit-list"), {"search": "新虹社区", "page_size": 20}).json()
    assert [(row["id"], row["name"]) for row in found["results"]] == [(unit.pk, unit.name)]


@pytest.mark.django_db
def test_the_operator_filter_offers_the_operators_of_the_stations_by_name(client, region):
    operator = MemberUnitFactory(name="欣虹物业", region=region)
    MemberUnitFactory(name="不运营站点的单位", region=region)
    ServiceStationFactory(region=region, operator=operator)
    html = form_html(client.get(reverse("services:station-list")))
    assert select_options(html, "operator") == [("", "—"), (str(operator.pk), "欣虹物业")]
