"""Files the reports write for later download (exports, PDFs, ZIP batches): written whole
or not at all, and folders cleared of what nothing accounts for."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path


@contextmanager
def written_in_place(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write into; when the block ends without an
    error it is moved onto ``path`` in one step, so a reader never sees half a file and
    two writers of the same file leave one whole copy. Left over, it is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def remove_files_older_than(folder: Path, cutoff: datetime) -> int:
    """Remove the files directly in ``folder`` last changed before ``cutoff``; how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.iterdir():
        if entry.is_file() and entry.stat().st_mtime < cutoff.timestamp():
            entry.unlink(missing_ok=True)
            removed += 1
    return removed


def file_name_part(text: str, fallback: str = "_") -> str:
    """``text`` as part of a file name: no path separators, characters Windows refuses or
    control characters (each becomes "_"), no leading or trailing dots and spaces;
    ``fallback`` when nothing is left."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or not ch.isprintable() else ch for ch in text)
    return cleaned.strip(". ") or fallback
