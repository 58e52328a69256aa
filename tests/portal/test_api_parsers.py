"""BoundedJSONParser: a body nested too deep or too large is a 400 parse_error, not a RecursionError 500."""

import io

import pytest
from rest_framework.exceptions import ParseError

from portal.api.parsers import BoundedJSONParser, nesting_depth
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

# About 10 kB: 5,000 arrays, one inside the other.
DEEP = "[" * 5000 + "]" * 5000


def post_raw(client, url, body):
    return client.generic("POST", url, body, content_type="application/json")


def assert_parse_error(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "client_error"
    assert [error["code"] for error in body["errors"]] == ["parse_error"]


@pytest.mark.parametrize("url", ["/api/v1/auth/token/", "/api/v1/registrations/confirm/"])
def test_deeply_nested_json_is_refused_anonymously(url):
    assert_parse_error(post_raw(client_for(), url, DEEP))


def test_deeply_nested_json_is_refused_for_staff(staff_api):
    # DemandViewSet names its own parsers (JSON and multipart): the JSON one is bounded too.
    response = post_raw(staff_api, "/api/v1/demands/", DEEP)
    assert_parse_error(response)
    assert response.json()["errors"][0]["detail"] == "JSON 请求体嵌套超过 64 层。"
    nested_field = '{"title": ' + '{"a": ' * 100 + "1" + "}" * 100 + "}"
    assert_parse_error(post_raw(staff_api, "/api/v1/demands/", nested_field))


def test_a_normally_nested_body_still_reaches_the_view(staff_api):
    # Brackets inside strings nest nothing.
    title = "[" * 5000
    response = post_raw(
        client_for(), "/api/v1/auth/token/", f'{{"username": "{title}", "password": "x"}}'
    )
    assert response.status_code == 400
    # Parsed, then refused as too long a user name (not a 500 when the attempt is recorded).
    assert {(e["attr"], e["code"]) for e in response.json()["errors"]} == {
        ("username", "max_length")
    }
    response = post_raw(staff_api, "/api/v1/demands/", '{"title": "", "category": "tax"}')
    assert "title" in {error["attr"] for error in response.json()["errors"]}


def test_the_depth_and_size_limits_are_settings(settings):
    settings.API_JSON_MAX_DEPTH = 3
    parser = BoundedJSONParser()
    assert parser.parse(io.BytesIO(b'{"a": [[1, "]]]]"]]}')) == {"a": [[1, "]]]]"]]}
    with pytest.raises(ParseError):
        parser.parse(io.BytesIO(b'{"a": [[[1]]]}'))
    settings.API_JSON_MAX_BYTES = 10
    with pytest.raises(ParseError):
        parser.parse(io.BytesIO(b'{"a": "0123456789"}'))
    assert parser.parse(io.BytesIO(b'{"a": 1}')) == {"a": 1}


def test_nesting_depth_skips_strings_with_escaped_quotes():
    assert nesting_depth(r'[{"a": "\"[[[", "b": [1]}]', 64) == 3
    assert nesting_depth(DEEP, 64) == 65
