"""Sentry: nothing is imported without SENTRY_DSN; with it, a server error reaches the DSN's server
tagged with the request's id and without cookies, credentials or personal data (PIPL).

The portal runs in a process of its own (settings.base initialises Sentry from the environment),
and a small HTTP server on the loopback stands in for Sentry."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

ROOT = Path(__file__).resolve().parents[2]
SESSION = "secret-session-value-0123456789"
PASSWORD_HEADER = "Basic dXNlcjpzZWNyZXQtcGFzc3dvcmQ="


@csrf_exempt
def boom(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("boom/", boom, name="boom")]

# The request goes through Django's WSGI handler, as under gunicorn (Sentry reads the URL and the
# headers there).
PORTAL = f"""
import io, wsgiref.util
import django
django.setup()
import sentry_sdk
from django.core.wsgi import get_wsgi_application
from django.test import override_settings

body = "name=%E5%BC%A0%E4%B8%89&phone=13800000000".encode()
environ = {{
    "REQUEST_METHOD": "POST",
    "PATH_INFO": "/boom/",
    "QUERY_STRING": "page=2",
    "CONTENT_TYPE": "application/x-www-form-urlencoded",
    "CONTENT_LENGTH": str(len(body)),
    "HTTP_COOKIE": "sessionid={SESSION}",
    "HTTP_AUTHORIZATION": {PASSWORD_HEADER!r},
    "HTTP_X_REQUEST_ID": "req-sentry-0001",
    "HTTP_USER_AGENT": "test-agent",
    "wsgi.input": io.BytesIO(body),
}}
wsgiref.util.setup_testing_defaults(environ)
answer = {{}}
with override_settings(ROOT_URLCONF="tests.portal.test_sentry"):
    application = get_wsgi_application()
    chunks = application(environ, lambda status, headers: answer.update(status=status, headers=dict(headers)))
    b"".join(chunks)
print(answer["status"].split()[0], answer["headers"]["X-Request-ID"])
sentry_sdk.flush(timeout=10)
"""


class Envelopes(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 — the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    Envelopes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def run_portal(code: str, **env) -> subprocess.CompletedProcess:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_without_a_dsn_sentry_is_not_even_imported():
    done = run_portal(
        "import django, sys; django.setup(); import portal.urls; print('sentry_sdk' in sys.modules)"
    )
    assert done.stdout.strip() == "False"


def test_an_error_reaches_sentry_with_the_request_id_and_without_personal_data(sentry_server):
    port = sentry_server.server_address[1]
    done = run_portal(
        PORTAL,
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/1",
        SENTRY_ENVIRONMENT="ci",
        SENTRY_RELEASE="portal@1.2.3",
    )
    assert done.stdout.split() == ["500", "req-sentry-0001"]
    raw = b"\n".join(Envelopes.received)
    items = [json.loads(line) for line in raw.splitlines() if line.strip().startswith(b"{")]
    events = [item for item in items if "exception" in item]
    assert len(events) == 1, items
    event = events[0]
    assert event["tags"]["request_id"] == "req-sentry-0001"
    assert event["environment"] == "ci" and event["release"] == "portal@1.2.3"
    assert event["exception"]["values"][-1]["value"] == "the view broke"
    assert event["request"]["url"].endswith("/boom/")
    assert event["request"]["headers"]["User-Agent"] == "test-agent"
    headers = {name.lower() for name in event["request"].get("headers", {})}
    assert not headers & {"cookie", "authorization"}
    assert "cookies" not in event["request"] and "data" not in event["request"]
    assert "user" not in event
    frames = [f for value in event["exception"]["values"] for f in value["stacktrace"]["frames"]]
    assert frames and not any("vars" in frame for frame in frames)  # locals may hold anyone's data
    for frame in frames:  # the lines of code around each frame: this module's text, not data
        for key in ("pre_context", "context_line", "post_context"):
            frame.pop(key, None)
    text = json.dumps(event, ensure_ascii=False)
    for secret in (SESSION, PASSWORD_HEADER, "dXNlcjpzZWNyZXQtcGFzc3dvcmQ", "张三"):
        assert secret not in text and json.dumps(secret)[1:-1] not in text
