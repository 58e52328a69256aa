"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so they are checked by reading."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_SOURCE = "\n".join(p.read_text() for p in (ROOT / "portal" / "settings").glob("*.py"))
ENV_READ_BY_SETTINGS = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))


def test_compose_has_the_five_services_each_with_a_health_check():
    services = COMPOSE["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"] == "postgres:15"
    for name, service in services.items():
        assert "healthcheck" in service, name


def test_every_variable_the_portal_services_get_is_read_by_the_settings():
    for name in ("web", "worker", "beat"):
        env = COMPOSE["services"][name]["environment"]
        unknown = set(env) - ENV_READ_BY_SETTINGS - {"DJANGO_SETTINGS_MODULE"}
        assert not unknown, f"{name}: {unknown}"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379")
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
    for name in ("web", "worker", "beat"):
        service = COMPOSE["services"][name]
        assert service["build"] == "."
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    assert "gunicorn portal.wsgi" in COMPOSE["services"]["web"]["command"]
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
    assert cache_url.startswith("redis://redis:6379/")
    broker = COMPOSE["services"]["web"]["environment"]["CELERY_BROKER_URL"]
    assert cache_url != broker  # a cache.clear() must not drop queued tasks
    assert "redis" in COMPOSE["services"]["web"]["depends_on"]
