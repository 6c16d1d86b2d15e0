"""The first sheet of a workbook: how to fill it in, and the sheets it holds."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from assessments.excel.cells import BOLD, BORDER, HEAD_FILL, TITLE, WRAP, put, set_value
from assessments.excel.rows import no, none_word, region_text, yes
from assessments.models import Assessment
from indicators.text import is_english


def _instructions(upload_url: str) -> list[str]:
    y, n = yes(), no()
    none = none_word()
    where = upload_url or _("the upload page of the portal")
    return [
        _("Each assessment is on its own sheet, named by the community's registry code."),
        _(
            "Fill in only the yellow column “%(column)s”. The other columns and the header "
            "block are locked: the upload reads the assessment number and the version from it."
        )
        % {"column": _("Value")},
        _("Numbers: plain numbers without units or percent signs, e.g. 480 or 0.5."),
        _("Yes/no items: choose “%(yes)s” or “%(no)s” from the list.") % {"yes": y, "no": n},
        _(
            "Options: enter the codes of the options the community has, separated by commas, "
            "e.g. “a,c”; the codes and names are in the last column. Enter “%(none)s”, or "
            "choose “%(yes)s” in the row “None of these”, when the item is answered and none "
            "of the options applies."
        )
        % {"none": none, "yes": y},
        _(
            "Where options may not apply (such as an area the community does not have), "
            "enter their codes in the row “Not present in this community”."
        ),
        _(
            "Graded items: choose a level from the list; the last column describes each "
            "level. Innovative applications take one group of rows each (name, technology, "
            "domain, description); choose technology and domain codes from the lists and "
            "leave unused rows empty."
        ),
        _(
            "Items that may not apply: choose “%(yes)s” in the row “Not applicable to this "
            "community”."
        )
        % {"yes": y},
        _("Notes: each indicator has a row for a note (free text)."),
        _(
            "Leave a value empty to leave the item unanswered; emptying a saved value clears "
            "the answer when the file is uploaded."
        ),
        _(
            "Upload the whole file at %(where)s. Nothing is saved unless every sheet is "
            "valid; each problem is listed with its sheet, cell and reason."
        )
        % {"where": where},
        _(
            "A file made before someone else saved a change to the same assessment is "
            "refused: download a new file and enter your changes again."
        ),
        _(
            "Sheets of assessments that could not be changed when the file was made "
            "(submitted, approved, or in a closed round) are read-only and skipped on upload."
        ),
    ]


def write_instructions(
    ws: Worksheet, listed: Sequence[tuple[str, Assessment, bool]], upload_url: str
) -> None:
    ws.column_dimensions["A"].width = 6
    for letter, width in zip("BCDEF", (18, 24, 30, 24, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.merge_cells("A1:F1")
    put(ws, "A1", _("How to fill in this workbook"), style=TITLE)
    number = 3
    for n, text in enumerate(_instructions(upload_url), start=1):
        ws.merge_cells(start_row=number, start_column=2, end_row=number, end_column=6)
        ws.cell(row=number, column=1, value=n).alignment = WRAP
        put(ws, f"B{number}", text)
        ws[f"B{number}"].alignment = WRAP
        ws.row_dimensions[number].height = 15 * (1 + len(text) // (60 if is_english() else 45))
        number += 1
    number += 1
    headings = (_("Sheet"), _("Community"), _("Region"), _("Round"), _("Status"))
    for column, heading in enumerate(headings, start=2):
        cell = ws.cell(row=number, column=column, value=heading)
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BORDER
    for title, assessment, editable in listed:
        number += 1
        status = assessment.get_status_display()
        if not editable:
            status = _("%(status)s (read-only)") % {"status": status}
        values = (title, assessment.community.name, region_text(assessment),
                  assessment.round.name, status)  # fmt: skip
        for column, value in enumerate(values, start=2):
            cell = ws.cell(row=number, column=column)
            set_value(cell, value)
            cell.border = BORDER
