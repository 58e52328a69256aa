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
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_readyz_is_503_naming_the_broker_when_it_cannot_be_reached(client, monkeypatch):
    # A real connection attempt to a port where nothing listens, from an app of its own so that the
    # portal's connection pools stay as they are. Celery lets the environment variable win, so set it.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(views, "celery_app", Celery("unreachable", broker="redis://127.0.0.1:9/0"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "error"}
