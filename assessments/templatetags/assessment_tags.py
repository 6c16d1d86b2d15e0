"""Small template helpers of the assessment pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Mapping[str, Any] | None, key: str) -> Any:
    """``mapping[key]``, or None: ``{{ errors|get:control.name }}``."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def id_selector(element_id: str) -> str:
    """A CSS selector for an element id with dots, as item codes have ("L1P8.1"):
    ``hx-target="{{ 'evidence-'|add:code|id_selector }}"`` gives ``#evidence-L1P8\\.1``."""
    return "#" + str(element_id).replace(".", "\\.")


_KINDS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
}


@register.filter
def file_kind(content_type: str) -> str:
    """A short name of a file type for a badge: "PDF", "Word"."""
    return _KINDS.get(content_type, "")
