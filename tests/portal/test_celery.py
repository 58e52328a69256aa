"""Tasks really travel through the configured broker (filesystem by default, Redis in CI) to a worker."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.celery_app import app
from portal.core.tasks import clear_expired_sessions


def make_session(expire_in_days: int) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + timedelta(days=expire_in_days)
    )
    return store.session_key


@pytest.mark.django_db
def test_clear_expired_sessions_deletes_only_expired_ones():
    old, fresh = make_session(-1), make_session(1)
    assert clear_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh]
    assert old != fresh


@pytest.mark.django_db(transaction=True)
@pytest.mark.broker
def test_a_worker_runs_a_task_sent_through_the_broker():
    make_session(-1)
    with start_worker(
        app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
    ):
        clear_expired_sessions.delay()
        deadline = time.monotonic() + 20
        while Session.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not Session.objects.exists()


def test_the_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks
