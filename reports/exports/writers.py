"""Writing an export table as .xlsx or as .csv (UTF-8 with a byte-order mark, so Excel
reads Chinese correctly), from chunks of rows.

Workbooks are written with XlsxWriter in its constant-memory mode (each row goes to disk as
it is written): for a whole round's indicator matrix it is several times faster than
openpyxl, which the portal keeps for the assessment workbooks it reads back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from assessments.excel.cells import clean_text
from reports.exports.tables import SCORE, TEXT, WHOLE, Column, ExportTable

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
NUMBER_FORMATS = {SCORE: "0.00", WHOLE: "0"}
HEADER_ROW = 2  # under the title line; the panes are frozen below it
# Text a spreadsheet would run as a formula when it starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Chunks = Iterable[Sequence[Sequence[Any]]]


def export_bytes(table: ExportTable, fmt: str, ids: list[int]) -> bytes:
    """The whole file in memory (for exports small enough to answer at once)."""
    buffer = io.BytesIO()
    if fmt == "csv":
        text = io.StringIO(newline="")
        write_csv(text, table.columns, [table.rows(ids)])
        buffer.write(text.getvalue().encode("utf-8-sig"))
    else:
        write_xlsx(buffer, table, [table.rows(ids)])
    return buffer.getvalue()


def export_file(path: Path, table: ExportTable, fmt: str, chunks: Chunks) -> None:
    """Write the file at ``path`` from ``chunks`` of rows."""
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            write_csv(stream, table.columns, chunks)
    else:
        with path.open("wb") as stream:
            write_xlsx(stream, table, chunks)


def write_csv(stream: IO[str], columns: Sequence[Column], chunks: Chunks) -> None:
    writer = csv.writer(stream)
    writer.writerow([column.header for column in columns])
    for chunk in chunks:
        writer.writerows(
            [_csv_value(value, column) for value, column in zip(row, columns, strict=True)]
            for row in chunk
        )


def _csv_value(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == SCORE:
        return f"{Decimal(value):.2f}"
    return _safe_text(str(value)) if column.kind == TEXT else str(value)


def _safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def write_xlsx(stream: IO[bytes], table: ExportTable, chunks: Chunks) -> None:
    """One sheet: a title line (round, scope, filters), the header row frozen with the
    first two columns, numbers as numbers with their formats, text always as text (never
    a formula)."""
    workbook = xlsxwriter.Workbook(
        stream, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    title = workbook.add_format({"bold": True, "font_size": 13})
    head = workbook.add_format(
        {"bold": True, "bg_color": "#DCE6F0", "border": 1, "border_color": "#B7C2CC",
         "text_wrap": True, "valign": "vcenter", "align": "center"}
    )  # fmt: skip
    numbers = {
        kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()
    }
    sheet = workbook.add_worksheet(clean_text(table.label)[:31])
    sheet.freeze_panes(HEADER_ROW, 2)
    for n, column in enumerate(table.columns):
        sheet.set_column(n, n, column.width)
    sheet.write_string(0, 0, clean_text(table.title_line()), title)
    sheet.set_row(HEADER_ROW - 1, 48)  # room for wrapped indicator names
    for n, column in enumerate(table.columns):
        sheet.write_string(HEADER_ROW - 1, n, clean_text(column.header), head)
    writers = [_cell_writer(sheet, column, numbers) for column in table.columns]
    row_number = HEADER_ROW
    for chunk in chunks:
        for row in chunk:
            for n, (value, write) in enumerate(zip(row, writers, strict=True)):
                if value is not None and value != "":
                    write(row_number, n, value)
            row_number += 1
    workbook.close()


def _cell_writer(sheet: Any, column: Column, numbers: dict[str, Any]) -> Any:
    """How a column's values are written: text as text, numbers with the column's format."""
    if column.kind == TEXT:
        return lambda row, col, value: sheet.write_string(row, col, clean_text(str(value)))
    number_format = numbers[column.kind]
    return lambda row, col, value: sheet.write_number(row, col, value, number_format)
