"""The outboxes: nothing the portal owes is lost when the mail server or the broker is down.

Mail (`OutgoingMail`) is written in the transaction whose news it carries and sent right after the
commit; a send the mail server refuses is recorded and tried again by `pending_mail_send` (the beat
task and the command `send_pending_mail`) after 1, 2, 4 … minutes, at most an hour apart, until
MAIL_MAX_ATTEMPTS have failed. A runner claims rows with SELECT … FOR UPDATE SKIP LOCKED and marks
them sent in the same transaction, so two runners never send the same row.

Tasks (`PendingTask`) are published after the commit; when the broker cannot be reached they are kept
in the database and published by `pending_tasks_drain` once it answers again.

Both deliver at least once: a process that dies between the hand-over and the commit sends again.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.celery_app import app as celery_app
from portal.notifications.choices import OutgoingMailStatus
from portal.notifications.models import OutgoingMail, PendingTask

logger = logging.getLogger(__name__)

# Rows one transaction claims; a run goes on batch after batch while rows are due.
MAIL_BATCH = 50
TASK_BATCH = 500
MAX_BACKOFF_MINUTES = 60
# What a publish raises when the broker cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)
# Refusals of one message; any other failure means the server itself is away, and a run stops there.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    ValueError,  # e.g. an address or header that cannot be encoded
)


# --- mail ---------------------------------------------------------------------------------------


@dataclass
class MailResult:
    sent: int = 0
    failed: int = 0
    given_up: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def encode_attachments(
    attachments: Iterable[tuple[str, str | bytes, str]] | None,
) -> list[dict[str, str]]:
    """(filename, content, mimetype) triples as JSON: text stays text, bytes go as base64."""
    encoded = []
    for filename, content, mimetype in attachments or ():
        item = {"filename": filename, "mimetype": mimetype}
        if isinstance(content, bytes):
            item["base64"] = base64.b64encode(content).decode("ascii")
        else:
            item["text"] = content
        encoded.append(item)
    return encoded


def mail_store(
    *,
    recipients: Sequence[str],
    subject: str,
    body: str,
    attachments: Iterable[tuple[str, str | bytes, str]] | None = None,
) -> OutgoingMail:
    """Write a mail into the outbox (in the caller's transaction) and send it after the commit."""
    mail = OutgoingMail.objects.create(
        recipients=list(recipients),
        subject=subject,
        body=body,
        attachments=encode_attachments(attachments),
    )
    # Robust: whatever goes wrong after the commit is logged, never raised into the request.
    transaction.on_commit(lambda: mail_send(OutgoingMail.objects.filter(pk=mail.pk)), robust=True)
    return mail


def mails_store(messages: Sequence[EmailMessage]) -> list[OutgoingMail]:
    """Write many plain mails into the outbox in one INSERT and send them after the commit (a
    sweep's reminders); attachments are not carried."""
    rows = OutgoingMail.objects.bulk_create(
        OutgoingMail(recipients=list(m.to), subject=m.subject, body=m.body) for m in messages
    )
    if rows:
        pks = [row.pk for row in rows]
        transaction.on_commit(
            lambda: mail_send(OutgoingMail.objects.filter(pk__in=pks), limit=len(pks)),
            robust=True,
        )
    return rows


def retry_delay(attempts: int) -> datetime.timedelta:
    """The pause after the `attempts`-th failed send: 1, 2, 4, 8 … minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_MINUTES))


def mail_send(rows: QuerySet[OutgoingMail] | None = None, *, limit: int = 5000) -> MailResult:
    """Send the rows of `rows` (by default all) that are pending and due; safe beside other runs."""
    # A row that fails is due again only after this run's start, so no run tries a row twice.
    rows = (OutgoingMail.objects.all() if rows is None else rows).filter(
        status=OutgoingMailStatus.PENDING, next_attempt_at__lte=timezone.now()
    )
    rows = rows.order_by("next_attempt_at", "pk")
    result = MailResult()
    connection = get_connection()
    try:
        while limit > 0:
            claimed, server_down = _send_batch(rows, connection, result, min(limit, MAIL_BATCH))
            limit -= claimed
            if server_down or claimed < MAIL_BATCH:
                break
    finally:
        connection.close()
    return result


def _send_batch(rows, connection, result: MailResult, size: int) -> tuple[int, bool]:
    """Claim up to `size` rows, send them, record the outcome; returns (claimed, server down)."""
    with transaction.atomic():
        batch = list(rows.select_for_update(skip_locked=True)[:size])
        sent, failed, server_down = [], [], False
        for mail in batch:
            try:
                connection.open()  # once per run: the batch shares one SMTP session
                _message(mail, connection).send()
            except Exception as exc:  # noqa: BLE001 — whatever failed, the row keeps the mail
                logger.warning("Mail %s to %s not sent: %s", mail.pk, mail.recipients, exc)
                failed.append(_failed(mail, exc))
                if not isinstance(exc, MESSAGE_ERRORS):
                    # The server itself is away: leave the rest of the batch for the next run.
                    server_down = True
                    connection.close()
                    break
            else:
                sent.append(mail.pk)
        now = timezone.now()
        if sent:
            OutgoingMail.objects.filter(pk__in=sent).update(
                status=OutgoingMailStatus.SENT,
                sent_at=now,
                attempts=F("attempts") + 1,
                last_error="",
            )
        if failed:
            OutgoingMail.objects.bulk_update(
                failed, ["attempts", "status", "next_attempt_at", "last_error"]
            )
    result.sent += len(sent)
    result.failed += sum(1 for m in failed if m.status == OutgoingMailStatus.PENDING)
    result.given_up += sum(1 for m in failed if m.status == OutgoingMailStatus.FAILED)
    return len(batch), server_down


def _failed(mail: OutgoingMail, exc: Exception) -> OutgoingMail:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        mail.status = OutgoingMailStatus.FAILED
        logger.error("Mail %s given up after %d attempts", mail.pk, mail.attempts)
    else:
        mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
    return mail


def _message(mail: OutgoingMail, connection) -> EmailMessage:
    message = EmailMessage(mail.subject, mail.body, None, mail.recipients, connection=connection)
    for item in mail.attachments:
        content: str | bytes = (
            base64.b64decode(item["base64"]) if "base64" in item else item.get("text", "")
        )
        message.attach(item["filename"], content, item["mimetype"])
    return message


def mail_retry_now(rows: QuerySet[OutgoingMail]) -> MailResult:
    """Make the unsent rows of `rows` due now (failed ones start counting again) and send them."""
    pks = list(rows.exclude(status=OutgoingMailStatus.SENT).values_list("pk", flat=True))
    unsent = OutgoingMail.objects.filter(pk__in=pks)
    unsent.filter(status=OutgoingMailStatus.FAILED).update(
        status=OutgoingMailStatus.PENDING, attempts=0
    )
    unsent.update(next_attempt_at=timezone.now())
    return mail_send(unsent)


# --- tasks --------------------------------------------------------------------------------------


@dataclass
class DrainResult:
    sent: int = 0
    left: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def enqueue_after_commit(task, *args: Any) -> None:
    """Queue `task(*args)` once the transaction commits; kept in the database if the broker is down.

    `args` must be JSON values (ids, strings), as for any task.
    """
    transaction.on_commit(lambda: enqueue(task, *args), robust=True)


def enqueue(task, *args: Any) -> bool:
    """Publish `task(*args)` now, or keep it as a PendingTask row; True when the broker took it."""
    try:
        with celery_app.producer_or_acquire() as producer:
            _publish(task, list(args), producer)
        return True
    except BROKER_ERRORS as exc:
        logger.warning("Broker unreachable, %s%r kept for later: %s", task.name, args, exc)
        PendingTask.objects.create(task=task.name, args=list(args), last_error=str(exc)[:500])
        return False


def _publish(task, args: list[Any], producer) -> None:
    """Hand `task` (a task or a task's name) to the broker through `producer`, without retrying."""
    # Fail at once (not after kombu's retries) when the broker is away: the user is waiting.
    producer.connection.ensure_connection(max_retries=0)
    if isinstance(task, str):
        task = celery_app.tasks.get(task) or task
    if isinstance(task, str):
        celery_app.send_task(task, args=args, retry=False, producer=producer)
    else:
        task.apply_async(args, retry=False, producer=producer)


def pending_tasks_drain(*, limit: int = TASK_BATCH) -> DrainResult:
    """Publish the kept tasks, oldest first, and delete their rows; stop when the broker is away."""
    result = DrainResult()
    with transaction.atomic():
        rows = list(PendingTask.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not rows:
            return result
        sent: list[int] = []
        try:
            with celery_app.producer_or_acquire() as producer:
                for row in rows:
                    _publish(row.task, row.args, producer)
                    sent.append(row.pk)
        except BROKER_ERRORS as exc:
            logger.warning(
                "Broker unreachable, %d tasks still kept: %s", len(rows) - len(sent), exc
            )
            PendingTask.objects.filter(pk__in=[r.pk for r in rows if r.pk not in sent]).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:500]
            )
        PendingTask.objects.filter(pk__in=sent).delete()
    result.sent, result.left = len(sent), len(rows) - len(sent)
    return result


# --- health -------------------------------------------------------------------------------------


def pending_counts() -> dict[str, int]:
    """Mail not yet sent (and not given up) and tasks the broker has not taken yet."""
    return {
        "mail": OutgoingMail.objects.filter(status=OutgoingMailStatus.PENDING).count(),
        "tasks": PendingTask.objects.count(),
    }
