"""Batches of scorecards zipped for download: the approved scorecards of a round in one
area, rendered by chunk tasks (one message per ``CHUNK_SIZE`` scorecards, so several
workers share the work) and zipped by an assemble task once every chunk is recorded.

Nothing is lost when a worker dies: a chunk is recorded (``PdfBatchChunk``) only after its
PDFs are stored, and recorded once, so a chunk delivered again counts once; stored PDFs
are reused, so doing a chunk twice costs little; the ZIP is written under a temporary
name and moved into place. The sweep re-sends the chunks of a batch that stopped moving.
"""

from __future__ import annotations

import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, transaction
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.choices import AssessmentStatus, RegionLevel
from assessments.models import Assessment, Region
from common.errors import ConflictError, ValidationFailed
from reports.files import file_name_part, remove_files_older_than, written_in_place
from reports.models import PdfBatch, PdfBatchChunk, RenderedPdf
from reports.pdf.documents import LANGUAGES, DocumentUnavailable
from reports.pdf.scorecard import scorecard_document, scorecard_key
from reports.pdf.store import pdf_path, pdf_root, pdf_store
from reports.scope import Scope, area_card_filter, user_scope
from scoring.models import ScoreCard
from scoring.services.rounds import enqueue

log = logging.getLogger(__name__)

CHUNK_SIZE = 10
MAX_ACTIVE = 2  # batches queued or running, per person
MAX_AGE = timedelta(hours=24)
# A batch with no chunk finished for this long may have lost messages: they are re-sent.
RESEND_AFTER = timedelta(minutes=5)
# A batch still unfinished after this is failed (its owner may start another).
GIVE_UP_AFTER = timedelta(hours=1)
FOLDER = "batches"


class BatchUnavailable(Exception):
    """The batch can no longer be built as asked; the message is for its owner."""


def batch_path(batch: PdfBatch) -> Path:
    return pdf_root() / batch.file_name


def active_batches(owner: Any) -> QuerySet[PdfBatch]:
    """The owner's batches still queued or being built."""
    return PdfBatch.objects.filter(
        owner=owner, status__in=(PdfBatch.Status.PENDING, PdfBatch.Status.RUNNING)
    )


def recent_batches(owner: Any) -> list[PdfBatch]:
    """The owner's batches of the last day, newest first (their files are still kept)."""
    since = timezone.now() - MAX_AGE
    return list(
        PdfBatch.objects.filter(owner=owner, created_at__gte=since)
        .select_related("round", "region")
        .order_by("-pk")[:10]
    )


def batch_cards(scope: Scope, region: Region | None, *, approved_only: bool = True) -> Any:
    """Scorecards of the scope's round inside ``region`` (the scope's area for None),
    approved ones only by default, in the order the ZIP lists them."""
    cards = scope.cards().filter(**area_card_filter(region))
    if approved_only:
        cards = cards.filter(assessment__status=AssessmentStatus.APPROVED)
    return cards.order_by("city__code", "district__code", "assessment__community__code")


@transaction.atomic
def pdf_batch_create(
    *,
    owner: Any,
    scope: Scope,
    region: Region | None,
    language: str,
    approved_only: bool = True,
    chunk_size: int = CHUNK_SIZE,
) -> PdfBatch:
    """Queue a ZIP of the scorecards of the scope's round in ``region`` (the province for
    None), which must lie in the owner's ``scope``. A person has at most ``MAX_ACTIVE``
    batches queued or running at a time."""
    if scope.round is None:
        raise ValidationFailed(_("There is no round to download scorecards of."))
    if region is not None and region.level == RegionLevel.PROVINCE:
        region = None
    if region is not None and region.level not in (RegionLevel.CITY, RegionLevel.DISTRICT):
        raise ValidationFailed.at("region", _("Choose the province, a city or a district."))
    if not scope.contains(region):
        raise ValidationFailed.at("region", _("This area lies outside the results you may see."))
    if language not in LANGUAGES:
        raise ValidationFailed.at("language", _("Choose Chinese or English."))
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()  # one at a time
    if active_batches(owner).count() >= MAX_ACTIVE:
        message = ngettext(
            "You already have %(n)s batch of scorecards being prepared; wait for it to finish.",
            "You already have %(n)s batches of scorecards being prepared; wait for one to finish.",
            MAX_ACTIVE,
        )
        raise ConflictError(message % {"n": MAX_ACTIVE})
    ids = list(
        batch_cards(scope, region, approved_only=approved_only).values_list(
            "assessment_id", flat=True
        )
    )
    if not ids:
        raise ConflictError(_("There are no approved scorecards in this area and round yet."))
    with translation.override(LANGUAGES[language]):
        area = region.name if region is not None else _("Whole province")
        download = _("Scorecards-%(round)s-%(area)s.zip") % {
            "round": scope.round.name,
            "area": area,
        }
    batch = PdfBatch.objects.create(
        owner=owner,
        round=scope.round,
        region=region,
        language=language,
        approved_only=approved_only,
        assessment_ids=ids,
        chunk_size=chunk_size,
        total=len(ids),
        file_name=f"{FOLDER}/{secrets.token_hex(16)}.zip",
        download_name=download,
    )
    numbers = list(range(batch.chunks_total))
    transaction.on_commit(lambda: _send_chunks(batch.pk, numbers))
    return batch


def _send_chunks(batch_id: int, numbers: list[int]) -> None:
    from reports.tasks import pdf_batch_chunk_task

    for number in numbers:
        if not enqueue(pdf_batch_chunk_task, batch_id, number):
            return  # the broker is down: the sweep re-sends the rest


def _send_assemble(batch_id: int) -> None:
    from reports.tasks import pdf_batch_assemble_task

    enqueue(pdf_batch_assemble_task, batch_id)


def pdf_batch_resume(*, batch: PdfBatch) -> None:
    """Send the chunks of the batch not recorded yet, or its zipping when they all are
    (what a lost or killed message left undone; work already done is skipped)."""
    recorded = set(batch.chunks.values_list("number", flat=True))
    missing = [n for n in range(batch.chunks_total) if n not in recorded]
    if missing:
        _send_chunks(batch.pk, missing)
    else:
        _send_assemble(batch.pk)


def pdf_batch_chunk(*, batch_id: int, number: int) -> None:
    """Render (or reuse) the PDFs of chunk ``number`` and record the chunk once; the last
    chunk recorded sends the batch to be zipped. Database errors are raised for the task
    to retry; a batch the owner may no longer download fails with a message."""
    batch = _open(batch_id)
    if batch is None or PdfBatchChunk.objects.filter(batch=batch, number=number).exists():
        return
    ids = batch.assessment_ids[number * batch.chunk_size : (number + 1) * batch.chunk_size]
    if not ids:
        log.warning("batch %s has no chunk %s", batch_id, number)
        return
    if not _run_checked(batch, lambda: _render(batch, ids)):
        return
    with transaction.atomic():
        # Locking the batch makes the chunks' counts in turn, so the last one sees them all.
        PdfBatch.objects.select_for_update().filter(pk=batch.pk).first()
        _chunk, created = PdfBatchChunk.objects.get_or_create(batch=batch, number=number)
        if created:
            PdfBatch.objects.filter(pk=batch.pk).update(done=F("done") + len(ids))
        if PdfBatchChunk.objects.filter(batch=batch).count() >= batch.chunks_total:
            transaction.on_commit(lambda: _send_assemble(batch.pk))


def pdf_batch_assemble(*, batch_id: int) -> None:
    """Write the batch's ZIP (rendering any scorecard whose stored PDF is missing or out of
    date) and mark the batch done. Doing it twice gives the same file."""
    batch = _open(batch_id)
    if batch is None:
        return
    _run_checked(batch, lambda: _assemble(batch))


def _open(batch_id: int) -> PdfBatch | None:
    """The batch, marked running, or None when it is gone or has ended."""
    batch = PdfBatch.objects.select_related("owner", "round", "region").filter(pk=batch_id).first()
    if batch is None:
        log.warning("scorecard batch %s no longer exists", batch_id)
        return None
    if batch.status == PdfBatch.Status.FAILED:
        return None
    if batch.status == PdfBatch.Status.DONE and batch_path(batch).is_file():
        return None
    if batch.status == PdfBatch.Status.PENDING:
        PdfBatch.objects.filter(pk=batch.pk, status=PdfBatch.Status.PENDING).update(
            status=PdfBatch.Status.RUNNING
        )
    return batch


def _run_checked(batch: PdfBatch, work: Any) -> bool:
    """Run ``work`` after checking the owner may still see the batch's area; on a refusal
    or an unexpected error, fail the batch with a message for its owner."""
    with translation.override(LANGUAGES.get(batch.language, "zh-hans")):
        try:
            _check_owner_scope(batch)
            work()
        except (DatabaseError, InterfaceError):
            raise
        except (PermissionDenied, Http404):
            _fail(batch, _("You may no longer see these results."))
            return False
        except BatchUnavailable as exc:
            _fail(batch, str(exc))
            return False
        except Exception:
            log.exception("scorecard batch %s failed", batch.pk)
            _fail(batch, _("The scorecards could not be prepared. Please try again."))
            return False
    return True


def _check_owner_scope(batch: PdfBatch) -> None:
    """Raise when the owner may no longer see the batch's round or area."""
    scope = user_scope(batch.owner, batch.round_id)
    if scope.round is None or scope.round.pk != batch.round_id:
        raise BatchUnavailable(_("The results of this round are no longer available to you."))
    if not scope.contains(batch.region):
        raise PermissionDenied


def _render(batch: PdfBatch, ids: list[int]) -> None:
    for assessment_id in ids:
        try:
            pdf_store(scorecard_document(assessment_id=assessment_id, language=batch.language))
        except DocumentUnavailable:
            log.warning("batch %s: assessment %s has no scorecard", batch.pk, assessment_id)


def _assemble(batch: PdfBatch) -> None:
    entries = _entries(batch)
    # PDFs are compressed already: stored, not deflated.
    with (
        written_in_place(batch_path(batch)) as part,
        zipfile.ZipFile(part, "w", compression=zipfile.ZIP_STORED) as archive,
    ):
        for name, file in entries:
            archive.write(file, arcname=name)
    PdfBatch.objects.filter(pk=batch.pk).update(
        status=PdfBatch.Status.DONE, done=batch.total, error="", finished_at=timezone.now()
    )


def _entries(batch: PdfBatch) -> list[tuple[str, Path]]:
    """(name in the archive, stored file) of each scorecard, in the batch's order: named
    "<district>/<community>-<code>.pdf", unique. Scorecards gone since the batch was
    queued are left out."""
    assessments = Assessment.objects.select_related(
        "community__city", "community__district", "scorecard"
    ).in_bulk(batch.assessment_ids)
    keys = [scorecard_key(pk, batch.language) for pk in batch.assessment_ids]
    stored = {pdf.key: pdf for pdf in RenderedPdf.objects.filter(key__in=keys)}
    entries: list[tuple[str, Path]] = []
    used: set[str] = set()
    for pk in batch.assessment_ids:
        assessment = assessments.get(pk)
        card = getattr(assessment, "scorecard", None) if assessment else None
        if assessment is None or card is None:
            continue
        found = stored.get(scorecard_key(pk, batch.language))
        if found is None or _out_of_date(found, assessment, card):
            try:
                found = pdf_store(scorecard_document(assessment_id=pk, language=batch.language))
            except DocumentUnavailable:
                continue
        entries.append((_unique(_entry_name(assessment), used), pdf_path(found)))
    return entries


def _out_of_date(stored: RenderedPdf, assessment: Assessment, card: ScoreCard) -> bool:
    """Whether the stored PDF may no longer show the scorecard: its file is missing, or the
    assessment or its scores changed after it was rendered (a cheap test that spares
    building every document again; the chunks rendered them moments ago)."""
    if not pdf_path(stored).is_file():
        return True
    return stored.rendered_at < max(assessment.updated_at, card.computed_at)


def _entry_name(assessment: Assessment) -> str:
    community = assessment.community
    area = community.district or community.city
    folder = file_name_part(area.name) if area is not None else "-"
    return f"{folder}/{file_name_part(community.name)}-{file_name_part(community.code)}.pdf"


def _unique(name: str, used: set[str]) -> str:
    stem, _dot, suffix = name.rpartition(".")
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}.{suffix}"
    used.add(candidate)
    return candidate


def _fail(batch: PdfBatch, message: str) -> None:
    PdfBatch.objects.filter(pk=batch.pk).exclude(status=PdfBatch.Status.DONE).update(
        status=PdfBatch.Status.FAILED, error=message, finished_at=timezone.now()
    )


def pdf_batches_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Remove batches and files older than a day; fail batches unfinished after an hour;
    re-send the missing chunks (or the zipping) of batches that stopped moving."""
    now = now or timezone.now()
    cutoff = now - MAX_AGE
    expired = list(PdfBatch.objects.filter(created_at__lt=cutoff))
    for batch in expired:
        if batch.file_name:
            batch_path(batch).unlink(missing_ok=True)
    PdfBatch.objects.filter(pk__in=[batch.pk for batch in expired]).delete()
    leftovers = remove_files_older_than(pdf_root() / FOLDER, cutoff)  # ZIPs and parts
    unfinished = PdfBatch.objects.filter(
        status__in=(PdfBatch.Status.PENDING, PdfBatch.Status.RUNNING)
    )
    given_up = list(unfinished.filter(created_at__lt=now - GIVE_UP_AFTER))
    for batch in given_up:
        with translation.override(LANGUAGES.get(batch.language, "zh-hans")):
            _fail(batch, _("Preparing the scorecards took too long. Please try again."))
    stuck = list(
        unfinished.exclude(pk__in=[batch.pk for batch in given_up])
        .annotate(moved=Coalesce(Max("chunks__finished_at"), "created_at"))
        .filter(moved__lt=now - RESEND_AFTER)
    )
    for batch in stuck:
        pdf_batch_resume(batch=batch)
    return {
        "expired": len(expired),
        "leftover_files": leftovers,
        "failed": len(given_up),
        "resent": len(stuck),
    }
