"""HTML to PDF with WeasyPrint.

WeasyPrint embeds the glyphs a document uses as font subsets (through HarfBuzz's subsetter,
``libharfbuzz-subset0``; without it fonts are embedded whole, many times slower and larger,
which ``tests/config/test_system_libraries.py`` guards against). Rendering the same HTML
twice gives the same bytes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_local = threading.local()


@dataclass(frozen=True)
class RenderedFile:
    data: bytes
    pages: int
    seconds: float


def _fonts() -> FontConfiguration:
    """One font configuration per thread: it caches font look-ups between documents."""
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = FontConfiguration()
    return fonts


def html_to_pdf(html: str) -> RenderedFile:
    started = time.perf_counter()
    fonts = _fonts()
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=fonts)
    data = bytes(document.write_pdf() or b"")  # bytes, as no target is given
    return RenderedFile(data=data, pages=len(document.pages), seconds=time.perf_counter() - started)
