from celery import shared_task

from .actions.activities import pending_photos_purge


@shared_task
def purge_pending_photos() -> int:
    """Remove photos kept from refused activity forms that nobody came back for; returns how many."""
    return pending_photos_purge()
