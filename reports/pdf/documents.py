"""What a PDF is made of, and how a task finds the builder of each kind of document.

Builders are looked up by kind so a task can rebuild a document from plain parameters
(ids and a language) without the request that asked for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings

# The languages a PDF is written in: the short code used in keys and on the command line,
# and Django's language code.
LANGUAGES = {"zh": "zh-hans", "en": "en"}


def short_language(language: str | None) -> str:
    """``zh`` or ``en`` for a Django language code (Chinese by default)."""
    return "en" if (language or "").lower().startswith("en") else "zh"


class DocumentUnavailable(Exception):
    """The document cannot be made (its subject is gone or not ready); the message says
    why, for the person who asked."""


@dataclass(frozen=True)
class PdfDocument:
    """A document ready to render: its stable ``key`` (one stored PDF per key), the HTML
    and the name the file downloads under. ``params`` rebuild it in a task."""

    kind: str
    key: str
    language: str  # "zh" or "en"
    html: str
    download_name: str
    params: dict[str, Any]
    assessment_id: int | None = None

    @cached_property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()


Builder = Callable[..., PdfDocument]
_BUILDERS: dict[str, Builder] = {}


def builder(kind: str) -> Callable[[Builder], Builder]:
    """Register the function that builds documents of ``kind`` from their ``params``."""

    def register(function: Builder) -> Builder:
        _BUILDERS[kind] = function
        return function

    return register


def build(kind: str, params: dict[str, Any]) -> PdfDocument:
    _load_builders()
    return _BUILDERS[kind](**params)


def _load_builders() -> None:
    # Imported here: the builders import selectors, which import this module's users.
    from reports.pdf import notice, scorecard, summary  # noqa: F401


def site_url(path: str) -> str:
    """An absolute address on the portal's public site (for QR codes)."""
    return f"{settings.SITE_URL}{path}"
