from django.test import RequestFactory

from portal.core.actions_views import redirect_back


def test_redirect_back_follows_only_a_same_host_next_of_the_request_scheme():
    factory = RequestFactory()
    cases = [
        ({"next": "/alliances/"}, False, "/alliances/"),
        ({"next": "//evil.example/"}, False, "/home/"),
        ({"next": "https://evil.example/x"}, True, "/home/"),
        ({"next": "http://testserver/alliances/"}, True, "/home/"),
        ({"next": "https://testserver/alliances/"}, True, "https://testserver/alliances/"),
        ({}, False, "/home/"),
    ]
    for data, secure, expected in cases:
        request = factory.post("/x/", data, secure=secure)
        assert redirect_back(request, "/home/")["Location"] == expected, (data, secure)
