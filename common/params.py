"""Reading query parameters defensively: a parameter is a hint, never a reason for a 500.

Browsers and bots send anything: non-ASCII digits ("²"), numbers beyond any database integer,
NUL characters, megabytes of text. Each reader returns a clean value or None.
"""

from __future__ import annotations

from collections.abc import Iterable

# The largest id a signed 64-bit integer column holds; PostgreSQL's bigint and SQLite agree.
MAX_ID = 2**63 - 1


def int_param(raw: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A positive whole number written in ASCII digits, within bounds, else None."""
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def text_param(raw: str | None, *, max_length: int = 100) -> str | None:
    """Printable text without control characters, trimmed and cut to ``max_length``."""
    if not raw:
        return None
    cleaned = "".join(ch for ch in raw if ch.isprintable()).strip()[:max_length]
    return cleaned or None


def choice_param(raw: str | None, choices: Iterable[str]) -> str | None:
    """``raw`` when it is one of ``choices``, else None."""
    return raw if raw is not None and raw in set(choices) else None
