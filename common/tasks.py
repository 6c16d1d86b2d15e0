"""The base of the portal's Celery tasks."""

from __future__ import annotations

from celery import Task
from django.db import DatabaseError, InterfaceError, OperationalError


class ReliableTask(Task):
    """Acknowledged after it ran (a task whose worker dies is delivered again rather than
    lost, so tasks must be idempotent); retried with backoff when the database is
    unavailable."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (OperationalError, InterfaceError, DatabaseError)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 6
