"""Issue 21: on the embedded default (a SQLite file), eight registrations sent at once to a running
server are each answered 201 or a clear refusal (rate limit, duplicate), never 503 or 500."""

import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from members import credit_code

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sqlite_server(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    region = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from tests.factories import SubdistrictFactory; print(SubdistrictFactory().pk)",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}", int(region)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _register(base: str, region: int, n: int) -> tuple[int, dict]:
    body = {
        "name": f"上海并发示范科技有限公司{n}",
        "credit_code": credit_code.generate(random.Random(9100 + n)),
        "unit_type": "private_enterprise",
        "region": region,
        "address": "闵行区申长路 1 号",
        "industry": "digital_economy",
        "party_org_type": "branch",
        "party_member_count": 5,
        "contact_name": "王联络",
        "contact_phone": "13912345678",
        "contact_email": f"p{n}@example.org",
        "alliances": [],
    }
    request = urllib.request.Request(
        f"{base}/api/v1/registrations/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_eight_registrations_at_once_on_sqlite_get_no_server_error(sqlite_server):
    base, region = sqlite_server
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: _register(base, region, n), range(8)))
    statuses = sorted(status for status, _body in answers)
    # Eight distinct units from one address: the first five are accepted, the rest are refused by
    # the rate limit (REGISTRATION_RATE_LIMIT=5/h), with its clear code.
    assert statuses == [201] * 5 + [429] * 3, answers
    for status, answer in answers:
        if status == 429:
            assert answer["errors"][0]["code"] == "throttled"
