"""A worker killed in the middle of a task (issue 10, "Faults"): the broker hands the task to the next
worker (acks late, `visibility_timeout`), and its effect happens once.

Real processes throughout: a Redis of the test's own (the suite's broker is left alone), `celery
worker` started twice as a subprocess, a loopback SMTP server. The task is the outbox's
`send_pending_mail`. The first worker is killed with SIGKILL (no warm shutdown, no chance to hand the
message back) while the mail server holds its message. The second worker gets the task again once
the visibility timeout has passed and delivers the mail: one mail arrives, and the outbox row is
sent once.

The workers use the suite's database: on PostgreSQL the test database itself (the test commits);
on SQLite, whose test database lives in memory, a copy of it in a file, read back at the end.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery_app import app
from portal.notifications.models import OutgoingMail
from portal.notifications.tasks import send_pending_mail
from tests.helpers import free_port, wait_until
from tests.smtp import Inbox, SMTPServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.broker]

ROOT = Path(__file__).resolve().parents[2]
CELERY = ROOT / ".venv" / "bin" / "celery"
VISIBILITY_TIMEOUT = 2  # seconds; production keeps Redis's default of an hour (docs/operations.md)


class HoldingInbox(Inbox):
    """Holds the first message in DATA (no answer) until released; keeps the others."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        if self.held == 0:
            self.held += 1
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 The sender went away"
        return await super().handle_DATA(server, session, envelope)


def _database_for_workers(workdir: Path) -> tuple[str, callable]:
    """The DATABASE_URL the workers use, and a function that reads the outbox rows from it."""
    db = settings.DATABASES["default"]
    query = "SELECT status, attempts FROM notifications_outgoingmail ORDER BY id"
    if db["ENGINE"] == "django.db.backends.postgresql":
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )

        def rows():
            with connection.cursor() as cursor:
                cursor.execute(query)
                return cursor.fetchall()

        return url, rows
    path = workdir / "portal.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()

    def rows():
        with sqlite3.connect(path) as db_file:
            return db_file.execute(query).fetchall()

    return f"sqlite:///{path}", rows


def _worker(env: dict, log, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(CELERY), "-A", "portal", "worker", "-P", "solo", "-n", f"{name}@%h", "-l", "INFO"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_task_of_a_killed_worker_is_redelivered_and_its_mail_sent_once():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is missing: apt-get install redis-server")
    workdir = Path(tempfile.mkdtemp(prefix="portal-killed-"))
    inbox = HoldingInbox()
    smtp = SMTPServer(handler=inbox)
    smtp.start()
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    broker = f"redis://127.0.0.1:{redis_port}/0"
    workers: list[subprocess.Popen] = []
    log = open(workdir / "workers.log", "w+")  # noqa: SIM115 — closed in the finally
    try:
        OutgoingMail.objects.create(
            recipients=["secretary@example.org"], subject="联席会议纪要", body="请查收。"
        )
        database_url, outbox_rows = _database_for_workers(workdir)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "DEBUG": "False",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        }

        with app.connection_for_write(broker) as conn:
            conn.ensure_connection(max_retries=20, interval_start=0.1)
            app.send_task(send_pending_mail.name, connection=conn)
        taken_at = time.monotonic()

        workers.append(_worker(env, log, "first"))
        # The task runs: its mail is in the server's hands.
        assert inbox.holding.wait(90), _tail(log)
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        inbox.release.set()
        assert smtp.messages == []
        assert outbox_rows() == [("pending", 0)]  # the killed worker's claim died with it

        workers.append(_worker(env, log, "second"))
        wait_until(lambda: len(smtp.messages) == 1, 90, "the second worker to send the mail")
        assert time.monotonic() - taken_at >= VISIBILITY_TIMEOUT
        wait_until(lambda: outbox_rows() == [("sent", 1)], 30, "the outbox row marked sent")

        # Once: a further wait past the visibility timeout brings no second delivery.
        time.sleep(VISIBILITY_TIMEOUT + 2)
        assert len(smtp.messages) == 1 and inbox.held == 1
        assert smtp.messages[0]["Subject"] == "联席会议纪要"
        assert smtp.messages[0]["X-Envelope-To"] == "secretary@example.org"
        assert outbox_rows() == [("sent", 1)]
        log.seek(0)
        assert log.read().count(f"Task {send_pending_mail.name}[") >= 2  # received twice
    finally:
        inbox.release.set()
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=10)
        smtp.stop()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-3000:]
