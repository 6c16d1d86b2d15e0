"""Saving answers and indicator notes: for one assessment (forms, API) or many at once
(imports, demo data), validated by the scoring engine, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.answer_messages import describe_answer_error
from assessments.answers import CLEAR, engine_answer, merge_answers, stored_answer
from assessments.choices import EventKind
from assessments.errors import (
    InvalidAnswersError,
    ValidationFailed,
    WorkflowError,
    answer_path,
)
from assessments.models import Answer, Assessment, IndicatorNote
from assessments.services._base import (
    Change,
    Scope,
    bump,
    check_open_indicators,
    closed_indicators_problem,
    lock_changeable,
    lock_editable,
)
from common.errors import ConflictError, DomainError, NotAllowedError, Problem
from indicators.specs import FrameworkCatalog, framework_catalog
from scoring.engine import AnswerError, ErrorCode, answer_error, validate_answer, validate_answers

NOTE_MAX_LENGTH = 2_000


def current_engine_answers(assessment: Assessment) -> dict[str, Any]:
    """The stored answers keyed by item code, as the scoring engine reads them."""
    return {
        code: engine_answer(value, na)
        for code, value, na in assessment.answers.values_list(
            "item__code", "value", "not_applicable"
        )
    }


def _answer_errors(
    catalog: FrameworkCatalog, stored: Mapping[str, Any], values: Mapping[str, Any]
) -> list[AnswerError]:
    """Problems of the changed answers, then of the answers they make together (an
    indicator must keep an applicable item)."""
    errors: list[AnswerError] = []
    for code, value in values.items():
        item = catalog.spec.items.get(code)
        if item is None:
            errors.append(answer_error(code, ErrorCode.UNKNOWN_ITEM))
        elif value is not CLEAR:
            errors.extend(validate_answer(item, value))
    if errors:
        return errors
    return validate_answers(catalog.spec, merge_answers(stored, values))


def _note_problems(catalog: FrameworkCatalog, notes: Mapping[str, str]) -> list[Problem]:
    problems = []
    for code, text in notes.items():
        if code not in catalog.indicator_ids:
            problems.append(Problem(_("Unknown indicator %(code)s.") % {"code": code}))
        elif len(text) > NOTE_MAX_LENGTH:
            problems.append(
                Problem(
                    _("A note has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH},
                    f"{code}.note",
                )
            )
    return problems


def _changed(stored: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The part of ``values`` that really changes the stored answers."""
    return {
        code: value
        for code, value in values.items()
        if (value is CLEAR and code in stored) or (value is not CLEAR and stored.get(code) != value)
    }


def _answer_rows(
    actor: Any, assessment: Assessment, catalog: FrameworkCatalog, changed: Mapping[str, Any]
) -> list[Answer]:
    """Rows to upsert for the changed answers; cleared ones are deleted here."""
    cleared = [catalog.item_ids[code] for code, value in changed.items() if value is CLEAR]
    if cleared:
        Answer.objects.filter(assessment=assessment, item_id__in=cleared).delete()
    rows = []
    for code, value in changed.items():
        if value is CLEAR:
            continue
        stored_value, not_applicable = stored_answer(value)
        rows.append(
            Answer(
                assessment=assessment,
                item_id=catalog.item_ids[code],
                value=stored_value,
                not_applicable=not_applicable,
                updated_by=actor,
            )
        )
    return rows


def _upsert_answers(rows: list[Answer]) -> None:
    if rows:
        Answer.objects.bulk_create(
            rows,
            batch_size=2_000,
            update_conflicts=True,
            unique_fields=["assessment", "item"],
            update_fields=["value", "not_applicable", "updated_by", "updated_at"],
        )


def _write_notes(
    actor: Any, assessment: Assessment, catalog: FrameworkCatalog, notes: Mapping[str, str]
) -> None:
    emptied = [catalog.indicator_ids[code] for code, text in notes.items() if not text]
    if emptied:
        IndicatorNote.objects.filter(assessment=assessment, indicator_id__in=emptied).delete()
    written = [
        IndicatorNote(
            assessment=assessment,
            indicator_id=catalog.indicator_ids[code],
            text=text,
            updated_by=actor,
        )
        for code, text in notes.items()
        if text
    ]
    if written:
        IndicatorNote.objects.bulk_create(
            written,
            update_conflicts=True,
            unique_fields=["assessment", "indicator"],
            update_fields=["text", "updated_by", "updated_at"],
        )


def _stored_notes(assessment: Assessment) -> dict[str, str]:
    return dict(assessment.notes.values_list("indicator__code", "text"))


@transaction.atomic
def answers_save(
    *,
    actor: Any,
    assessment: Assessment,
    values: Mapping[str, Any] | None = None,
    notes: Mapping[str, str] | None = None,
    expected_version: int | None = None,
    scope: Scope | None = None,
) -> Assessment:
    """Save answers and indicator notes of one assessment, all or nothing.

    ``values`` maps item codes to a new answer (scoring.md section 3, ``{"na": true}`` for a
    whole item not applicable) or to ``CLEAR``; items not named keep their answers, so a
    note can change without touching any value. ``notes`` maps indicator codes to their
    note ("" removes it). With ``expected_version``, a save from a page older than the last
    save is refused (StaleVersionError, with the changes the page has not seen); with a
    ``scope`` too, only changes to those items and indicators count. Invalid answers raise
    InvalidAnswersError with every problem at its answer path. Saving what is already
    stored changes nothing.
    """
    values, notes = dict(values or {}), dict(notes or {})
    locked = lock_editable(actor, assessment, expected_version, scope)
    if not values and not notes:
        return locked
    catalog = framework_catalog(locked.round.framework)
    stored = current_engine_answers(locked)
    errors = _answer_errors(catalog, stored, values)
    note_problems = _note_problems(catalog, notes)
    if errors:
        raise InvalidAnswersError(errors)
    if note_problems:
        raise ValidationFailed(*note_problems)
    changed = _changed(stored, values)
    stored_notes = _stored_notes(locked) if notes else {}
    note_changes = {
        code: text.strip()
        for code, text in notes.items()
        if text.strip() != stored_notes.get(code, "")
    }
    if not changed and not note_changes:
        return locked
    check_open_indicators(
        locked, {catalog.indicator_of_item[code] for code in changed} | set(note_changes)
    )
    _upsert_answers(_answer_rows(actor, locked, catalog, changed))
    _write_notes(actor, locked, catalog, note_changes)
    bump(
        [locked],
        actor=actor,
        changes=[
            *_answer_changes(locked, stored, changed),
            *_note_changes(locked, stored_notes, note_changes),
        ],
    )
    return locked


def _note_changes(
    assessment: Assessment, before: Mapping[str, str], after: Mapping[str, str]
) -> list[Change]:
    return [
        Change(assessment, EventKind.NOTE, code, before.get(code), text or None)
        for code, text in after.items()
    ]


def _answer_changes(
    assessment: Assessment, stored: Mapping[str, Any], changed: Mapping[str, Any]
) -> list[Change]:
    return [
        Change(
            assessment,
            EventKind.ANSWER,
            code,
            stored.get(code),
            None if value is CLEAR else value,
        )
        for code, value in changed.items()
    ]


@transaction.atomic
def answers_import(
    *,
    actor: Any,
    answers: Mapping[int, Mapping[str, Any]],
    labels: Mapping[int, str] | None = None,
    expected_versions: Mapping[int, int] | None = None,
    notes: Mapping[int, Mapping[str, str]] | None = None,
) -> int:
    """Save answers (and indicator notes) of many assessments (by id) at once, all or
    nothing: every assessment must be editable by ``actor`` now (and unchanged since
    ``expected_versions``, when given), and every problem of every assessment is reported
    (prefixed with ``labels[id]``, e.g. the community's registry code). Returns how many
    assessments changed."""
    labels, notes = labels or {}, notes or {}
    locked, refused = lock_changeable(actor, {**answers, **notes}, labels, expected_versions)
    stored_by_id = stored_answers_by_assessment(list(locked))
    stored_notes = _stored_notes_by_assessment([pk for pk in notes if pk in locked])
    errors: list[Problem] = []
    deltas: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}
    for pk, assessment in locked.items():
        catalog = framework_catalog(assessment.round.framework)
        label = labels.get(pk, str(pk))
        stored = stored_by_id.get(pk, {})
        for error in _answer_errors(catalog, stored, answers.get(pk, {})):
            errors.append(
                Problem(f"{label}: {describe_answer_error(error)}", answer_path(error), label)
            )
        for problem in _note_problems(catalog, notes.get(pk, {})):
            errors.append(Problem(f"{label}: {problem.message}", problem.field, label))
        delta = _changed(stored, answers.get(pk, {}))
        before = stored_notes.get(pk, {})
        note_delta = {
            code: text.strip()
            for code, text in notes.get(pk, {}).items()
            if text.strip() != before.get(code, "")
        }
        if delta or note_delta:
            deltas[pk] = (delta, note_delta)
        closed = closed_indicators_problem(
            assessment, {catalog.indicator_of_item.get(c, c) for c in delta} | set(note_delta)
        )
        if closed is not None:
            errors.append(Problem(f"{label}: {closed}", subject=label))
    if refused:  # the state refuses some: a conflict, with every other problem beside it
        raise WorkflowError(*refused, *errors)
    if errors:
        raise ValidationFailed(*errors)
    changed, rows, changes = [], [], []
    for pk, (delta, note_delta) in deltas.items():
        assessment = locked[pk]
        catalog = framework_catalog(assessment.round.framework)
        stored = stored_by_id.get(pk, {})
        changed.append(assessment)
        rows.extend(_answer_rows(actor, assessment, catalog, delta))
        _write_notes(actor, assessment, catalog, note_delta)
        changes.extend(_answer_changes(assessment, stored, delta))
        changes.extend(_note_changes(assessment, stored_notes.get(pk, {}), note_delta))
    _upsert_answers(rows)
    if changed:
        bump(changed, actor=actor, changes=changes)
    return len(changed)


def _stored_notes_by_assessment(assessment_ids: list[int]) -> dict[int, dict[str, str]]:
    notes: dict[int, dict[str, str]] = {}
    rows = IndicatorNote.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "indicator__code", "text"
    )
    for pk, code, text in rows:
        notes.setdefault(pk, {})[code] = text
    return notes


def stored_answers_by_assessment(assessment_ids: list[int]) -> dict[int, dict[str, Any]]:
    stored: dict[int, dict[str, Any]] = {}
    rows = Answer.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "item__code", "value", "not_applicable"
    )
    for pk, code, value, na in rows.iterator(chunk_size=10_000):
        stored.setdefault(pk, {})[code] = engine_answer(value, na)
    return stored


@dataclass(frozen=True)
class CommunityAnswers:
    """One community's answers and notes in an import by registry code (``version``: the
    version of its assessment the answers were based on, when the sender knows it)."""

    community: str
    answers: Mapping[str, Any]
    notes: Mapping[str, str]
    version: int | None = None


@dataclass(frozen=True)
class CodedImportOutcome:
    """What an import by registry code did: how many assessments changed, and each
    community's assessment with its version now."""

    changed: int
    assessments: dict[str, tuple[int, int]]  # registry code -> (assessment id, version)


def _assessments_by_code(
    actor: Any, round_id: int, entries: Sequence[CommunityAnswers], entries_field: str
) -> tuple[dict[str, int], list[Problem]]:
    """Each entry's assessment in the round among those ``actor`` may see (by registry
    code); a repeated code, an unknown code (or one of a community the actor may not see)
    and a community without such an assessment are problems, each at its entry."""
    codes = {entry.community for entry in entries}
    known = set(
        permissions.communities_visible_to(actor)
        .filter(code__in=codes)
        .values_list("code", flat=True)
    )
    found = dict(
        permissions.assessments_visible_to(actor)
        .filter(round_id=round_id, community__code__in=codes)
        .values_list("community__code", "pk")
    )
    ids: dict[str, int] = {}
    problems: list[Problem] = []
    for n, entry in enumerate(entries):
        code = entry.community
        if code in ids:
            message = _("%(code)s: the community appears more than once.")
        elif code not in known:
            message = _("%(code)s: no community has this registry code.")
        elif code not in found:
            message = _("%(code)s: no assessment of this community in the round that you can see.")
        else:
            ids[code] = found[code]
            continue
        problems.append(Problem(message % {"code": code}, f"{entries_field}.{n}.community", code))
    return ids, problems


class _Refused(Exception):
    """Undo an import that the service accepted while other problems stand (or a dry run)."""


@transaction.atomic
def answers_import_by_code(
    *,
    actor: Any,
    round_id: int,
    entries: Sequence[CommunityAnswers],
    dry_run: bool = False,
    entries_field: str = "entries",
) -> CodedImportOutcome:
    """``answers_import`` for communities named by registry code in one round, all or
    nothing, with every problem: the communities that cannot be found are reported
    together with what ``answers_import`` refuses (it still runs, and is rolled back, so
    its problems are listed too). With ``dry_run``, everything is checked and nothing is
    kept. Problems name their community (``subject``); those about an entry itself are at
    ``<entries_field>.<n>.community``."""
    if not permissions.rounds_visible_to(actor).filter(pk=round_id).exists():
        raise ValidationFailed(Problem(_("No round has this id."), "round"))
    ids, problems = _assessments_by_code(actor, round_id, entries, entries_field)
    by_id: dict[int, CommunityAnswers] = {}
    for entry in entries:  # the first entry of a community counts; a repeat is a problem
        if entry.community in ids:
            by_id.setdefault(ids[entry.community], entry)
    refusal: DomainError | None = None
    try:
        with transaction.atomic():
            changed = answers_import(
                actor=actor,
                answers={pk: e.answers for pk, e in by_id.items()},
                labels={pk: e.community for pk, e in by_id.items()},
                expected_versions={
                    pk: e.version for pk, e in by_id.items() if e.version is not None
                },
                notes={pk: e.notes for pk, e in by_id.items()},
            )
            versions = dict(Assessment.objects.filter(pk__in=by_id).values_list("pk", "version"))
            if problems or dry_run:
                raise _Refused
    except _Refused:
        pass
    except NotAllowedError:  # the actor may not import at all, whatever else is wrong
        raise
    except DomainError as error:
        refusal = error
    if refusal is not None or problems:
        order = {e.community: n for n, e in reversed(list(enumerate(entries)))}
        found = sorted(
            [*problems, *(refusal.problems if refusal else [])],
            key=lambda p: order.get(p.subject or "", -1),
        )
        raise (WorkflowError if isinstance(refusal, ConflictError) else ValidationFailed)(*found)
    return CodedImportOutcome(
        changed=changed,
        assessments={e.community: (pk, versions[pk]) for pk, e in by_id.items()},
    )
