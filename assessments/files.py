"""Stored evidence files outside the database."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.storage import default_storage


def delete_files(names: Iterable[str]) -> None:
    """Remove stored files (after the rows that named them are gone)."""
    for name in names:
        default_storage.delete(name)
