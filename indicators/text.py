"""Pick the zh or en variant of a bilingual field for the active language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def localized(obj: object, field: str) -> str:
    """``obj.<field>_en`` when English is active and it is filled in, else ``obj.<field>_zh``."""
    if is_english():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, f"{field}_zh"))


def pair_text(value: Any) -> str:
    """A ``{zh, en}`` text of the framework file's params (a unit, a field label) in the
    active language; English falls back to Chinese where it is missing, plain text is
    returned as is."""
    if isinstance(value, Mapping):
        english = value.get("en") or ""
        return str(english if is_english() and english else value.get("zh") or "")
    return str(value or "")
