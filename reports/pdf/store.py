"""Stored PDFs: one file per document key, reused while the document's HTML is unchanged.

Files are named by the hash of their bytes, written under a temporary name and moved into
place, so a reader never sees half a file and two workers rendering the same document at
once write the same file. Replacing a document's PDF removes the old file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from reports.files import written_in_place
from reports.models import RenderedPdf
from reports.pdf.documents import PdfDocument
from reports.pdf.render import html_to_pdf

log = logging.getLogger(__name__)


def pdf_root() -> Path:
    return Path(settings.PDF_ROOT)


def pdf_path(stored: RenderedPdf) -> Path:
    return pdf_root() / stored.file_name


def current_pdf(document: PdfDocument) -> RenderedPdf | None:
    """The stored PDF of the document as it is now, or None when it must be rendered."""
    stored = RenderedPdf.objects.filter(key=document.key, fingerprint=document.fingerprint).first()
    if stored is None or not pdf_path(stored).is_file():
        return None
    return stored


def pdf_store(document: PdfDocument) -> RenderedPdf:
    """The document's PDF: the stored one when current, else rendered now and stored."""
    found = current_pdf(document)
    if found is not None:
        return found
    rendered = html_to_pdf(document.html)
    digest = _sha256(rendered.data)
    name = f"{document.kind}/{digest[:2]}/{digest}.pdf"
    with written_in_place(pdf_root() / name) as part:
        part.write_bytes(rendered.data)
    values = {
        "kind": document.kind,
        "assessment_id": document.assessment_id,
        "language": document.language,
        "fingerprint": document.fingerprint,
        "file_name": name,
        "sha256": digest,
        "size": len(rendered.data),
        "pages": rendered.pages,
        "seconds": round(rendered.seconds, 3),
        "rendered_at": timezone.now(),
    }
    stored, replaced = _save(document.key, values)
    if replaced and replaced != name:
        _remove_unless_used(replaced)
    log.info("rendered %s: %s pages in %.2f s", document.key, rendered.pages, rendered.seconds)
    return stored


def _save(key: str, values: Mapping[str, object]) -> tuple[RenderedPdf, str | None]:
    """Create or replace the row of ``key``; the file name it replaced, if any."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                old = RenderedPdf.objects.select_for_update().filter(key=key).first()
                if old is None:
                    return RenderedPdf.objects.create(key=key, **values), None
                replaced = old.file_name
                for field, value in values.items():
                    setattr(old, field, value)
                old.save()
                return old, replaced
        except IntegrityError:  # another worker created the row first: replace theirs
            continue
    raise RuntimeError(f"could not store the PDF of {key}")


def _remove_unless_used(*file_names: str) -> None:
    """Remove the named files that no stored document refers to (identical documents
    share a file, named by its content)."""
    in_use = set(
        RenderedPdf.objects.filter(file_name__in=file_names).values_list("file_name", flat=True)
    )
    for name in set(file_names) - in_use:
        (pdf_root() / name).unlink(missing_ok=True)


def stored_pdfs_delete(stored: QuerySet[RenderedPdf]) -> None:
    """Forget these stored documents now and remove their files once the change commits
    (unless another document still uses one)."""
    names = list(stored.values_list("file_name", flat=True))
    stored.delete()
    if names:
        transaction.on_commit(lambda: _remove_unless_used(*names))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_pdfs_sweep(*, older_than: datetime) -> int:
    """Remove PDF files no stored document refers to (left by a worker that died between
    writing a file and recording it), if older than ``older_than``."""
    root = pdf_root()
    if not root.is_dir():
        return 0
    known = set(RenderedPdf.objects.values_list("file_name", flat=True))
    removed = 0
    for path in root.glob("*/*/*.pdf"):
        name = path.relative_to(root).as_posix()
        if name not in known and path.stat().st_mtime < older_than.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
