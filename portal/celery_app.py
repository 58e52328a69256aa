"""The Celery application: configuration comes from Django settings under the CELERY_ namespace."""

import os

from celery import Celery

from portal.core import logs  # noqa: F401 (connects the task signals that log records read)
from portal.core.broker import use_atomic_filesystem_transport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

use_atomic_filesystem_transport()
app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
