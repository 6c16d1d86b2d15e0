"""Reading a filled-in workbook back: the answers and notes of each assessment sheet, and
every problem at its sheet and cell."""

from __future__ import annotations

import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessments import permissions
from assessments.answer_messages import describe_answer_error
from assessments.answer_paths import APPLICATION_KEYS, TRUE, paths, read_answer
from assessments.answers import CLEAR
from assessments.excel import layout
from assessments.excel.rows import yes
from assessments.models import Assessment
from indicators.specs import FrameworkCatalog, framework_catalog
from scoring.engine import AnswerError, ItemSpec, ItemType, validate_answer

logger = logging.getLogger(__name__)

_FLAG_WORDS = frozenset({"是", "否", "yes", "no", "true", "false", "1", "0"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass(frozen=True)
class SheetProblem:
    """One reason a workbook is refused: its sheet and cell when it has them."""

    message: str
    sheet: str = ""
    cell: str = ""

    @property
    def where(self) -> str:
        """``'370102001001'!H14``, ``'370102001001'``, or "" for the whole file."""
        if not self.sheet:
            return ""
        return (
            f"{layout.quoted(self.sheet)}!{self.cell}" if self.cell else layout.quoted(self.sheet)
        )


class WorkbookRejected(Exception):
    """Nothing was saved; ``problems`` says why."""

    def __init__(self, problems: Sequence[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.where} {p.message}".strip() for p in self.problems))


@dataclass
class ParsedSheet:
    """What one assessment sheet says. ``answers`` maps item codes to an answer or CLEAR
    (only items whose rows are on the sheet, and only those without problems)."""

    title: str
    index: int
    assessment: Assessment | None = None
    expected_version: int | None = None
    editable: bool = True
    answers: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    #: answer path -> coordinate of its value cell, in row order
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.assessment.community.code if self.assessment else self.title

    def cell_of(self, target: str) -> str:
        """The cell of an answer path, or the first cell of an item or indicator."""
        if target in self.cells:
            return self.cells[target]
        prefix = f"{target}."
        return next((cell for path, cell in self.cells.items() if path.startswith(prefix)), "")


@dataclass
class ParsedWorkbook:
    sheets: list[ParsedSheet]
    problems: list[SheetProblem]
    #: a sheet names no assessment, or one the user may not change, or another community's
    refused: bool = False


@dataclass(frozen=True)
class _RawRow:
    path: str
    path_cell: str
    value: Any
    value_cell: str


@dataclass
class _RawSheet:
    """An assessment sheet as found: header cells as (value, coordinate), and its rows."""

    ws: Worksheet
    index: int
    assessment_id: tuple[Any, str]
    version: tuple[Any, str]
    code: tuple[Any, str]
    editable: bool
    rows: list[_RawRow]


def open_workbook(file: IO[bytes]) -> Workbook:
    """The uploaded workbook, or WorkbookRejected saying plainly why it cannot be read."""
    data = file.read(layout.MAX_UPLOAD_BYTES + 1)
    if not data:
        raise WorkbookRejected([SheetProblem(_("The file is empty."))])
    if len(data) > layout.MAX_UPLOAD_BYTES:
        raise WorkbookRejected([SheetProblem(
            _("The file is larger than %(mb)d MB. A workbook from the portal is much smaller; "
              "upload that workbook.") % {"mb": layout.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )])  # fmt: skip
    not_xlsx = SheetProblem(
        _("This is not an Excel workbook (.xlsx). Save it as “Excel Workbook (*.xlsx)” and "
          "upload it again.")
    )  # fmt: skip
    if data.startswith(_OLE_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRejected([not_xlsx])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
        unpacked = sum(part.file_size for part in parts)
        if unpacked > layout.MAX_UNPACKED_BYTES or len(parts) > 5 * layout.MAX_SHEETS + 100:
            raise WorkbookRejected([SheetProblem(_("The workbook is too large to read."))])
        workbook = load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    except WorkbookRejected:
        raise
    except Exception as error:  # a damaged file can fail in many ways inside openpyxl
        logger.info("unreadable workbook upload: %r", error)
        raise WorkbookRejected([not_xlsx]) from error
    if len(workbook.worksheets) > layout.MAX_SHEETS:
        raise WorkbookRejected([SheetProblem(
            _("The workbook has more than %(n)d sheets.") % {"n": layout.MAX_SHEETS}
        )])  # fmt: skip
    return workbook


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed: numbers without a needless ".0", dates
    as ISO dates, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _path_headings() -> set[str]:
    headings = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            headings.add(_("Answer path"))
    return headings


def _named(ws: Worksheet, name: str, fallback: str) -> tuple[Any, str]:
    """The value and coordinate of the cell a sheet-local name points at (the fixed cell
    when the name is missing)."""
    defined = ws.defined_names.get(name)
    coordinate = fallback
    if defined is not None and defined.type == "RANGE":
        destinations = list(defined.destinations)
        if destinations:
            coordinate = destinations[0][1].split(":")[0].replace("$", "")
    try:
        return ws[coordinate].value, coordinate
    except (ValueError, TypeError):
        return None, fallback


def _raw_sheet(ws: Worksheet, index: int, headings: set[str]) -> _RawSheet | None:
    """The header and rows of an assessment sheet, or None for any other sheet."""
    if layout.NAME_ID not in ws.defined_names and (
        cell_text(ws.cell(row=layout.HEADER_ROW, column=layout.PATH_COLUMN).value) not in headings
    ):
        return None
    editable_name = ws.defined_names.get(layout.NAME_EDITABLE)
    rows = []
    last = min(ws.max_row, layout.FIRST_ROW + layout.MAX_ROWS)
    for cells in ws.iter_rows(min_row=layout.FIRST_ROW, max_row=last, max_col=layout.VALUE_COLUMN):
        path_cell, value_cell = cells[layout.PATH_COLUMN - 1], cells[layout.VALUE_COLUMN - 1]
        path = cell_text(path_cell.value)
        if path and path not in headings:
            rows.append(
                _RawRow(path, path_cell.coordinate, value_cell.value, value_cell.coordinate)
            )
    return _RawSheet(
        ws=ws,
        index=index,
        assessment_id=_named(ws, layout.NAME_ID, layout.ID_CELL),
        version=_named(ws, layout.NAME_VERSION, layout.VERSION_CELL),
        code=_named(ws, layout.NAME_CODE, layout.CODE_CELL),
        editable=not (editable_name is not None and str(editable_name.attr_text).strip() == "0"),
        rows=rows,
    )


def _whole(value: Any) -> int | None:
    text = cell_text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def read_workbook(file: IO[bytes], *, user: Any) -> ParsedWorkbook:
    """Every assessment sheet of an uploaded workbook, read for ``user``: which assessment
    it is, at which version, and its answers and notes; with every problem found. Sheets
    that were read-only when the file was made are listed but not read."""
    workbook = open_workbook(file)
    headings = _path_headings()
    raws = [
        raw
        for index, ws in enumerate(workbook.worksheets)
        if (raw := _raw_sheet(ws, index, headings)) is not None
    ]
    if not raws:
        raise WorkbookRejected([SheetProblem(
            _("This file has no assessment sheets. Download a workbook from the portal, fill "
              "it in and upload that file.")
        )])  # fmt: skip
    ids = {pk for raw in raws if raw.editable and (pk := _whole(raw.assessment_id[0]))}
    found = {
        a.pk: a
        for a in permissions.assessments_editable_by(
            user,
            Assessment.objects.filter(pk__in=ids).select_related("community", "round__framework"),
        )
    }
    parsed = ParsedWorkbook(sheets=[], problems=[])
    seen: dict[int, str] = {}
    for raw in raws:
        sheet = ParsedSheet(title=raw.ws.title, index=raw.index, editable=raw.editable)
        parsed.sheets.append(sheet)
        if not raw.editable:
            continue
        identity = _identity_problem(raw, found, seen)
        if identity is not None:
            parsed.problems.append(identity)
            parsed.refused = True
            continue
        sheet.assessment = found[_whole(raw.assessment_id[0]) or 0]
        sheet.expected_version = _whole(raw.version[0])
        seen[sheet.assessment.pk] = sheet.title
        catalog = framework_catalog(sheet.assessment.round.framework)
        parsed.problems.extend(_SheetReader(sheet, catalog).read(raw.rows))
    return parsed


def _identity_problem(
    raw: _RawSheet, found: Mapping[int, Assessment], seen: Mapping[int, str]
) -> SheetProblem | None:
    """Why a sheet cannot be saved at all: it names no assessment, one the user may not
    change, one already on another sheet, or one of another community."""
    title = raw.ws.title
    (id_value, id_cell), (version_value, version_cell) = raw.assessment_id, raw.version
    code, code_cell = cell_text(raw.code[0]), raw.code[1]
    pk, version = _whole(id_value), _whole(version_value)
    if pk is None or version is None:
        return SheetProblem(
            _("The sheet has lost its assessment number or version; download a new file."),
            title,
            id_cell if pk is None else version_cell,
        )
    assessment = found.get(pk)
    if assessment is None:
        return SheetProblem(
            _("Assessment no. %(id)d does not exist or is not yours to change.") % {"id": pk},
            title,
            id_cell,
        )
    if pk in seen:
        return SheetProblem(
            _("Assessment no. %(id)d is also on sheet %(other)s; keep one of them.")
            % {"id": pk, "other": layout.quoted(seen[pk])},
            title,
            id_cell,
        )
    if code != assessment.community.code:
        return SheetProblem(
            _(
                "This sheet is for community %(sheet)s, but assessment no. %(id)d is of "
                "%(code)s: the file is for another assessment. Download a new file."
            )
            % {"sheet": code or "–", "id": pk, "code": assessment.community.code},
            title,
            code_cell,
        )
    return None


class _SheetReader:
    """Turns one sheet's rows into answers and notes with the shared reading rule
    (``answer_paths.read_answer``), checking each answer with the scoring engine so every
    problem lands on its own cell."""

    def __init__(self, sheet: ParsedSheet, catalog: FrameworkCatalog) -> None:
        self.sheet = sheet
        self.catalog = catalog
        self.problems: list[SheetProblem] = []
        self.data: dict[str, list[str]] = {}
        self.unreadable: set[str] = set()  # items with a cell that cannot be read

    def problem(self, cell: str, message: str) -> None:
        self.problems.append(SheetProblem(message, self.sheet.title, cell))

    def read(self, rows: Iterable[_RawRow]) -> list[SheetProblem]:
        none_of: list[str] = []
        for row in rows:
            if row.path in self.sheet.cells:
                self.problem(row.path_cell, _("This answer path is on the sheet twice."))
                continue
            if not self._known(row.path):
                self.problem(
                    row.path_cell,
                    _("Unknown answer path “%(path)s”; do not change column A.")
                    % {"path": row.path},
                )
                continue
            self.sheet.cells[row.path] = row.value_cell
            text = cell_text(row.value)
            field_name = row.path.rsplit(".", 1)[1]
            if field_name in ("none", "not_applicable") and text.lower() not in _FLAG_WORDS | {""}:
                self.problem(
                    row.value_cell,
                    _("Choose “%(yes)s” or leave the cell empty.") % {"yes": yes()},
                )
                self.unreadable.add(row.path.rsplit(".", 1)[0])
                continue
            if field_name in ("checked", "na") and text.lower() in layout.NONE_WORDS:
                if field_name == "checked":
                    none_of.append(row.path.rsplit(".", 1)[0])
                text = ""
            self.data[row.path] = [text]
        for code in none_of:
            self.data[f"{code}.none"] = [TRUE]
        self._answers()
        self._notes()
        return self.problems

    def _known(self, path: str) -> bool:
        head, _sep, last = path.rpartition(".")
        if last == "note":
            return head in self.catalog.indicator_ids
        spec = self._item_of(path)
        if spec is None:
            return False
        if path in paths(spec):
            return True
        rest = path[len(spec.code) + 1 :].split(".")
        return (
            spec.type == ItemType.GRADED
            and bool(spec.record_choices)
            and len(rest) == 3
            and rest[0] == "applications"
            and rest[1].isascii()
            and rest[1].isdigit()
            and len(rest[1]) <= 3
            and rest[2] in APPLICATION_KEYS
        )

    def _item_of(self, path: str) -> ItemSpec | None:
        parts = path.split(".")
        for end in range(len(parts) - 1, 0, -1):
            spec = self.catalog.spec.items.get(".".join(parts[:end]))
            if spec is not None:
                return spec
        return None

    def _answers(self) -> None:
        present = {
            spec.code
            for path in self.data
            if not path.endswith(".note") and (spec := self._item_of(path)) is not None
        }
        for code, spec in self.catalog.spec.items.items():
            if code not in present or code in self.unreadable:
                continue  # rows removed from the sheet leave the answer as it is
            answer, errors = read_answer(spec, self.data)
            if not errors and answer is not CLEAR:
                errors = validate_answer(spec, answer)
            if errors:
                for error in errors:
                    self.problem(self._cell_of_error(spec, error), describe_answer_error(error))
            else:
                self.sheet.answers[code] = answer

    def _cell_of_error(self, spec: ItemSpec, error: AnswerError) -> str:
        """The value cell an engine error is about; an application's error goes to the
        row of that application (blank applications are skipped when numbering)."""
        if error.field == "applications":
            number = error.params.get("number")
            key = str(error.params.get("key") or "name")
            filled = sorted(
                {
                    int(path.split(".")[-2])
                    for path, values in self.data.items()
                    if path.startswith(f"{spec.code}.applications.") and values and values[0]
                }
            )
            if isinstance(number, int) and 1 <= number <= len(filled):
                row = f"{spec.code}.applications.{filled[number - 1]}"
                return self.sheet.cell_of(f"{row}.{key}") or self.sheet.cell_of(row)
        target = f"{spec.code}.{error.field}" if error.field else spec.code
        return self.sheet.cell_of(target) or self.sheet.cell_of(spec.code)

    def _notes(self) -> None:
        for code in self.catalog.indicator_ids:
            values = self.data.get(f"{code}.note")
            if values is not None:
                self.sheet.notes[code] = values[0]
