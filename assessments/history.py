"""The history of an assessment in words, and diffs between two submissions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from assessments.choices import AssessmentStatus, EventKind, ItemReviewStatus
from assessments.display import answer_text
from assessments.models import Assessment, AssessmentEvent, Submission
from indicators.specs import FrameworkCatalog, framework_catalog


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    kind: str
    what: str  # item or indicator, with its name
    before: str
    after: str
    comment: str
    anchor: str  # the indicator section of the page


def _evidence_text(record: Mapping[str, Any] | None) -> str:
    if not record:
        return ""
    return str(record.get("name") or record.get("url") or "")


def _status_text(value: Any) -> str:
    status = (value or {}).get("status", "")
    return str(AssessmentStatus(status).label) if status in AssessmentStatus.values else status


def _review_text(value: Any) -> str:
    status = (value or {}).get("status", "")
    return str(ItemReviewStatus(status).label) if status in ItemReviewStatus.values else ""


def describe(event: AssessmentEvent, catalog: FrameworkCatalog) -> HistoryEntry:
    item = catalog.items.get(event.target)
    if item is not None:
        what = f"{item.code} {item.name}"
        anchor = catalog.indicator_of_item.get(item.code, "")
    elif event.target in catalog.indicator_ids:
        indicator = next(
            ind
            for primary in catalog.primaries
            for ind in primary.indicators.all()
            if ind.code == event.target
        )
        what, anchor = f"{indicator.code} {indicator.name}", indicator.code
    else:
        what, anchor = "", ""
    # An empty side means nothing was there: the page shows an addition or a removal.
    if event.kind == EventKind.ANSWER and item is not None:
        before = answer_text(item, event.old, _is_na(event.old)) if event.old is not None else ""
        after = answer_text(item, event.new, _is_na(event.new)) if event.new is not None else ""
    elif event.kind == EventKind.NOTE:
        before, after = event.old or "", event.new or ""
    elif event.kind in (EventKind.EVIDENCE_ADDED, EventKind.EVIDENCE_REMOVED):
        before, after = _evidence_text(event.old), _evidence_text(event.new)
    elif event.kind == EventKind.STATUS:
        before, after = _status_text(event.old), _status_text(event.new)
    elif event.kind == EventKind.ITEM_REVIEW:
        before, after = _review_text(event.old), _review_text(event.new)
    else:
        before, after = _plain(event.old), _plain(event.new)
    actor = event.actor.display_name if event.actor else _("(deleted user)")
    return HistoryEntry(
        at=event.at,
        actor=actor,
        kind=str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind,
        what=what,
        before=str(before),
        after=str(after),
        comment=event.comment,
        anchor=anchor,
    )


def _is_na(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("na") is True and len(value) == 1


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    return "" if value is None else str(value)


def history_entries(
    assessment: Assessment, events: Iterable[AssessmentEvent]
) -> list[HistoryEntry]:
    catalog = framework_catalog(assessment.round.framework)
    return [describe(event, catalog) for event in events]


@dataclass(frozen=True)
class DiffRow:
    kind: str  # answer, note, evidence
    code: str  # item or indicator
    name: str
    before: str
    after: str
    anchor: str


def submission_diff(
    older: Submission | None, newer: Submission, catalog: FrameworkCatalog
) -> list[DiffRow]:
    """What changed from one submission to the next: every answer, note and evidence file
    or link, in framework order. Against no earlier submission everything is new."""
    old_answers = older.answers if older else {}
    old_notes = older.notes if older else {}
    rows: list[DiffRow] = []
    for code, item in catalog.items.items():
        before, after = old_answers.get(code), newer.answers.get(code)
        if before != after:
            rows.append(
                DiffRow(
                    _("answer"),
                    code,
                    item.name,
                    answer_text(item, before, _is_na(before)) if before is not None else "–",
                    answer_text(item, after, _is_na(after)) if after is not None else "–",
                    catalog.indicator_of_item[code],
                )
            )
        rows.extend(_evidence_rows(older, newer, code, item.name, catalog))
    for primary in catalog.primaries:
        for indicator in primary.indicators.all():
            before, after = old_notes.get(indicator.code, ""), newer.notes.get(indicator.code, "")
            if before != after:
                rows.append(
                    DiffRow(
                        _("note"),
                        indicator.code,
                        indicator.name,
                        before or "–",
                        after or "–",
                        indicator.code,
                    )
                )
    return rows


def _evidence_rows(
    older: Submission | None, newer: Submission, code: str, name: str, catalog: FrameworkCatalog
) -> list[DiffRow]:
    def keyed(snapshot: Submission | None) -> dict[str, Mapping[str, Any]]:
        return {
            str(e.get("sha256") or e.get("url")): e
            for e in (snapshot.evidence if snapshot else [])
            if e.get("item") == code
        }

    before, after = keyed(older), keyed(newer)
    anchor = catalog.indicator_of_item[code]
    return [
        *(
            DiffRow(_("evidence"), code, name, "–", _evidence_text(after[key]), anchor)
            for key in sorted(set(after) - set(before))
        ),
        *(
            DiffRow(_("evidence"), code, name, _evidence_text(before[key]), "–", anchor)
            for key in sorted(set(before) - set(after))
        ),
    ]
