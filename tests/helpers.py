"""What many tests need: API clients per user or role, and readers of list and error answers.

Import these instead of writing a local copy; a new reader that two test modules need goes here.
"""

import functools
import socket
import threading
import time
import urllib.request

import requests
from django.db import connections
from rest_framework.test import APIClient

from tests.auth import api_key_for

# How long a browser journey waits for an element or a page. An upper bound, not a pause: on a loaded
# two-core CI machine a POST, its redirect and the mail it sends took more than ten seconds.
BROWSER_TIMEOUT_MS = 30_000


def client_for(user=None) -> APIClient:
    """An API client that sends `user`'s API key; anonymous without a user."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(user)}")
    return client


def client_as(world, role: str) -> APIClient:
    """The API client of `world["users"][role]`; "anonymous" is a client without a key."""
    return client_for(None if role == "anonymous" else world["users"][role])


def results(response, key: str, status: int = 200) -> list:
    """The `key` of each row of a paginated API list, in order."""
    assert response.status_code == status, response.content
    return [row[key] for row in response.json()["results"]]


def errors_by_field(response, part: str = "code", status: int = 400) -> dict:
    """{field: code} (or another `part` of the error, such as "detail") of an API error answer."""
    assert response.status_code == status, response.content
    return {error["attr"]: error[part] for error in response.json()["errors"]}


def error_details(response, status: int = 400) -> dict[str, list[str]]:
    """{top-level field: [details]} of an API error answer; nested fields count for their parent."""
    assert response.status_code == status, response.content
    found: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        found.setdefault((error["attr"] or "").split(".")[0], []).append(error["detail"])
    return found


@functools.cache
def _api_schema():
    import schemathesis

    document = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return schemathesis.openapi.from_dict(document.json())


def assert_keeps_to_schema(response, method: str, path: str) -> None:
    """The answer is what `/api/schema/` says `method` on `path` (its template: `…/{id}/`) answers,
    checked as the fuzzing in tests/portal/test_schema.py checks a response body."""
    from schemathesis.core.transport import Response

    answer = Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=requests.Request(method.upper(), f"http://testserver{path}").prepare(),
        elapsed=0,
        verify=False,
    )
    _api_schema()[path][method.upper()].validate_response(answer)


def titles(response) -> set[str]:
    """The titles on one page of an API list."""
    return set(results(response, "title"))


def error_fields(response, status: int = 400) -> set[str]:
    """The fields that an API error answer names."""
    return set(errors_by_field(response, status=status))


# --- processes and ports --------------------------------------------------------------------


def free_port() -> int:
    """A loopback port where nothing listens now (free to serve on, or refused when connected to)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str) -> None:
    """Poll `predicate` every 50 ms; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def answers(url: str) -> bool:
    """True when `url` answers with a success (2xx or 3xx) within a second."""
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError:  # refused, timed out, or an error status (HTTPError is an OSError)
        return False


# --- concurrency --------------------------------------------------------------------------------


def at_once(*calls, timeout: float = 30) -> list:
    """Run each callable in a thread of its own, all released together by a barrier, each thread
    closing its database connections after; the results in the order of `calls`, an exception
    standing in for the result of a call that raised it (the failures races look for)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 — anything raised is what the caller checks
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
