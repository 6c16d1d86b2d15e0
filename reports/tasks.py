"""Celery entry points of the reports: each takes ids, calls one service, owns retries.

All are idempotent and acknowledged late, so a task whose worker dies is delivered again
rather than lost.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from common.tasks import ReliableTask
from reports.exports import services
from reports.pdf import batches
from reports.pdf import services as pdf_services


@shared_task(name="reports.export_run", base=ReliableTask)
def export_run_task(job_id: int) -> None:
    services.export_job_run(job_id=job_id)


@shared_task(name="reports.exports_sweep", base=ReliableTask)
def exports_sweep_task() -> dict[str, int]:
    return services.export_jobs_sweep()


@shared_task(name="reports.render_pdf", base=ReliableTask)
def render_pdf_task(kind: str, params: dict[str, Any]) -> None:
    pdf_services.pdf_render(kind=kind, params=params)


@shared_task(name="reports.pdfs_sweep", base=ReliableTask)
def pdfs_sweep_task() -> int:
    return pdf_services.pdfs_sweep()


@shared_task(name="reports.pdf_batch_chunk", base=ReliableTask)
def pdf_batch_chunk_task(batch_id: int, number: int) -> None:
    batches.pdf_batch_chunk(batch_id=batch_id, number=number)


@shared_task(name="reports.pdf_batch_assemble", base=ReliableTask)
def pdf_batch_assemble_task(batch_id: int) -> None:
    batches.pdf_batch_assemble(batch_id=batch_id)


@shared_task(name="reports.pdf_batches_sweep", base=ReliableTask)
def pdf_batches_sweep_task() -> dict[str, int]:
    return batches.pdf_batches_sweep()
