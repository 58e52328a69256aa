"""The profiles behave as documented: the production one refuses to start without a real secret."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from environ import Env

from portal.core.cache import failsafe
from tests.s3 import s3_storage

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-check.sqlite3",
}


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", SECRET_KEY="django-insecure-local-only-change-me", **PRODUCTION)
    assert result.returncode != 0
    assert "real secret" in result.stderr


SHARED_CACHE = "redis://127.0.0.1:6379/5"  # `check` connects to nothing: no Redis needs to run


def check_deploy(**env):
    """`manage.py check --deploy --fail-level WARNING` under the production profile, as CI runs it."""
    return run_manage(
        *("check", "--deploy", "--fail-level", "WARNING"),
        SECRET_KEY=secrets.token_urlsafe(64),
        **{**PRODUCTION, **env},
    )


def test_production_check_deploy_is_clean_with_a_real_secret():
    result = check_deploy(CACHE_URL=SHARED_CACHE)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_per_process_cache():
    """Several gunicorn workers, each with its own memory cache, would each count their own rate
    limits: `check` (and `migrate`, which the web service runs before gunicorn) fails."""
    result = run_manage(
        "migrate",
        "--no-input",
        SECRET_KEY=secrets.token_urlsafe(64),
        CACHE_URL="locmemcache://",
        SINGLE_PROCESS="false",
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stderr and "CACHE_URL" in result.stderr


def test_production_takes_a_per_process_cache_when_told_it_is_one_process():
    result = check_deploy(CACHE_URL="locmemcache://", SINGLE_PROCESS="true")
    assert result.returncode == 0, result.stderr
    assert "portal.I001" in result.stderr  # said, not silenced


def test_the_shared_cache_check_only_concerns_the_production_profile(settings):
    from django.core.checks import run_checks

    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert not [e for e in run_checks() if e.id.startswith("portal.")]
    settings.SHARED_CACHE_REQUIRED = True
    assert [e.id for e in run_checks() if e.id.startswith("portal.")] == ["portal.E001"]
    settings.CACHES = {"default": Env.cache_url_config("dummycache://")}  # counts nothing at all
    assert [e.id for e in run_checks() if e.id.startswith("portal.")] == ["portal.E001"]
    settings.CACHES = {"default": failsafe(Env.cache_url_config(SHARED_CACHE))}
    assert not [e for e in run_checks() if e.id.startswith("portal.")]


def test_the_suite_runs_on_the_database_and_broker_the_environment_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    assert os.environ.get("CELERY_BROKER_URL", "filesystem://") == settings.CELERY_BROKER_URL


def test_chinese_is_the_default_language_and_shanghai_the_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_query_count_header_says_how_many_queries_a_request_made(client, settings, staff_user):
    settings.MIDDLEWARE = ["portal.core.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    client.force_login(staff_user)
    response = client.get("/api/v1/regions/")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) >= 2  # the session and user, then the regions


S3_ENVIRONMENT = {
    "STORAGE_BACKEND": "s3",
    "AWS_S3_ENDPOINT_URL": "https://files.portal.example.org",
    "AWS_STORAGE_BUCKET_NAME": "portal-uploads",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "portal-secret",
    "AWS_S3_REGION_NAME": "cn-east-1",
}
SHOW_STORAGE = (
    "import json; from django.conf import settings; "
    "print(json.dumps([settings.STORAGES['default'], "
    "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
)


def test_production_keeps_uploads_in_a_private_bucket_when_told_to():
    """STORAGE_BACKEND=s3 and the AWS_* variables: django-storages' S3 backend on a private bucket
    (no ACL sent, every read signed for a minute, path-style addresses as MinIO wants), which is
    what tests/s3.py gives the tests; the pages may show images from its endpoint."""
    result = check_deploy(CACHE_URL=SHARED_CACHE, **S3_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    shown = run_manage(
        "shell",
        "-c",
        SHOW_STORAGE,
        SECRET_KEY=secrets.token_urlsafe(64),
        **PRODUCTION,
        **S3_ENVIRONMENT,
    )
    assert shown.returncode == 0, shown.stderr
    storage, img_src = json.loads(shown.stdout.strip().splitlines()[-1])
    expected = s3_storage(
        "portal-uploads",
        endpoint="https://files.portal.example.org",
        access_key="portal",
        secret_key="portal-secret",
        region="cn-east-1",
    )
    assert storage == expected
    assert img_src[-1] == "https://files.portal.example.org"


def test_uploads_stay_on_the_file_system_by_default():
    shown = run_manage(
        "shell", "-c", SHOW_STORAGE, SECRET_KEY=secrets.token_urlsafe(64), **PRODUCTION
    )
    assert shown.returncode == 0, shown.stderr
    storage, _img_src = json.loads(shown.stdout.strip().splitlines()[-1])
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_unknown_storage_backend_is_refused():
    result = run_manage("check", STORAGE_BACKEND="ftp")
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be filesystem or s3" in result.stderr


def test_pgbouncers_transaction_pooling_turns_server_side_cursors_off():
    show = "from django.conf import settings; print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])"
    key = secrets.token_urlsafe(64)
    default = run_manage("shell", "-c", show, SECRET_KEY=key, CACHE_URL=SHARED_CACHE, **PRODUCTION)
    pooled = run_manage(
        "shell",
        "-c",
        show,
        SECRET_KEY=key,
        CACHE_URL=SHARED_CACHE,
        DB_DISABLE_SERVER_SIDE_CURSORS="true",
        **PRODUCTION,
    )
    assert (default.stdout.strip().splitlines()[-1], pooled.stdout.strip().splitlines()[-1]) == (
        "False",
        "True",
    ), (default.stderr, pooled.stderr)
