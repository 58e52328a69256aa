from celery import shared_task

from portal.core.outbox import mail_send, pending_tasks_drain

from .notices import notices_send


@shared_task
def send_pending_mail() -> dict[str, int]:
    """Send the outbox's mail that is due (refused earlier by the mail server); returns the counts."""
    return mail_send().as_dict()


@shared_task
def drain_pending_tasks() -> dict[str, int]:
    """Publish the tasks kept while the broker was unreachable; returns the counts."""
    return pending_tasks_drain().as_dict()


@shared_task
def send_pending_notices() -> dict[str, int]:
    """Send the notices on SMS and WeCom that are due; returns the counts."""
    return notices_send().as_dict()
