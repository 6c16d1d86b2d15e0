"""A fixed-window request counter on the shared cache, for what must not be enumerated:
the public verification page, and API tokens guessed from one address."""

from __future__ import annotations

import time

from django.core.cache import cache


def _bucket(key: str, window: int) -> str:
    return f"ratelimit:{key}:{int(time.time() // window)}"


def reached(key: str, *, limit: int, window: int = 60) -> bool:
    """Whether ``limit`` requests were counted for ``key`` in the current window already
    (counting nothing)."""
    return int(cache.get(_bucket(key, window)) or 0) >= limit


def over_limit(key: str, *, limit: int, window: int = 60) -> bool:
    """Count one request for ``key``; True once more than ``limit`` were counted in the
    current window of ``window`` seconds."""
    bucket = _bucket(key, window)
    if cache.add(bucket, 1, timeout=window + 5):
        return limit < 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window + 5)
        count = 1
    return count > limit
