"""The Excel round-trip: assessments as an .xlsx workbook to fill in offline, and the
filled-in workbook read back and saved (all or nothing).

- ``layout``: where things are on a sheet, shared by writing and reading;
- ``rows``: a sheet's rows, one per answer path (contracts section 1), with what to enter;
- ``build`` (with ``cells`` and ``instructions``): ``workbook_bytes`` writes the
  instructions sheet and one sheet per assessment with its current values;
- ``read``: ``read_workbook`` finds each sheet's assessment and reads its rows with the
  shared reading rule of ``assessments.answer_paths``, every problem at its cell;
- ``save``: ``workbook_import`` saves every sheet through one ``answers_import`` call.
"""

from assessments.excel.build import workbook_bytes
from assessments.excel.layout import MAX_UPLOAD_BYTES
from assessments.excel.read import (
    ParsedSheet,
    ParsedWorkbook,
    SheetProblem,
    WorkbookRejected,
    read_workbook,
)
from assessments.excel.save import ImportOutcome, workbook_import

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportOutcome",
    "ParsedSheet",
    "ParsedWorkbook",
    "SheetProblem",
    "WorkbookRejected",
    "read_workbook",
    "workbook_bytes",
    "workbook_import",
]
