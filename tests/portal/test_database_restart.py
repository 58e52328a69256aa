"""When PostgreSQL restarts (issue 10, "Faults"): requests in flight get a clean 503 with Retry-After,
the next ones succeed (CONN_HEALTH_CHECKS drops the dead connection), and no row is half-written.

The fast tests point the default connection at a port where nothing listens. The slow one serves the
portal with gunicorn on a PostgreSQL cluster of its own and restarts that cluster under load: the
suite's own database is never touched, the other xdist worker keeps using it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend

from tests.helpers import answers, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RETRY_AFTER = "5"


@pytest.fixture
def unreachable_database(django_db_blocker):
    """The default connection points at a PostgreSQL port where nothing listens: every query fails
    for real, with psycopg's "connection refused", whatever database the suite runs on."""
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "OPTIONS": {"connect_timeout": 2},
    }
    backend = load_backend(settings_dict["ENGINE"])
    unreachable = backend.DatabaseWrapper(settings_dict, alias="default")
    with django_db_blocker.unblock():
        connections["default"] = unreachable
        try:
            yield
        finally:
            unreachable.close()
            connections["default"] = original


def assert_database_unavailable_body(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["type"] == "server_error"
    assert [(e["code"], e["attr"]) for e in body["errors"]] == [("database_unavailable", None)]


def test_an_api_list_answers_503_in_the_api_error_shape_while_the_database_is_away(
    client, unreachable_database, caplog
):
    with caplog.at_level(logging.WARNING):
        response = client.get("/api/v1/regions/")
    # A DRF view: its exception handler lets the error through to the middleware instead of a 500.
    assert_database_unavailable_body(response)
    warnings = [r for r in caplog.records if r.name == "portal.core.middleware"]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert warnings[0].exc_info is None  # one line, no traceback per request
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_token_authentication_and_writes_answer_503_too(client, unreachable_database):
    # The token lookup is the first query: it fails before the view's own code runs.
    response = client.post(
        "/api/v1/regions/",
        {"code": "R1", "name": "x", "level": "province"},
        content_type="application/json",
        headers={"Authorization": "Token not-checked-the-database-is-away"},
    )
    assert_database_unavailable_body(response)


def test_a_page_answers_the_short_503_page_while_the_database_is_away(client, unreachable_database):
    response = client.get("/regions/")
    assert response.status_code == 503
    assert response["Retry-After"] == RETRY_AFTER
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<script" not in html
    # The security headers still apply: the answer leaves through every middleware.
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_other_errors_are_left_to_the_usual_500(client):
    # Only database connection errors become 503: a bug stays a bug, answered by the usual 500.
    from portal.core.middleware import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = client.get("/healthz").wsgi_request
    assert middleware.process_exception(request, ValueError("a bug")) is None


# --- A real PostgreSQL restarted under load --------------------------------------------------------


def _as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    # initdb refuses to run as root; the tests run as root in CI and on the dev machine.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, *args], check=True, capture_output=True, text=True, timeout=60, **kwargs
    )


def _server_env(database_url: str) -> dict[str, str]:
    # As scripts/bench.py's SERVER_ENV: the production profile, served over plain HTTP on loopback.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "dummymail://",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
    }


# Run once in the server's environment: the tables the requests below touch (`migrate accounts`
# brings regions, auth, contenttypes with it: 3 s, where every app's migrations take 17 s), then a
# staff user and an API key, printed for the test.
SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "accounts", "--no-input", "-v0")
from portal.accounts.actions import api_token_create
from portal.accounts.choices import Role
from portal.accounts.models import User
user = User.objects.create(username="restart-staff", role=Role.DISTRICT_STAFF, is_staff=True)
print(api_token_create(user=user, name="restart")[1])
"""


class Load:
    """Threads that each send, one after the other, a GET of the regions list and a POST of a new
    region with a unique code; every answer (or failure to get one) is recorded with its start."""

    def __init__(self, base: str, key: str, threads: int = 2):
        self.base, self.key = base, key
        self.results: list[dict] = []
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(threads)
        ]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def run(self, n: int) -> None:
        i = 0
        while not self.stop.is_set():
            i += 1
            self.send("GET", "/api/v1/regions/?page_size=5")
            self.send("POST", "/api/v1/regions/", code=f"RS{n}-{i}")

    def send(self, method: str, path: str, code: str | None = None) -> None:
        data = None
        if code is not None:
            data = json.dumps({"code": code, "name": f"重启测试 {code}", "level": "province"})
        request = urllib.request.Request(
            self.base + path,
            data=data.encode() if data else None,
            method=method,
            headers={"Authorization": f"Token {self.key}", "Content-Type": "application/json"},
        )
        result = {"method": method, "code": code, "started": time.monotonic()}
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                result.update(status=response.status)
                response.read()
        except urllib.error.HTTPError as error:
            result.update(
                status=error.code,
                retry_after=error.headers.get("Retry-After"),
                body=error.read().decode(errors="replace"),
            )
        except OSError as error:  # a reset, a refused or dropped connection: never acceptable
            result.update(status=None, error=repr(error))
        self.results.append(result)

    def count(self, method: str, status: int) -> int:
        return sum(1 for r in self.results if r["method"] == method and r["status"] == status)


@pytest.mark.broker  # with the other heavy subprocess tests, on one xdist worker
def test_requests_during_a_postgresql_restart_fail_cleanly_and_the_next_succeed():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"{PG_BIN}/initdb is missing: apt-get install postgresql-15")
    if not GUNICORN.exists():
        pytest.skip(f"{GUNICORN} is missing: make install")
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The test brings its own cluster, whatever the suite's database: once per CI run is enough.
        pytest.skip("runs once per CI run, in the SQLite phase: it starts a PostgreSQL of its own")

    workdir = Path(tempfile.mkdtemp(prefix="portal-restart-"))
    data = workdir / "data"
    pg_port, web_port = free_port(), free_port()
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(workdir / "postgresql.log")]
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    server = None
    server_log = open(workdir / "gunicorn.log", "w+")  # noqa: SIM115 — closed in the finally
    try:
        _as_postgres(
            str(PG_BIN / "initdb"),
            *("-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            *("--locale=C.UTF-8", "--no-sync", "--no-instructions"),
        )
        options = f"-p {pg_port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres(*pg_ctl, "-o", options, "-w", "start")

        env = _server_env(f"postgres://postgres@127.0.0.1:{pg_port}/postgres")
        setup = subprocess.run(
            [sys.executable, "-c", SETUP],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert setup.returncode == 0, setup.stderr
        key = setup.stdout.strip().splitlines()[-1]

        server = subprocess.Popen(
            [str(GUNICORN), "portal.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{web_port}"],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{web_port}"
        wait_until(lambda: answers(f"{base}/healthz"), 60, "gunicorn to answer")

        with Load(base, key) as load:
            # Both workers hold a persistent connection (CONN_MAX_AGE) before the restart kills it.
            wait_until(lambda: load.count("POST", 201) >= 6, 60, "writes before the restart")
            _as_postgres(*pg_ctl, "-m", "fast", "-w", "restart")
            restarted = time.monotonic()
            wait_until(
                lambda: sum(r["started"] > restarted for r in load.results) >= 8,
                30,
                "requests after the restart",
            )
        results = load.results

        # A quiet restart: each worker's persistent connection dies unused. CONN_HEALTH_CHECKS finds
        # it dead at the next request, which reconnects and succeeds instead of failing on it.
        _as_postgres(*pg_ctl, "-m", "fast", "-w", "restart")
        quiet = Load(base, key)
        for _ in range(4):
            quiet.send("GET", "/api/v1/regions/?page_size=5")
        assert [r["status"] for r in quiet.results] == [200] * 4, quiet.results

        failures = [r for r in results if r["status"] not in (200, 201, 503)]
        assert not failures, failures  # never a 500, never a dropped connection
        for r in results:
            if r["status"] == 503:
                assert r["retry_after"] == RETRY_AFTER, r
                assert json.loads(r["body"])["errors"][0]["code"] == "database_unavailable", r
        # pg_ctl returns once the server accepts connections: from then on every request succeeds.
        after = [r for r in results if r["started"] > restarted]
        assert [r["status"] for r in after] == [200 if r["method"] == "GET" else 201 for r in after]

        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={pg_port} user=postgres dbname=postgres") as db:
            stored = dict(
                db.execute(
                    "SELECT r.code, count(h.history_id) FROM regions_region r "
                    "LEFT JOIN regions_historicalregion h ON h.id = r.id GROUP BY r.code"
                ).fetchall()
            )
            duplicates = db.execute(
                "SELECT count(*) - count(DISTINCT name) FROM regions_region"
            ).fetchone()[0]
        created = {r["code"] for r in results if r["status"] == 201}
        sent = {r["code"] for r in results if r["method"] == "POST"}
        assert created <= set(stored)  # every acknowledged write is there ...
        assert set(stored) <= sent  # ... and nothing else
        assert duplicates == 0  # ... once
        # Not half-written: each region has its history row (saved in the same transaction).
        assert set(stored.values()) == {1}
        server_log.seek(0)
        assert "Traceback" not in server_log.read()
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_log.close()
        if (data / "postmaster.pid").exists():
            _as_postgres(*pg_ctl, "-m", "immediate", "stop")
        shutil.rmtree(workdir, ignore_errors=True)
