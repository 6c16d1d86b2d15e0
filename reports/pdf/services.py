"""Rendering on request: a PDF is rendered by a task and stored; views serve the stored
file once it is there (at once when tasks run in process)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from reports.models import RenderedPdf
from reports.pdf.documents import PdfDocument, build
from reports.pdf.store import current_pdf, pdf_store
from scoring.services.rounds import enqueue

log = logging.getLogger(__name__)


def pdf_render(*, kind: str, params: dict[str, Any]) -> RenderedPdf | None:
    """Build the document of ``kind`` from ``params`` and store its PDF (nothing when it
    is stored already). A document whose subject is gone since it was asked for is
    skipped."""
    try:
        document = build(kind, params)
    except (ObjectDoesNotExist, Http404):
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
