"""Writing an export table as .xlsx (openpyxl, streamed row by row) or as .csv (UTF-8 with
a byte-order mark, so Excel reads Chinese correctly), from chunks of rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from assessments.excel.cells import BOLD, BORDER, HEAD_FILL, TITLE, clean_text
from reports.exports.tables import SCORE, TEXT, WHOLE, Column, ExportTable

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
NUMBER_FORMATS = {SCORE: "0.00", WHOLE: "0"}
HEADER_ROW = 2  # under the title line; the panes are frozen below it
_HEAD_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
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
    first two columns, numbers as numbers with their formats."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.label[:31])
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.row_dimensions[HEADER_ROW].height = 48  # room for wrapped indicator names
    for n, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    title = WriteOnlyCell(sheet, clean_text(table.title_line()))
    title.font = TITLE
    sheet.append([title])
    sheet.append([_header_cell(sheet, column) for column in table.columns])
    for chunk in chunks:
        for row in chunk:
            sheet.append(
                [
                    _cell(sheet, value, column)
                    for value, column in zip(row, table.columns, strict=True)
                ]
            )
    workbook.save(stream)


def _header_cell(sheet: Any, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, clean_text(column.header))
    cell.font = BOLD
    cell.fill = HEAD_FILL
    cell.border = BORDER
    cell.alignment = _HEAD_ALIGNMENT
    return cell


def _cell(sheet: Any, value: Any, column: Column) -> Any:
    if value is None or value == "":
        return None
    if column.kind == TEXT:
        cell = WriteOnlyCell(sheet, clean_text(str(value)))
        cell.data_type = "s"  # text that starts with "=" stays text
        return cell
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = NUMBER_FORMATS[column.kind]
    return cell
