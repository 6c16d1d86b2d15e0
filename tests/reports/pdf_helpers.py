"""Reading PDFs back in tests, with poppler's tools (the same a person would use)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

CJK_FONT = re.compile(r"CJK|WenQuanYi|MicroHei")


def _run(document: bytes | Path, command: list[str]) -> str:
    """``command`` on the document (a file, or bytes written to a temporary file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = document if isinstance(document, Path) else Path(folder) / "document.pdf"
        if not isinstance(document, Path):
            path.write_bytes(document)
        done = subprocess.run(
            [*command, str(path), *(["-"] if command[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout


def pdf_text(document: bytes | Path, page: int | None = None) -> str:
    """The text of the PDF (or of one page), in reading layout, no-break spaces as
    spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    return _run(document, ["pdftotext", "-layout", *pages]).replace("\xa0", " ")


def pdf_pages(document: bytes | Path) -> int:
    info = _run(document, ["pdfinfo"])
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(document: bytes | Path) -> list[dict[str, str]]:
    """One entry per font: name, type, embedded and subset ("yes"/"no")."""
    fonts = []
    for line in _run(document, ["pdffonts"]).splitlines()[2:]:
        parts = line.split()  # name, type (words), encoding, emb, sub, uni, object, id
        fonts.append(
            {
                "name": parts[0],
                "type": " ".join(parts[1:-6]),
                "embedded": parts[-5],
                "subset": parts[-4],
            }
        )
    return fonts


def assert_cjk_subset_embedded(document: bytes | Path) -> None:
    """A Chinese font is embedded as a subset (its name carries a six-letter tag), every
    font is embedded, and nothing fell back to Type 3 glyphs."""
    fonts = pdf_fonts(document)
    cjk = [font for font in fonts if CJK_FONT.search(font["name"])]
    assert cjk, fonts
    for font in cjk:
        assert re.match(r"[A-Z]{6}\+", font["name"]), f"not a subset: {font}"
    assert all(font["embedded"] == "yes" and font["subset"] == "yes" for font in fonts), fonts
    assert not any("Type 3" in font["type"] for font in fonts), fonts
