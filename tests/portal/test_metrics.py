"""/metrics: who may read it, what it says (request latency by URL name, queries, outboxes, the
Redis queue, job outcomes), and that watching costs a request no query."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from alliances.actions.reminders import meeting_reminders_send
from portal.celery_app import app
from portal.notifications.choices import OutgoingMailStatus
from portal.notifications.models import OutgoingMail, PendingTask
from tests.factories import ServiceStationFactory
from tests.helpers import free_port, wait_until

pytestmark = pytest.mark.django_db

METRICS = "/metrics"
STATIONS = "/services/stations/"
STATIONS_API = "/api/v1/stations/"


def scrape(client, **extra) -> dict[str, list]:
    """The families of an allowed scrape, by name, each a list of its samples."""
    response = client.get(METRICS, **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    families = text_string_to_metric_families(response.content.decode())
    return {family.name: family.samples for family in families}


def value(samples, name: str, **labels) -> float | None:
    for sample in samples:
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
            return sample.value
    return None


class TestAccess:
    def test_an_allowed_address_reads_the_exposition_without_a_session(self, client):
        response = client.get(METRICS)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers and not response.cookies
        assert "Cache-Control" in response.headers

    def test_another_address_gets_a_404_without_the_token(self, client, settings):
        settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
        far = {"REMOTE_ADDR": "10.1.2.3"}
        assert client.get(METRICS, **far).status_code == 404
        assert client.get(METRICS, HTTP_AUTHORIZATION="Bearer wrong", **far).status_code == 404
        assert client.post(METRICS, **far).status_code == 404
        response = client.get(
            METRICS, HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus", **far
        )
        assert response.status_code == 200

    def test_no_token_set_means_no_token_opens_it(self, client, settings):
        settings.METRICS_TOKEN = ""
        response = client.get(METRICS, HTTP_AUTHORIZATION="Bearer ", REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 404

    def test_networks_are_allowed_and_a_proxy_forwarded_address_counts(self, client, settings):
        settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
        assert client.get(METRICS, REMOTE_ADDR="10.9.9.9").status_code == 200
        assert client.get(METRICS, REMOTE_ADDR="127.0.0.1").status_code == 404
        settings.TRUSTED_PROXY_COUNT = 1
        behind = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
        assert client.get(METRICS, **behind).status_code == 404

    def test_other_methods_are_refused_to_an_allowed_address(self, client):
        assert client.post(METRICS).status_code == 405


class TestRequests:
    def test_the_histogram_names_the_view_not_the_path(self, client, api_client, region):
        station = ServiceStationFactory(region=region)
        assert client.get(STATIONS).status_code == 200
        assert api_client.get(STATIONS_API).status_code == 200
        assert client.get(f"/services/stations/{station.pk}/").status_code == 200
        assert client.get("/no/such/page/").status_code == 404
        families = scrape(client)
        seconds = families["portal_http_request_duration_seconds"]
        page = {"view": "services:station-list", "method": "GET", "status": "2xx"}
        assert value(seconds, "portal_http_request_duration_seconds_count", **page) >= 1
        api = {"view": "api:station-list", "method": "GET", "status": "2xx"}
        assert value(seconds, "portal_http_request_duration_seconds_count", **api) >= 1
        views = {s.labels["view"] for s in seconds}
        assert "services:station-detail" in views and "<unresolved>" in views
        assert not any("/" in view for view in views)
        queries = families["portal_http_request_queries"]
        assert value(queries, "portal_http_request_queries_sum", view="services:station-list") > 0

    def test_a_list_page_makes_no_query_more(self, client, region, django_assert_num_queries):
        ServiceStationFactory(region=region)
        # The pin of tests/services/test_stations.py for an anonymous visitor.
        with django_assert_num_queries(7):
            client.get(STATIONS)

    def test_a_list_page_answers_with_its_request_id(self, client):
        response = client.get(STATIONS, HTTP_X_REQUEST_ID="abc-123.DEF")
        assert response["X-Request-ID"] == "abc-123.DEF"
        for insane in ("a b", "x" * 129, "<script>", "ü"):
            generated = client.get(STATIONS, HTTP_X_REQUEST_ID=insane)["X-Request-ID"]
            assert generated != insane and len(generated) == 32


class TestState:
    def test_the_outbox_gauges_count_the_pending_rows(self, client):
        OutgoingMail.objects.bulk_create(
            OutgoingMail(recipients=["a@example.org"], subject="s", body="b", status=status)
            for status in ["pending", "pending", "pending", "sent", "failed"]
        )
        PendingTask.objects.create(task="portal.core.tasks.clear_expired_sessions", args=[])
        families = scrape(client)
        pending = OutgoingMail.objects.filter(status=OutgoingMailStatus.PENDING).count()
        assert pending == 3
        samples = families["portal_outbox_pending"]
        assert value(samples, "portal_outbox_pending", outbox="mail") == pending
        assert value(samples, "portal_outbox_pending", outbox="tasks") == 1
        assert value(families["portal_outbox_mail_failed"], "portal_outbox_mail_failed") == 1

    def test_the_state_costs_two_queries_however_many_rows(self, client, django_assert_num_queries):
        OutgoingMail.objects.bulk_create(
            OutgoingMail(recipients=["a@example.org"], subject="s", body="b") for _ in range(20)
        )
        with django_assert_num_queries(2):
            client.get(METRICS)

    def test_no_queue_gauge_for_a_broker_that_is_not_redis(self, client, monkeypatch):
        # Celery's conf prefers the CELERY_BROKER_URL variable (set in CI's Redis phase).
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        monkeypatch.setattr(app.conf, "broker_url", "filesystem://")
        assert "portal_celery_queue_length" not in scrape(client)

    def test_the_queue_gauge_is_the_length_of_the_redis_list(self, client, monkeypatch):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is missing: apt-get install redis-server")
        import redis

        port = free_port()
        workdir = tempfile.mkdtemp(prefix="portal-metrics-redis-")
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL,
        )
        try:
            url = f"redis://127.0.0.1:{port}/0"
            direct = redis.Redis.from_url(url)
            wait_until(lambda: _pings(direct), timeout=10, what="redis-server")
            direct.lpush(app.conf.task_default_queue, "one", "two", "three")
            monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
            monkeypatch.setattr(app.conf, "broker_url", url)
            samples = scrape(client)["portal_celery_queue_length"]
            assert value(samples, "portal_celery_queue_length", queue="celery") == 3
            server.terminate()
            server.wait(timeout=10)
            # Redis away: the scrape still answers, without the gauge.
            assert "portal_celery_queue_length" not in scrape(client)
        finally:
            server.kill()
            server.wait(timeout=10)
            shutil.rmtree(workdir, ignore_errors=True)


def _pings(client) -> bool:
    try:
        return client.ping()
    except Exception:  # noqa: BLE001 — not up yet
        return False


class TestJobs:
    def test_a_reminder_sweep_counts_its_run(self, client):
        labels = {"job": "meeting_reminders", "outcome": "ok"}
        before = REGISTRY.get_sample_value("portal_job_runs_total", labels) or 0
        meeting_reminders_send()
        assert REGISTRY.get_sample_value("portal_job_runs_total", labels) == before + 1
        samples = scrape(client)["portal_job_runs"]
        assert value(samples, "portal_job_runs_total", **labels) == before + 1

    def test_a_failed_sweep_counts_as_failed(self, monkeypatch):
        import alliances.actions.reminders as reminders

        def broken(now, token):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(reminders, "_before_rows", broken)
        labels = {"job": "meeting_reminders", "outcome": "failed"}
        before = REGISTRY.get_sample_value("portal_job_runs_total", labels) or 0
        with pytest.raises(RuntimeError):
            meeting_reminders_send()
        assert REGISTRY.get_sample_value("portal_job_runs_total", labels) == before + 1


HITS = """
import django, sys
django.setup()
from django.test import Client
client = Client()
for _ in range(int(sys.argv[1])):
    assert client.get("/healthz").status_code == 200
"""
SCRAPE = """
import django
django.setup()
from django.test import Client
print(Client().get("/metrics").content.decode())
"""


def test_in_multiprocess_mode_a_scrape_adds_up_every_process(tmp_path):
    """gunicorn's workers each keep their own values in PROMETHEUS_MULTIPROC_DIR; any one answers
    /metrics with the sum."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }

    def run(code: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(HITS, "3")
    run(HITS, "2")
    assert len(list(tmp_path.glob("*.db"))) >= 2  # one file per process and kind
    families = {f.name: f.samples for f in text_string_to_metric_families(run(SCRAPE))}
    seconds = families["portal_http_request_duration_seconds"]
    assert value(seconds, "portal_http_request_duration_seconds_count", view="healthz") == 5


def test_gunicorn_marks_a_worker_that_exits_dead(tmp_path, monkeypatch):
    import runpy
    from types import SimpleNamespace

    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    live = tmp_path / "gauge_livesum_4242.db"
    live.write_bytes(b"")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    config["child_exit"](None, SimpleNamespace(pid=4242))
    assert live.exists()  # not in multiprocess mode: nothing to do
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config["child_exit"](None, SimpleNamespace(pid=4242))
    assert not live.exists()


def test_a_failed_report_build_counts_as_failed(monkeypatch):
    import reports.actions
    from reports.periods import Quarter

    def broken(scope, quarter):
        raise RuntimeError("no indicators today")

    monkeypatch.setattr(reports.actions, "quarter_indicators", broken)
    labels = {"job": "quarterly_report", "outcome": "failed"}
    before = REGISTRY.get_sample_value("portal_job_runs_total", labels) or 0
    with pytest.raises(RuntimeError):
        reports.actions.quarterly_report_build(quarter=Quarter.parse("2026Q3"))
    assert REGISTRY.get_sample_value("portal_job_runs_total", labels) == before + 1


def test_an_entry_that_is_no_address_refuses_to_start():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    env["METRICS_ALLOWED_IPS"] = "127.0.0.1,prometheus.local"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "prometheus.local" in done.stderr
