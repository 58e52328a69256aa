from celery import shared_task

from .actions.reminders import meeting_reminders_send


@shared_task
def send_meeting_reminders() -> dict[str, int]:
    """Send the meeting reminders due now, each exactly once; returns the sweep's counts."""
    return meeting_reminders_send().as_dict()
