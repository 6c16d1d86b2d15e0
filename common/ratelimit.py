"""A fixed-window request counter on the shared cache, for public pages that must not be
enumerated (the verification page)."""

from __future__ import annotations

import time

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window: int = 60) -> bool:
    """Count one request for ``key``; True once more than ``limit`` were counted in the
    current window of ``window`` seconds."""
    bucket = f"ratelimit:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 5):
        return limit < 1
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window + 5)
        count = 1
    return count > limit
