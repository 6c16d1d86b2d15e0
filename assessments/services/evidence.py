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
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import EventKind
from assessments.errors import EvidenceError
from assessments.files import delete_files
from assessments.models import Assessment, Evidence
from assessments.services._base import (
    Change,
    bump,
    check_open_indicators,
    lock_editable,
    lock_editable_many,
)
from assessments.uploads import check_upload
from common.errors import Problem
from indicators.specs import framework_catalog

log = logging.getLogger(__name__)

LINK_SCHEMES = ("https://", "http://")


def _item_id(assessment: Assessment, item_code: str) -> int:
    catalog = framework_catalog(assessment.round.framework)
    item_id = catalog.item_ids.get(item_code)
    if item_id is None:
        raise EvidenceError(Problem(_("Unknown item %(item)s.") % {"item": item_code}, "item"))
    check_open_indicators(assessment, [catalog.indicator_of_item[item_code]])
    return item_id


def _check_link(url: str) -> None:
    if not url.startswith(LINK_SCHEMES) or len(url) > 500:
        raise EvidenceError(
            Problem(
                _("A link must start with http:// or https:// (at most 500 characters)."), "url"
            )
        )


def evidence_record(evidence: Evidence) -> dict[str, Any]:
    """What the history keeps of a piece of evidence."""
    record: dict[str, Any] = {"id": evidence.pk}
    if evidence.url:
        record["url"] = evidence.url
    else:
        record.update(
            name=evidence.original_name,
            sha256=evidence.sha256,
            size=evidence.size,
            type=evidence.content_type,
        )
    if evidence.description:
        record["description"] = evidence.description
    return record


def _added(assessment: Assessment, item_code: str, evidence: Evidence) -> Change:
    return Change(assessment, EventKind.EVIDENCE_ADDED, item_code, None, evidence_record(evidence))


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
    bump([locked], actor=actor, changes=[_added(locked, item_code, evidence)])
    return evidence


def _refuse_duplicate(assessment: Assessment, item_id: int, item_code: str, sha256: str) -> None:
    """The same file twice on one item is a slip (a second click, a re-sent form)."""
    same = (
        Evidence.objects.filter(assessment=assessment, item_id=item_id, sha256=sha256)
        .values_list("original_name", flat=True)
        .first()
    )
    if same is not None:
        raise EvidenceError(
            Problem(
                _("This file is already attached to %(item)s as “%(name)s”.")
                % {"item": item_code, "name": same},
                "file",
            )
        )


@transaction.atomic
def evidence_add_file(
    *,
    actor: Any,
    assessment: Assessment,
    item_code: str,
    upload: UploadedFile,
    description: str = "",
) -> Evidence:
    """Store an uploaded file privately under a generated name, with its SHA-256 and, for
    images, a thumbnail. Its type is recognised from its content (uploads.check_upload).

    A failure after a file was written removes it again; a file left by a transaction
    rolled back further out is removed by ``evidence_orphans_sweep``.
    """
    locked = lock_editable(actor, assessment, None)
    item_id = _item_id(locked, item_code)
    checked = check_upload(upload)
    name = Path((upload.name or "").replace("\\", "/")).name[:200] or _("file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    _refuse_duplicate(locked, item_id, item_code, digest.hexdigest())
    evidence = Evidence(
        assessment=locked,
        item_id=item_id,
        original_name=name,
        description=description.strip()[:300],
        sha256=digest.hexdigest(),
        size=upload.size,
        content_type=checked.content_type,
        uploaded_by=actor,
    )
    written: list[str] = []
    try:
        evidence.file.save(f"upload{checked.suffix}", upload, save=False)
        written.append(evidence.file.name)
        if checked.thumbnail is not None:
            evidence.thumbnail.save("thumbnail.jpg", ContentFile(checked.thumbnail), save=False)
            written.append(evidence.thumbnail.name)
        with transaction.atomic():
            evidence.save()
            bump([locked], actor=actor, changes=[_added(locked, item_code, evidence)])
    except BaseException:
        delete_files(written)  # no file without its row
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Any, evidence: Evidence) -> None:
    """Remove evidence while its assessment is editable; recorded in the history, the
    files go after the commit."""
    locked = lock_editable(actor, evidence.assessment, None)
    catalog = framework_catalog(locked.round.framework)
    item_code = catalog.item_codes[evidence.item_id]
    check_open_indicators(locked, [catalog.indicator_of_item[item_code]])
    stored = [name for name in (evidence.file.name, evidence.thumbnail.name) if name]
    record = evidence_record(evidence)
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: delete_files(stored))
    bump(
        [locked],
        actor=actor,
        changes=[Change(locked, EventKind.EVIDENCE_REMOVED, item_code, record, None)],
    )


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
        catalog = framework_catalog(assessment.round.framework)
        item_ids = catalog.item_ids
        check_open_indicators(
            assessment,
            {catalog.indicator_of_item[e.item_code] for e in entries if e.item_code in item_ids},
        )
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
    created = Evidence.objects.bulk_create(rows, batch_size=2_000)
    changes = [
        Change(
            evidence.assessment,
            EventKind.EVIDENCE_ADDED,
            framework_catalog(evidence.assessment.round.framework).item_codes[evidence.item_id],
            None,
            evidence_record(evidence),
        )
        for evidence in created
    ]
    bump((locked[pk] for pk in links if links[pk]), actor=actor, changes=changes)
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
