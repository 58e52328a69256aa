"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so they are checked by reading."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = "\n".join(p.read_text() for p in (ROOT / "portal" / "settings").glob("*.py"))
ENV_READ_BY_SETTINGS = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
ENV_READ_BY_GUNICORN = set(
    re.findall(r'(?:environ\.get|_int)\(\s*"([A-Z_]+)"', (ROOT / "gunicorn.conf.py").read_text())
)


PORTAL_SERVICES = ("migrate", "web", "worker", "beat", "backup")


def test_compose_has_its_services_each_with_a_health_check_and_a_pinned_image():
    services = COMPOSE["services"]
    assert set(services) == {"db", "redis", *PORTAL_SERVICES, "proxy"}
    for name, service in services.items():
        assert "healthcheck" in service or name == "migrate", name
        # A tag with a version number: an upgrade is a decision, not whatever `latest` is today.
        tag = service["image"].rpartition(":")[2]
        assert re.search(r"\d+\.\d+", tag) and tag != "latest", (name, service["image"])
    assert services["db"]["image"].startswith("postgres:15.")


def test_only_the_one_shot_migrate_migrates_and_the_rest_wait_for_it():
    services = COMPOSE["services"]
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat", "backup"):
        assert "migrate" not in " ".join(services[name]["command"]), name
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_redis_has_a_password_that_every_redis_url_carries():
    redis = COMPOSE["services"]["redis"]
    assert "--requirepass" in " ".join(redis["command"])
    assert "REDISCLI_AUTH" in " ".join(redis["healthcheck"]["test"])
    env = COMPOSE["x-portal"]["environment"]
    for name in ("CELERY_BROKER_URL", "CACHE_URL"):
        assert env[name].startswith("redis://:${REDIS_PASSWORD"), name


def test_backups_have_a_volume_retention_and_the_image_has_pg_dump():
    backup = COMPOSE["services"]["backup"]
    assert "backups:/app/var/backups" in backup["volumes"]
    assert "manage.py backup" in " ".join(backup["command"])
    assert "BACKUP_KEEP_DAYS" in COMPOSE["x-portal"]["environment"]
    assert "postgresql-client" in (ROOT / "Dockerfile").read_text()


def test_beat_is_unhealthy_when_its_schedule_file_stops_changing():
    test = " ".join(COMPOSE["services"]["beat"]["healthcheck"]["test"])
    assert "-mmin -10" in test and "celerybeat-schedule" in test


def test_gunicorn_takes_its_settings_from_the_environment(monkeypatch):
    import runpy

    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "90")
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "0")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["workers"], config["timeout"], config["max_requests"]) == (7, 90, 0)
    monkeypatch.delenv("GUNICORN_WORKERS")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 2
    for name in ("GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_MAX_REQUESTS"):
        assert name in COMPOSE["x-portal"]["environment"]


def test_the_proxy_serves_static_files_and_passes_the_rest_to_web():
    proxy = COMPOSE["services"]["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert "static:/app/var/staticfiles:ro" in proxy["volumes"]
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "alias /app/var/staticfiles/;" in conf
    assert COMPOSE["x-portal"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


@pytest.mark.skipif(not shutil.which("nginx"), reason="Debian's nginx is not installed")
def test_debians_nginx_accepts_the_shipped_configuration(tmp_path):
    """`nginx -t` on deploy/nginx.conf, with a throwaway certificate and `web` on loopback."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=portal.test", "-keyout", str(tmp_path / "portal.key"),
         "-out", str(tmp_path / "portal.crt")],
        check=True, capture_output=True,
    )  # fmt: skip
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    conf = conf.replace("server web:8000;", "server 127.0.0.1:9;")
    conf = conf.replace("/etc/nginx/certs/", f"{tmp_path}/").replace(
        "/tmp/nginx", f"{tmp_path}/nginx"
    )
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path),
         "-g", f"error_log {tmp_path}/error.log;"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_every_variable_the_portal_services_get_is_read_by_the_settings():
    for name in PORTAL_SERVICES:
        env = COMPOSE["services"][name]["environment"]
        unknown = (
            set(env) - ENV_READ_BY_SETTINGS - ENV_READ_BY_GUNICORN - {"DJANGO_SETTINGS_MODULE"}
        )
        assert not unknown, f"{name}: {unknown}"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert "@redis:6379/" in env["CELERY_BROKER_URL"]
        assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"


def test_the_settings_read_every_variable_the_issue_names():
    assert {
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "EMAIL_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
    } <= ENV_READ_BY_SETTINGS


def test_the_database_credentials_agree_between_db_and_the_portal():
    db_env = COMPOSE["services"]["db"]["environment"]
    url = COMPOSE["services"]["web"]["environment"]["DATABASE_URL"]
    assert url.startswith(f"postgres://{db_env['POSTGRES_USER']}:")
    assert url.endswith(f"/{db_env['POSTGRES_DB']}")


def test_the_portal_services_wait_for_healthy_db_and_redis_and_use_the_built_image():
    for name in PORTAL_SERVICES:
        service = COMPOSE["services"][name]
        assert service["build"] == "."
        assert service["depends_on"]["db"] == {"condition": "service_healthy"}
        assert service["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert COMPOSE["services"]["web"]["command"] == ["gunicorn", "portal.wsgi"]
    assert COMPOSE["services"]["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]


def test_dockerfile_installs_the_locked_dependencies_and_serves_the_wsgi_module():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "collectstatic" in dockerfile
    assert '"portal.wsgi"' in dockerfile
    assert (ROOT / "portal" / "wsgi.py").exists()


def test_the_portal_services_share_one_redis_cache_beside_the_broker():
    caches = {
        COMPOSE["services"][name]["environment"]["CACHE_URL"] for name in ("web", "worker", "beat")
    }
    [cache_url] = caches
    assert "@redis:6379/" in cache_url
    broker = COMPOSE["services"]["web"]["environment"]["CELERY_BROKER_URL"]
    assert cache_url != broker  # a cache.clear() must not drop queued tasks
    assert "redis" in COMPOSE["services"]["web"]["depends_on"]
