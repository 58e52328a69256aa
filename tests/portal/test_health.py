import pytest
from celery import Celery

from portal.core import views


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_200_when_the_configured_database_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_broker_when_it_cannot_be_reached(client, monkeypatch):
    # A real connection attempt to a port where nothing listens, from an app of its own so that the
    # portal's connection pools stay as they are. Celery lets the environment variable win, so set it.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(views, "celery_app", Celery("unreachable", broker="redis://127.0.0.1:9/0"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "error", "cache": "ok"}


def test_an_unknown_api_address_answers_json_404_in_chinese(client):
    for path in ("/api/v1/no-such-list/", "/api/v1/notifications/%E6%AC%0AC%09/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "type": "client_error",
            "errors": [{"code": "not_found", "detail": "未找到。", "attr": None}],
        }


def test_an_unknown_page_answers_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
