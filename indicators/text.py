"""Pick the zh or en variant of a bilingual field for the active language."""

from __future__ import annotations

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
