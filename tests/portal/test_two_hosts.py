"""The production profile as several hosts run it (issue 17.3): two gunicorn processes behind Debian's
nginx on loopback, on PostgreSQL and Redis. Whichever process answers, a session, a rate limit, an
uploaded photo and the dashboard's cached figures are the same: nothing lives in one process.

It needs PostgreSQL (the processes share the test database), so it runs in the CI's second phase.
"""

import contextlib
import datetime
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.utils import timezone, translation
from PIL import Image

from portal.accounts.actions import api_token_create
from reports.selectors import dashboard_scope
from tests.factories import ActivityFactory, StaffFactory, SubdistrictFactory
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
ENGINE = settings.DATABASES["default"]["ENGINE"]
REDIS = "redis://127.0.0.1:6379/12"
PASSWORD = "Test-pass-2026"  # the factories' password

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        ENGINE != "django.db.backends.postgresql",
        reason="the processes share the test database: PostgreSQL, the CI's second run",
    ),
    pytest.mark.skipif(not shutil.which("nginx"), reason="Debian's nginx is not installed"),
]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def _database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def stack(tmp_path):
    """Two gunicorns and nginx in front of them; yields nginx's base URL and the two upstreams."""
    redis = RedisCache(REDIS, {})
    redis.clear()
    chosen: set[int] = set()
    while len(chosen) < 3:  # three different ports: the kernel may offer one twice
        chosen.add(free_port())
    *ports, proxy = sorted(chosen)
    env = {
        **os.environ,
        # The production profile, but for static files (tests/settings_two_hosts.py).
        "DJANGO_SETTINGS_MODULE": "tests.settings_two_hosts",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{proxy}",
        "DATABASE_URL": _database_url(),
        "CACHE_URL": REDIS,
        "CELERY_BROKER_URL": "memory://",
        "EMAIL_URL": "dummymail://",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TRUSTED_PROXY_COUNT": "1",
        "TOKEN_RATE_LIMIT": "3/m",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_ACCESS_LOG": "",
    }
    processes = []
    for port in ports:
        processes.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "portal.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
    (tmp_path / "nginx.conf").write_text(
        f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    upstream portal {{ server 127.0.0.1:{ports[0]}; server 127.0.0.1:{ports[1]}; }}
    server {{
        listen 127.0.0.1:{proxy};
        client_max_body_size 20m;
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
    )
    nginx = subprocess.Popen(
        ["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"],
        start_new_session=True,
    )
    processes.append(nginx)
    try:
        for port in ports:
            _wait_for(f"http://127.0.0.1:{port}/healthz")
        base = f"http://127.0.0.1:{proxy}"
        _wait_for(f"{base}/healthz")
        yield base, {f"127.0.0.1:{port}" for port in ports}
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        redis.clear()


@pytest.fixture
def people(db):
    region = SubdistrictFactory(code="310115007", name="潍坊新村街道")
    staff = StaffFactory(username="two-hosts-staff")
    activity = ActivityFactory(
        title="两台主机上的活动", region=region, recorded_by=staff, place="浦东新区潍坊路 1 号"
    )
    return {"staff": staff, "activity": activity}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 4), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def test_two_processes_behind_nginx_share_sessions_limits_uploads_and_the_dashboard_cache(
    stack, people
):
    base, upstreams = stack
    staff = people["staff"]

    # A session signed in on one process is signed in on the other.
    browser = requests.Session()
    login = browser.get(f"{base}/accounts/login/")
    assert login.status_code == 200, (login.status_code, login.text[:300])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    signed_in = browser.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": staff.username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302, (
        _database_url(),
        re.findall(r"<li>[^<]*", signed_in.text)[:3],
    )
    served = {}
    for _ in range(6):
        page = browser.get(f"{base}/dashboard/", allow_redirects=False)
        assert page.status_code == 200, page.headers.get("Location")
        served[page.headers["X-Upstream"]] = page
    assert set(served) == upstreams

    # The dashboard's figures are cached once, in Redis, for both: a value put there is the one
    # that each process shows (a per-process cache would show each its own).
    with translation.override(settings.LANGUAGE_CODE):
        language = translation.get_language()
    today = timezone.localdate()
    key = f"reports:dashboard:{dashboard_scope(staff).key}:{today.isoformat()}:{language}"
    shared = RedisCache(REDIS, {})
    figures = shared.get(key)
    assert figures is not None, "the dashboard's figures are not in the shared cache"
    marker = (timezone.localtime() - datetime.timedelta(hours=7, minutes=13)).replace(second=0)
    shared.set(key, {**figures, "computed_at": marker}, timeout=300)
    seen = {}
    for _ in range(4):
        page = browser.get(f"{base}/dashboard/")
        seen[page.headers["X-Upstream"]] = marker.strftime("%H:%M") in page.text
    assert seen == dict.fromkeys(upstreams, True)

    # A photo uploaded through one process is served by the other.
    key_for_api = api_token_create(user=staff, name="两台主机")[1]
    api = {"Authorization": f"Token {key_for_api}"}
    activity = people["activity"]
    upload = requests.post(
        f"{base}/api/v1/activities/{activity.pk}/photos/",
        headers=api,
        files=[("photos", ("现场.png", _png(), "image/png"))],
    )
    assert upload.status_code in (200, 201), upload.text[:500]
    photo_url = activity.photos.get().image.url
    photos = {}
    for _ in range(4):
        response = requests.get(f"{base}{photo_url}", headers=api)
        assert response.status_code == 200
        photos[response.headers["X-Upstream"]] = response.content
    assert set(photos) == upstreams and len(set(photos.values())) == 1

    # A rate limit counts across processes: 3 token requests a minute from one address.
    answers = []
    for _ in range(5):
        response = requests.post(
            f"{base}/api/v1/auth/token/", json={"username": "nobody", "password": "wrong-guess"}
        )
        answers.append((response.status_code, response.headers["X-Upstream"]))
    statuses = [status for status, _upstream in answers]
    assert statuses[:3] != [429] * 3 and statuses[3:] == [429, 429], answers
    assert {upstream for _status, upstream in answers} == upstreams
