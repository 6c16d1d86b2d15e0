"""Writing assessment workbooks: an instructions sheet, then one sheet per assessment with a
row per answer path, its current value and what may be entered there."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import absolute_coordinate, get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.answer_paths import answer_fields
from assessments.choices import RoundStatus
from assessments.excel import layout
from assessments.excel.cells import (
    BOLD,
    BORDER,
    HEAD_FILL,
    LABEL_FILL,
    LOCKED_FILL,
    TITLE,
    UNLOCKED,
    VALUE_FILL,
    WRAP,
    put,
    set_value,
)
from assessments.excel.instructions import write_instructions
from assessments.excel.rows import (
    CHOICE,
    FLAG,
    LEVEL,
    NUMBER,
    WHOLE,
    YES_NO,
    FrameworkRows,
    Row,
    region_text,
    shown_value,
)
from assessments.models import Assessment, IndicatorNote
from assessments.services import stored_answers_by_assessment

_WIDTHS = (24, 9, 18, 36, 30, 9, 12, 20, 52)


def editable_now(assessment: Assessment) -> bool:
    return assessment.is_editable and assessment.round.status == RoundStatus.OPEN


def workbook_bytes(
    assessments: Iterable[Assessment],
    *,
    language: str,
    read_only: bool = False,
    upload_url: str = "",
) -> bytes:
    """The .xlsx file of these assessments (loaded with their round, framework, community
    and regions), in ``language``. Sheets of assessments that cannot change now, and every
    sheet when ``read_only``, have their value column locked too."""
    assessments = list(assessments)
    with translation.override(language):
        answers = stored_answers_by_assessment([a.pk for a in assessments])
        notes = _notes([a.pk for a in assessments])
        frameworks: dict[int, FrameworkRows] = {}
        workbook = Workbook()
        intro = workbook.worksheets[0]
        intro.title = layout.instructions_title()
        titles: list[str] = [intro.title]
        listed = []
        for assessment in assessments:
            framework = assessment.round.framework
            if framework.pk not in frameworks:
                frameworks[framework.pk] = FrameworkRows(framework)
            title = layout.sheet_title(assessment.community.code, titles)
            titles.append(title)
            editable = editable_now(assessment) and not read_only
            _write_sheet(
                workbook.create_sheet(title),
                assessment,
                frameworks[framework.pk],
                answers.get(assessment.pk, {}),
                notes.get(assessment.pk, {}),
                editable,
            )
            listed.append((title, assessment, editable))
        write_instructions(intro, listed, upload_url)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _notes(assessment_ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    rows = IndicatorNote.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "indicator__code", "text"
    )
    for pk, code, text in rows:
        found.setdefault(pk, {})[code] = text
    return found


def _write_header(ws: Worksheet, assessment: Assessment, editable: bool) -> None:
    community = assessment.community
    ws.merge_cells("A1:I1")
    put(ws, "A1", f"{community.name} ({community.code}) · {assessment.round.name}", style=TITLE)
    pairs = (
        ("A2", _("Registry code"), "B2:D2", community.code),
        ("E2", _("Community"), "F2:G2", community.name),
        ("H2", _("Region"), "I2", region_text(assessment)),
        ("A3", _("Round"), "B3:D3", assessment.round.name),
        ("E3", _("Status"), "F3:G3", assessment.get_status_display()),
        ("H3", _("File made at"), "I3", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ("A4", _("Assessment no."), "B4", assessment.pk),
        ("C4", _("Version"), "D4", assessment.version),
    )
    for label_cell, label, value_range, value in pairs:
        put(ws, label_cell, label, style=BOLD)
        ws[label_cell].fill = LABEL_FILL
        if ":" in value_range:
            ws.merge_cells(value_range)
        first = value_range.split(":")[0]
        put(ws, first, value)
        ws[first].alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.merge_cells("E4:I4")
    if editable:
        reminder = _(
            "Fill in only the yellow column “%(column)s”; leave a value empty to leave the "
            "item unanswered. Upload the whole file back to the portal."
        ) % {"column": _("Value")}
    else:
        reminder = _(
            "Read-only: this assessment could not be changed when the file was made. "
            "This sheet is skipped on upload."
        )
    put(ws, "E4", reminder)
    ws["E4"].alignment = WRAP
    ws.row_dimensions[4].height = 32
    for name, cell in (
        (layout.NAME_CODE, layout.CODE_CELL),
        (layout.NAME_ID, layout.ID_CELL),
        (layout.NAME_VERSION, layout.VERSION_CELL),
    ):
        reference = f"{layout.quoted(ws.title)}!{absolute_coordinate(cell)}"
        ws.defined_names[name] = DefinedName(name, attr_text=reference)
    ws.defined_names[layout.NAME_EDITABLE] = DefinedName(
        layout.NAME_EDITABLE, attr_text="1" if editable else "0"
    )


def _headings() -> tuple[str, ...]:
    return (
        _("Answer path"),
        _("Item"),
        _("Indicator"),
        _("Requirement"),
        _("What to enter"),
        _("Unit"),
        _("Target"),
        _("Value"),
        _("Notes and choices"),
    )


def _write_sheet(
    ws: Worksheet,
    assessment: Assessment,
    framework_rows: FrameworkRows,
    answers: Mapping[str, Any],
    notes: Mapping[str, str],
    editable: bool,
) -> None:
    _write_header(ws, assessment, editable)
    for column, heading in enumerate(_headings(), start=1):
        cell = ws.cell(row=layout.HEADER_ROW, column=column, value=heading)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, WRAP
    specs = framework_rows.catalog.spec.items
    fields: dict[str, list[str]] = {}
    for code, answer in answers.items():
        if code in specs:
            fields.update(answer_fields(specs[code], answer))
    fields.update({f"{code}.note": [text] for code, text in notes.items()})
    validations = _Validations(ws)
    rows = framework_rows.rows(answers)
    for offset, row in enumerate(rows):
        number = layout.FIRST_ROW + offset
        texts = (row.path, row.item, row.indicator, row.requirement, row.label, row.unit,
                 row.target)  # fmt: skip
        for column, text in enumerate(texts, start=1):
            cell = ws.cell(row=number, column=column)
            set_value(cell, text)
            cell.border, cell.alignment = BORDER, WRAP
        value = ws.cell(row=number, column=layout.VALUE_COLUMN)
        set_value(value, shown_value(row, fields))
        value.border, value.alignment = BORDER, WRAP
        value.number_format = "General" if row.kind in (NUMBER, WHOLE, LEVEL) else "@"
        value.fill = VALUE_FILL if editable else LOCKED_FILL
        if editable:
            value.protection = UNLOCKED
            validations.add(row, value.coordinate)
        note = ws.cell(row=number, column=layout.COLUMN_COUNT)
        set_value(note, row.description)
        note.border, note.alignment = BORDER, WRAP
    last = layout.FIRST_ROW + len(rows) - 1
    _finish(ws, last)


def _finish(ws: Worksheet, last_row: int) -> None:
    """Column widths, the frozen header, the filter, printing and protection."""
    for column, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=layout.FIRST_ROW, column=1).coordinate
    end = get_column_letter(layout.COLUMN_COUNT)
    ws.auto_filter.ref = f"A{layout.HEADER_ROW}:{end}{max(last_row, layout.FIRST_ROW)}"
    ws.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protection = ws.protection
    protection.sheet = True
    # Resizing, filtering and selecting stay allowed; locked cells cannot change.
    protection.formatColumns = protection.formatRows = protection.autoFilter = False


class _Validations:
    """The drop-down lists and number checks of one sheet, one rule per kind of cell."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.rules: dict[tuple[str, tuple[str, ...]], DataValidation] = {}

    def add(self, row: Row, coordinate: str) -> None:
        if row.kind in (YES_NO, FLAG, LEVEL, CHOICE) and row.choices:
            key = ("list", row.choices)
        elif row.kind in (NUMBER, WHOLE):
            key = (row.kind, ())
        else:
            return
        rule = self.rules.get(key)
        if rule is None:
            rule = self.rules[key] = self._rule(*key)
            self.ws.add_data_validation(rule)
        rule.add(coordinate)

    @staticmethod
    def _rule(kind: str, choices: tuple[str, ...]) -> DataValidation:
        if kind == "list":
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
            rule.error = _("Choose a value from the list, or leave the cell empty.")
        else:
            rule = DataValidation(
                type="whole" if kind == WHOLE else "decimal",
                operator="greaterThanOrEqual",
                formula1="0",
            )
            rule.error = (
                _("Enter a whole number of 0 or more.")
                if kind == WHOLE
                else _("Enter a number of 0 or more, without units.")
            )
        rule.allow_blank = True
        rule.showErrorMessage = True
        rule.errorTitle = _("Not accepted")
        return rule
