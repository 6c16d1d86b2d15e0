"""Evidence (佐证材料): files kept privately and links, attached to items."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.errors import EvidenceError
from assessments.models import Assessment, Evidence
from assessments.services._base import bump, lock_editable, lock_editable_many
from common.errors import Problem
from indicators.specs import framework_catalog

log = logging.getLogger(__name__)

ALLOWED_EVIDENCE_SUFFIXES = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".txt",
)
LINK_SCHEMES = ("https://", "http://")


def _item_id(assessment: Assessment, item_code: str) -> int:
    item_id = framework_catalog(assessment.round.framework).item_ids.get(item_code)
    if item_id is None:
        raise EvidenceError(_("Unknown item %(item)s.") % {"item": item_code})
    return item_id


def _check_link(url: str) -> None:
    if not url.startswith(LINK_SCHEMES) or len(url) > 500:
        raise EvidenceError(
            Problem(
                _("A link must start with http:// or https:// (at most 500 characters)."), "url"
            )
        )


@transaction.atomic
def evidence_add_link(
    *, actor: Any, assessment: Assessment, item_code: str, url: str, description: str = ""
) -> Evidence:
    locked = lock_editable(actor, assessment, None)
    url = url.strip()
    _check_link(url)
    evidence = Evidence.objects.create(
        assessment=locked,
        item_id=_item_id(locked, item_code),
        url=url,
        description=description.strip()[:300],
        uploaded_by=actor,
    )
    bump([locked])
    return evidence


@transaction.atomic
def evidence_add_file(
    *,
    actor: Any,
    assessment: Assessment,
    item_code: str,
    upload: UploadedFile,
    description: str = "",
) -> Evidence:
    """Store an uploaded file privately with its SHA-256; the size is capped before reading.

    A failure after the file was written removes it again; a file left by a transaction
    rolled back further out is removed by ``evidence_orphans_sweep``.
    """
    locked = lock_editable(actor, assessment, None)
    item_id = _item_id(locked, item_code)
    name = Path((upload.name or "").replace("\\", "/")).name[:200]
    if not name.lower().endswith(ALLOWED_EVIDENCE_SUFFIXES):
        raise EvidenceError(
            _("Files of this type cannot be attached; use one of: %(types)s.")
            % {"types": " ".join(ALLOWED_EVIDENCE_SUFFIXES)}
        )
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        raise EvidenceError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}
        )
    if upload.size == 0:
        raise EvidenceError(_("The file is empty."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        assessment=locked,
        item_id=item_id,
        original_name=name,
        description=description.strip()[:300],
        sha256=digest.hexdigest(),
        size=upload.size,
        content_type=(upload.content_type or "application/octet-stream")[:100],
        uploaded_by=actor,
    )
    evidence.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            evidence.save()
            bump([locked])
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)  # no file without its row
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    """Remove evidence while its assessment is editable; the file goes after the commit."""
    locked = lock_editable(actor, evidence.assessment, None)
    stored = evidence.file.name
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))
    bump([locked])


@dataclass(frozen=True)
class EvidenceLink:
    item_code: str
    url: str
    description: str = ""


@transaction.atomic
def evidence_links_import(
    *,
    actor: Any,
    links: Mapping[int, Sequence[EvidenceLink]],
    labels: Mapping[int, str] | None = None,
) -> int:
    """Attach links to many assessments (by id) at once, all or nothing, with one check
    and one version step each (imports, demo data). Returns the number of links added."""
    labels = labels or {}
    locked = lock_editable_many(actor, links, labels)
    problems: list[Problem] = []
    rows: list[Evidence] = []
    for pk, entries in links.items():
        label = labels.get(pk, str(pk))
        assessment = locked[pk]
        item_ids = framework_catalog(assessment.round.framework).item_ids
        for link in entries:
            if link.item_code not in item_ids:
                problems.append(
                    Problem(
                        _("%(label)s: unknown item %(item)s.")
                        % {"label": label, "item": link.item_code}
                    )
                )
            elif not link.url.startswith(LINK_SCHEMES) or len(link.url) > 500:
                problems.append(
                    Problem(
                        _("%(label)s: a link must start with http:// or https://: %(url)s")
                        % {"label": label, "url": link.url[:100]}
                    )
                )
            else:
                rows.append(
                    Evidence(
                        assessment=assessment,
                        item_id=item_ids[link.item_code],
                        url=link.url,
                        description=link.description[:300],
                        uploaded_by=actor,
                    )
                )
    if problems:
        raise EvidenceError(*problems)
    Evidence.objects.bulk_create(rows, batch_size=2_000)
    bump(locked[pk] for pk in links if links[pk])
    return len(rows)


def evidence_orphans_sweep(*, older_than: timedelta = timedelta(hours=1)) -> list[str]:
    """Delete stored evidence files that no row refers to (left by a transaction that rolled
    back after the file was written), once they are older than ``older_than``. Returns the
    names deleted."""
    root = Path(settings.UPLOAD_ROOT) / "evidence"
    if not root.is_dir():
        return []
    cutoff = (timezone.now() - older_than).timestamp()
    deleted = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        names = {
            f"evidence/{folder.name}/{path.name}"
            for path in folder.iterdir()
            if path.is_file() and path.stat().st_mtime < cutoff
        }
        if not names:
            continue
        known = set(Evidence.objects.filter(file__in=names).values_list("file", flat=True))
        for name in sorted(names - known):
            default_storage.delete(name)
            deleted.append(name)
    if deleted:
        log.warning("removed %d evidence files without a row: %s", len(deleted), deleted[:20])
    return deleted
