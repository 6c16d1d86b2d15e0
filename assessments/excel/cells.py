"""Cell styles and writing helpers shared by the sheets of a workbook."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="B7C2CC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_FILL = PatternFill("solid", fgColor="DCE6F0")
LABEL_FILL = PatternFill("solid", fgColor="EEF2F6")
VALUE_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="E7E9EC")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
UNLOCKED = Protection(locked=False)


def clean_text(value: Any) -> Any:
    """Text as a cell keeps it (without the control characters a workbook cannot hold)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def set_value(cell: Any, value: Any) -> None:
    """Write a value; text stays text even when it starts with "=" (never a formula), and
    empty text leaves the cell empty."""
    value = clean_text(value)
    cell.value = value if value != "" else None
    if isinstance(cell.value, str):
        cell.data_type = "s"


def put(ws: Worksheet, coordinate: str, value: Any, *, style: Font | None = None) -> None:
    cell = ws[coordinate]
    set_value(cell, value)
    if style is not None:
        cell.font = style
