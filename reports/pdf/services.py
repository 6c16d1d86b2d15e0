"""Rendering on request: a PDF is rendered by a task and stored; views serve the stored
file once it is there (at once when tasks run in process)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from reports.models import IssuedCode, PdfBatch, PublicNotice, RenderedPdf
from reports.pdf.documents import DocumentUnavailable, PdfDocument, build
from reports.pdf.store import current_pdf, pdf_store, stored_pdfs_delete, stored_pdfs_sweep
from scoring.services.rounds import enqueue

log = logging.getLogger(__name__)


def pdf_render(*, kind: str, params: dict[str, Any]) -> RenderedPdf | None:
    """Build the document of ``kind`` from ``params`` and store its PDF (nothing when it
    is stored already). A document whose subject is gone since it was asked for is
    skipped."""
    try:
        document = build(kind, params)
    except (ObjectDoesNotExist, Http404, DocumentUnavailable):
        log.warning("PDF %s %s no longer exists", kind, params)
        return None
    return pdf_store(document)


def pdf_request(document: PdfDocument) -> RenderedPdf | None:
    """The document's stored PDF, or None after asking a task to render it (when tasks
    run in process, it is rendered before this returns)."""
    stored = current_pdf(document)
    if stored is not None:
        return stored
    from reports.tasks import render_pdf_task

    enqueue(render_pdf_task, document.kind, document.params)
    return current_pdf(document)


def pdfs_sweep() -> int:
    """Remove stored PDF files nothing refers to any more (their document was replaced
    while a worker died, or its assessment was deleted), an hour after they were written."""
    return stored_pdfs_sweep(older_than=timezone.now() - timedelta(hours=1))


def round_documents_delete(*, round_id: int) -> None:
    """Remove what the reports keep of a round that is being deleted (rows in the same
    transaction, files once it commits): its stored scorecards, summaries and notices,
    the verification codes of its scorecards, its batches and its notices."""
    from reports.pdf.batches import batch_path
    from reports.pdf.notice import notice_keys

    notices = PublicNotice.objects.filter(round_id=round_id)
    notice_files = [key for pk in notices.values_list("pk", flat=True) for key in notice_keys(pk)]
    stored = RenderedPdf.objects.filter(
        Q(assessment__round_id=round_id)
        | Q(key__startswith=f"summary:{round_id}:")
        | Q(key__in=notice_files)
    )
    batches = PdfBatch.objects.filter(round_id=round_id)
    zips = [batch_path(batch) for batch in batches if batch.file_name]
    stored_pdfs_delete(stored)
    IssuedCode.objects.filter(assessment__round_id=round_id).delete()
    batches.delete()
    notices.delete()

    def remove_zips() -> None:
        for path in zips:
            path.unlink(missing_ok=True)

    transaction.on_commit(remove_zips)
