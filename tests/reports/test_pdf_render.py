"""WeasyPrint rendering: the same HTML gives the same bytes, and the pause of Python's
garbage collector during a rendering leaves the collector as it found it."""

from __future__ import annotations

import gc

from reports.pdf.render import html_to_pdf

HTML = "<html lang='zh-Hans'><body><h1>智慧社区</h1><p>第一页</p></body></html>"


def test_the_same_html_renders_to_the_same_bytes():
    first, second = html_to_pdf(HTML), html_to_pdf(HTML)
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert first.pages == 1


def test_the_collector_is_left_as_it_was():
    assert gc.isenabled()
    html_to_pdf(HTML)
    assert gc.isenabled()
    gc.disable()
    try:
        html_to_pdf(HTML)
        assert not gc.isenabled()
    finally:
        gc.enable()
