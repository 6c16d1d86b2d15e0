"""Celery entry points of the assessments app."""

from __future__ import annotations

from celery import shared_task

from assessments import services


@shared_task(name="assessments.evidence_orphans_sweep")
def evidence_orphans_sweep_task() -> int:
    return len(services.evidence_orphans_sweep())
