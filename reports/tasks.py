"""Celery entry points of the reports: each takes ids, calls one service, owns retries.

Both are idempotent and acknowledged late, so a task whose worker dies is delivered again
rather than lost.
"""

from __future__ import annotations

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

from reports.exports import services


class ReportsTask(Task):
    """Acknowledged after it ran; retried with backoff when the database is unavailable."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (OperationalError, InterfaceError, DatabaseError)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    max_retries = 6


@shared_task(name="reports.export_run", base=ReportsTask)
def export_run_task(job_id: int) -> None:
    services.export_job_run(job_id=job_id)


@shared_task(name="reports.exports_sweep", base=ReportsTask)
def exports_sweep_task() -> dict[str, int]:
    return services.export_jobs_sweep()
