"""JSON logs (LOG_FORMAT=json): one object per line, with the request's id (the one the response
echoes in X-Request-ID) and, inside a Celery task, the task's id and name."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import path

from portal.celery_app import app
from portal.core.logs import ContextFilter, JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
logger = logging.getLogger("portal.tests.logs")


def logging_view(request):
    logger.info("hello from the view\nwith a second line")
    return HttpResponse("ok")


urlpatterns = [path("logged/", logging_view, name="logged")]


@app.task(name="tests.portal.test_logs.logging_task")
def logging_task(word: str) -> str:
    logger.info("the task says %s", word)
    return word


@pytest.fixture
def json_lines():
    """The root logger's records as the JSON handler of settings writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.urls(__name__)
def test_a_request_logs_one_object_per_line_with_the_id_it_answers_with(client, json_lines):
    response = client.get("/logged/")
    ours = [line for line in json_lines() if line["logger"] == logger.name]
    assert len(ours) == 1
    record = ours[0]
    assert record["message"] == "hello from the view\nwith a second line"
    assert record["level"] == "INFO"
    assert record["request_id"] == response["X-Request-ID"] and len(record["request_id"]) == 32
    assert record["time"].endswith("+00:00") and record["task_id"] is None

    response = client.get("/logged/", HTTP_X_REQUEST_ID="from-the-proxy-42")
    assert response["X-Request-ID"] == "from-the-proxy-42"
    assert json_lines()[-1]["request_id"] == "from-the-proxy-42"


def test_outside_a_request_the_id_is_empty(json_lines):
    logger.warning("no request here")
    assert json_lines()[-1]["request_id"] is None


def test_a_task_record_carries_the_task_id_and_name(json_lines):
    result = logging_task.apply(args=["飞"], task_id="task-0001")
    assert result.get() == "飞"
    record = next(line for line in json_lines() if line["message"] == "the task says 飞")
    assert record["task_id"] == "task-0001"
    assert record["task_name"] == "tests.portal.test_logs.logging_task"
    logger.info("after the task")
    assert json_lines()[-1]["task_id"] is None


def test_an_exception_stays_on_one_line(json_lines):
    try:
        raise ValueError("broken")
    except ValueError:
        logger.exception("it failed")
    lines = json_lines()
    assert "ValueError: broken" in lines[-1]["exc_info"]


def test_log_format_json_is_what_the_settings_install():
    """The settings' own console handler, in a process of its own."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('portal.x').warning('from settings')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "LOG_FORMAT": "json"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "from settings" and line["logger"] == "portal.x"
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "task_id"}

    env["LOG_FORMAT"] = "text"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stderr.strip().endswith("WARNING portal.x from settings")
