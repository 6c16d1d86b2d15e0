"""Export jobs: an export too large to answer at once becomes a job, written by a task in
its owner's scope into the private ``EXPORT_ROOT``; jobs and files go a day later.

Running a job twice gives the same file: it is written under a temporary name and moved
onto the job's file name, and a finished job whose file exists is left alone.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.errors import ConflictError
from common.params import int_param
from reports.exports.tables import ExportTable
from reports.exports.writers import export_file
from reports.files import remove_files_older_than, written_in_place
from reports.models import ExportJob
from reports.scope import Scope, user_scope
from reports.selectors.ranking import ranking_filters
from scoring.services.rounds import enqueue

log = logging.getLogger(__name__)

CHUNK_ROWS = 500
MAX_AGE = timedelta(hours=24)
# A queued job whose message may have been lost is sent again after this.
RESEND_AFTER = timedelta(minutes=5)
# Longer than the task time limit: a job still running after this lost its worker.
INTERRUPTED_AFTER = timedelta(minutes=30)


class ExportUnavailable(Exception):
    """The job can no longer be written as asked; the message is for its owner."""


def export_root() -> Path:
    return Path(settings.EXPORT_ROOT)


def export_path(job: ExportJob) -> Path:
    return export_root() / job.file_name


def active_jobs(owner: Any) -> QuerySet[ExportJob]:
    """The owner's exports still queued or being written."""
    return ExportJob.objects.filter(
        owner=owner, status__in=(ExportJob.Status.PENDING, ExportJob.Status.RUNNING)
    )


def recent_jobs(owner: Any) -> list[ExportJob]:
    """The owner's exports of the last day, newest first (their files are still kept)."""
    since = timezone.now() - MAX_AGE
    return list(ExportJob.objects.filter(owner=owner, created_at__gte=since).order_by("-pk")[:10])


@transaction.atomic
def export_job_create(
    *, owner: Any, kind: str, fmt: str, params: dict[str, str], download_name: str
) -> ExportJob:
    """Queue an export of ``kind`` in format ``fmt``; ``params`` name the round, the
    filters and the language, as the export's query does. A person has at most
    ``EXPORT_MAX_ACTIVE`` exports queued or running at a time."""
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()  # one at a time
    limit = settings.EXPORT_MAX_ACTIVE
    if active_jobs(owner).count() >= limit:
        message = ngettext(
            "You already have %(n)s export being prepared; wait for it to finish.",
            "You already have %(n)s exports being prepared; wait for one to finish.",
            limit,
        )
        raise ConflictError(message % {"n": limit})
    job = ExportJob.objects.create(
        owner=owner,
        kind=kind,
        format=fmt,
        params=params,
        download_name=download_name,
        file_name=f"{secrets.token_hex(16)}.{fmt}",
    )
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from reports.tasks import export_run_task

    enqueue(export_run_task, job_id)


def export_job_run(*, job_id: int) -> None:
    """Write the job's file chunk by chunk, recording progress as it goes (so this is not
    one transaction: the status page reads the progress while it runs). A job that can no
    longer be written (the owner may no longer see results, the round is gone) fails with
    a message for the owner; database errors are raised for the task to retry."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None:
        log.warning("export job %s no longer exists", job_id)
        return
    path = export_path(job)
    if job.status == ExportJob.Status.DONE and path.exists():
        return
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            _write(job, path)
        except (DatabaseError, InterfaceError):
            raise
        except PermissionDenied:
            _fail(job, _("You may no longer see these results."))
        except ExportUnavailable as exc:
            _fail(job, str(exc))
        except Exception:
            log.exception("export job %s failed", job_id)
            _fail(job, _("The export failed. Please try again."))


def _write(job: ExportJob, path: Path) -> None:
    jobs = ExportJob.objects.filter(pk=job.pk)
    jobs.update(status=ExportJob.Status.RUNNING, done=0, error="", finished_at=None)
    scope = _owner_scope(job)
    filters, _regions = ranking_filters(scope, job.params)
    table = ExportTable(kind=job.kind, scope=scope, filters=filters)
    ids = table.card_ids()
    jobs.update(total=len(ids))
    with written_in_place(path) as part:
        export_file(part, table, job.format, _chunks(jobs, table, ids))
    jobs.update(status=ExportJob.Status.DONE, done=len(ids), finished_at=timezone.now())


def _chunks(
    jobs: QuerySet[ExportJob], table: ExportTable, ids: list[int]
) -> Iterator[list[list[Any]]]:
    for start in range(0, len(ids), CHUNK_ROWS):
        yield table.rows(ids[start : start + CHUNK_ROWS])
        jobs.update(done=min(start + CHUNK_ROWS, len(ids)))


def _owner_scope(job: ExportJob) -> Scope:
    """The owner's scope now, in the job's round (raises PermissionDenied when the owner
    may no longer see results)."""
    round_id = str(job.params.get("round") or "")
    scope = user_scope(job.owner, int_param(round_id))
    if scope.round is None or str(scope.round.pk) != round_id:
        raise ExportUnavailable(_("The results of this round are no longer available to you."))
    return scope


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def export_jobs_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Remove jobs and files older than a day; fail jobs whose worker was lost; send again
    queued jobs whose message may have been lost."""
    now = now or timezone.now()
    cutoff = now - MAX_AGE
    expired = list(ExportJob.objects.filter(created_at__lt=cutoff))
    for job in expired:
        export_path(job).unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    # files no job accounts for any more (a job's file is younger than the job)
    leftovers = remove_files_older_than(export_root(), cutoff)
    interrupted = list(
        ExportJob.objects.filter(
            status=ExportJob.Status.RUNNING, created_at__lt=now - INTERRUPTED_AFTER
        )
    )
    for job in interrupted:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            _fail(job, _("The export was interrupted. Please try again."))
    queued = list(
        ExportJob.objects.filter(
            status=ExportJob.Status.PENDING, created_at__lt=now - RESEND_AFTER
        ).values_list("pk", flat=True)
    )
    for job_id in queued:
        _send(job_id)
    return {
        "expired": len(expired),
        "leftover_files": leftovers,
        "interrupted": len(interrupted),
        "resent": len(queued),
    }
