"""Item types and comparators of the scoring rules (scoring.md section 3)."""

from __future__ import annotations

from enum import StrEnum


class ItemType(StrEnum):
    RATIO = "ratio"
    SAVING = "saving"
    MAX_VALUE = "max_value"
    COUNT_MIN = "count_min"
    BOOLEAN = "boolean"
    CHECKLIST = "checklist"
    GRADED = "graded"


class Comparator(StrEnum):
    """How an achievement is compared with its target to decide `met` (scoring.md 3.1)."""

    GE = "ge"
    GT = "gt"
    LE = "le"
    LT = "lt"


#: Item types measured against a numeric target.
TARGET_TYPES = frozenset({ItemType.RATIO, ItemType.SAVING, ItemType.COUNT_MIN, ItemType.MAX_VALUE})

#: Comparators allowed per target type; the first one is the default.
COMPARATORS: dict[ItemType, tuple[Comparator, ...]] = {
    ItemType.RATIO: (Comparator.GE, Comparator.GT),
    ItemType.SAVING: (Comparator.GE, Comparator.GT),
    ItemType.COUNT_MIN: (Comparator.GE, Comparator.GT),
    ItemType.MAX_VALUE: (Comparator.LE, Comparator.LT),
}
