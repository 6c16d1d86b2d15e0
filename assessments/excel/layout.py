"""Where things are in an assessment workbook, shared by writing and reading it.

An assessment sheet has a header block (rows 1-4) with the community, the round, the
assessment number and the version the file was made from, then a table headed in row 5:
one row per answer path (contracts section 1), the value to fill in column H. The
assessment number, the version and the community code are read back through names local
to the sheet, which follow their cells if rows are moved; the fixed cells are the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import pgettext

HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
PATH_COLUMN = 1  # A
VALUE_COLUMN = 8  # H
COLUMN_COUNT = 9  # A..I

# Names local to each assessment sheet, and the cells they point at.
NAME_CODE, CODE_CELL = "community_code", "B2"
NAME_ID, ID_CELL = "assessment_id", "B4"
NAME_VERSION, VERSION_CELL = "assessment_version", "D4"
#: A constant name: 1 when the sheet's value column could be filled in, 0 when read-only.
NAME_EDITABLE = "sheet_editable"

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Uncompressed size of all parts of an uploaded workbook (a guard against zip bombs).
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_SHEETS = 300
MAX_ROWS = 3_000
#: Empty application rows offered under the stored ones of a graded item.
SPARE_APPLICATIONS = 3

# Words a person types or picks in the value column. The reader of answer paths accepts
# these (and true/false); the Chinese ones are what the drop-down lists offer by default.
YES = {"zh": "是", "en": "yes"}
NO = {"zh": "否", "en": "no"}
NONE = {"zh": "无", "en": "none"}
#: Between the options or levels listed in a description cell.
SEPARATOR = {"zh": "；", "en": "; "}
#: What a checklist's cell may say for "answered, and none of the options applies".
NONE_WORDS = frozenset({"无", "none", "没有"})

_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_TITLE_LENGTH = 31


def instructions_title() -> str:
    return pgettext("excel sheet", "Instructions")


def sheet_title(code: str, taken: Iterable[str]) -> str:
    """A sheet name from a community's registry code: at most 31 characters, none of
    ``[]:*?/\\``, not starting or ending with an apostrophe, unique (Excel compares names
    without regard to case)."""
    base = _FORBIDDEN_IN_TITLE.sub("_", code).strip("'").strip()[:_TITLE_LENGTH] or "sheet"
    used = {title.casefold() for title in taken}
    title, n = base, 1
    while title.casefold() in used:
        n += 1
        suffix = f"~{n}"
        title = base[: _TITLE_LENGTH - len(suffix)] + suffix
    return title


def quoted(title: str) -> str:
    """A sheet name as a reference writes it: ``'370102001001'``."""
    return "'" + title.replace("'", "''") + "'"
