"""The task outbox: staff queue a report build while the broker is down, the task is kept in the
database, and it reaches the broker once the broker answers again. /readyz counts what waits."""

import pytest
from celery import Celery
from django.urls import reverse

from portal.core import outbox
from portal.notifications.models import OutgoingMail, PendingTask
from reports.tasks import build_quarterly_reports
from tests.broker import take_from_broker

UNREACHABLE = "redis://127.0.0.1:9/0"


@pytest.mark.broker
@pytest.mark.django_db
def test_the_build_button_answers_while_the_broker_is_down_and_the_task_follows(
    client, staff_user, monkeypatch, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-11-26 10:00:00+08:00")
    client.force_login(staff_user)
    build = reverse("reports:build")
    with django_capture_on_commit_callbacks(execute=True):
        up = client.post(build, {"quarter": "2026Q3"}, follow=True)
    assert take_from_broker(build_quarterly_reports.name, ["2026Q3"]) is not None
    assert not PendingTask.objects.exists()

    # A real connection attempt to a port where nothing listens (as for /readyz in test_health.py);
    # Celery lets the environment variable win, so set it too.
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE)
    monkeypatch.setattr(outbox, "celery_app", Celery("unreachable", broker=UNREACHABLE))
    with django_capture_on_commit_callbacks(execute=True):
        down = client.post(build, {"quarter": "2026Q3"}, follow=True)
    assert down.status_code == 200
    messages = [str(m) for m in down.context["messages"]]
    assert messages == [str(m) for m in up.context["messages"]] and "2026" in messages[0]
    kept = PendingTask.objects.get()
    assert (kept.task, kept.args, kept.attempts) == (build_quarterly_reports.name, ["2026Q3"], 1)
    assert "127.0.0.1:9" in kept.last_error

    # Still down: the row stays and counts the attempt.
    assert outbox.pending_tasks_drain().as_dict() == {"sent": 0, "left": 1}
    kept.refresh_from_db()
    assert kept.attempts == 2

    monkeypatch.undo()  # the broker is back
    assert outbox.pending_tasks_drain().as_dict() == {"sent": 1, "left": 0}
    assert not PendingTask.objects.exists()
    assert take_from_broker(build_quarterly_reports.name, ["2026Q3"]) is not None
    assert outbox.pending_tasks_drain().as_dict() == {"sent": 0, "left": 0}


@pytest.mark.django_db
def test_readyz_counts_what_waits_in_the_outboxes_without_failing(client):
    OutgoingMail.objects.bulk_create(
        OutgoingMail(recipients=["a@example.org"], subject="s", body="b", status=status)
        for status in ("pending", "pending", "sent", "failed")
    )
    PendingTask.objects.create(task=build_quarterly_reports.name, args=["2026Q3"])
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["pending"] == {"mail": 2, "tasks": 1}


def test_the_beat_drains_pending_tasks_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["drain-pending-tasks"]
    assert entry["task"] == "portal.notifications.tasks.drain_pending_tasks"
    assert entry["schedule"] == 60
