"""HTML to PDF with WeasyPrint.

WeasyPrint embeds the glyphs a document uses as font subsets (through HarfBuzz's subsetter,
``libharfbuzz-subset0``; without it fonts are embedded whole, many times slower and larger,
which ``tests/config/test_system_libraries.py`` guards against). Rendering the same HTML
twice gives the same bytes.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_local = threading.local()
_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a document is laid out: WeasyPrint
    allocates hundreds of thousands of short-lived objects, and the collector's passes
    over them cost about a tenth of the rendering time. It is back on (and catches up)
    as soon as no rendering runs in the process."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def html_to_pdf(html: str) -> RenderedFile:
    started = time.perf_counter()
    fonts = _fonts()
    with _collector_paused():
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=fonts)
        data = bytes(document.write_pdf() or b"")  # bytes, as no target is given
    return RenderedFile(data=data, pages=len(document.pages), seconds=time.perf_counter() - started)
