"""Saving an uploaded workbook: every sheet through one call of ``answers_import``, so
nothing is saved unless the whole file is valid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from assessments.excel.read import (
    ParsedSheet,
    SheetProblem,
    WorkbookRejected,
    read_workbook,
)
from assessments.models import Assessment
from assessments.services import answers_import
from common.errors import DomainError, ValidationFailed


@dataclass(frozen=True)
class ImportOutcome:
    """What an accepted upload did."""

    changed: list[Assessment]
    unchanged: list[Assessment]
    #: titles of the sheets that were read-only when the file was made
    skipped: list[str]


@dataclass(frozen=True)
class _Ready:
    """A sheet whose assessment was found, with the version its file was made from."""

    sheet: ParsedSheet
    assessment: Assessment
    version: int


class _DryRun(Exception):
    """Undo a save that succeeded while the file has problems of its own."""


def workbook_import(file: IO[bytes], *, user: Any) -> ImportOutcome:
    """Save the answers and notes of every sheet of an uploaded workbook for ``user``, or
    raise WorkbookRejected with every problem (sheet, cell, reason) and save nothing.

    The sheets are saved by one ``answers_import`` call, which checks that each assessment
    may change now and is still at the version the file was made from. When the file has
    problems of its own, that call still runs, inside a transaction that is then rolled
    back, so its refusals (a stale version, a note too long) are listed with them.
    """
    parsed = read_workbook(file, user=user)
    problems = list(parsed.problems)
    ready = [
        _Ready(sheet, sheet.assessment, sheet.expected_version)
        for sheet in parsed.sheets
        if sheet.assessment is not None and sheet.expected_version is not None
    ]
    if ready and not parsed.refused:
        problems.extend(_save(user, ready, dry_run=bool(problems)))
    if problems:
        order = {sheet.title: sheet.index for sheet in parsed.sheets}
        raise WorkbookRejected(sorted(problems, key=lambda p: _position(p, order)))
    ids = [entry.assessment.pk for entry in ready]
    now = dict(Assessment.objects.filter(pk__in=ids).values_list("pk", "version"))
    changed: list[Assessment] = []
    unchanged: list[Assessment] = []
    for entry in ready:
        moved = now.get(entry.assessment.pk) != entry.version
        (changed if moved else unchanged).append(entry.assessment)
    return ImportOutcome(
        changed=changed,
        unchanged=unchanged,
        skipped=[sheet.title for sheet in parsed.sheets if not sheet.editable],
    )


def _save(user: Any, ready: Sequence[_Ready], *, dry_run: bool) -> list[SheetProblem]:
    by_id = {entry.assessment.pk: entry for entry in ready}
    try:
        with transaction.atomic():
            answers_import(
                actor=user,
                answers={pk: entry.sheet.answers for pk, entry in by_id.items()},
                labels={pk: entry.sheet.label for pk, entry in by_id.items()},
                expected_versions={pk: entry.version for pk, entry in by_id.items()},
                notes={pk: entry.sheet.notes for pk, entry in by_id.items()},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        return []
    except DomainError as error:
        sheets = [entry.sheet for entry in ready]
        return [
            _placed(problem.message, problem.field, error, sheets) for problem in error.problems
        ]
    return []


def _placed(
    message: str, field: str | None, error: DomainError, sheets: Sequence[ParsedSheet]
) -> SheetProblem:
    """A problem of the service at its sheet (found by the label that starts the message)
    and, for invalid answers, at the cell of its answer path."""
    sheet = _sheet_named_in(message, sheets)
    if sheet is None:
        return SheetProblem(message)
    if not isinstance(error, ValidationFailed) and not field:
        return SheetProblem(message, sheet.title)
    prefix = f"{sheet.label}: "
    text = message[len(prefix) :] if message.startswith(prefix) else message
    return SheetProblem(text, sheet.title, sheet.cell_of(field) if field else "")


def _sheet_named_in(message: str, sheets: Sequence[ParsedSheet]) -> ParsedSheet | None:
    best = None
    for sheet in sheets:
        label = sheet.label
        rest = message[len(label) : len(label) + 1]
        if (
            message.startswith(label)
            and not rest.isalnum()
            and (best is None or len(label) > len(best.label))
        ):
            best = sheet
    return best


def _position(problem: SheetProblem, order: dict[str, int]) -> tuple[int, int, int]:
    if not problem.sheet:
        return (-1, 0, 0)
    row = column = 0
    if problem.cell:
        letters, row = coordinate_from_string(problem.cell)
        column = column_index_from_string(letters)
    return (order.get(problem.sheet, len(order)), row, column)
