from celery import shared_task

from .actions.activities import pending_photos_purge
from .actions.demands import demands_mark_overdue


@shared_task
def purge_pending_photos() -> int:
    """Remove photos kept from refused activity forms that nobody came back for; returns how many."""
    return pending_photos_purge()


@shared_task
def mark_overdue_demands() -> dict[str, int]:
    """Flag open demands past their due date and remind whoever must act, once per demand and day."""
    return demands_mark_overdue().as_dict()
