"""How a server process settles in before it answers requests.

Python's cyclic garbage collector walks every tracked object of the process on a full
collection: with Django, DRF and the portal's modules loaded, that stalled one request in
ten or fifteen by 100-200 ms (benchmarks/api_lists.py: p50 50 ms, p95 up to 260 ms for a
page of 100 assessments). Loading every module first and freezing what is there takes
those long-lived objects out of the walk, and a higher first threshold makes collections
rarer; together they keep the slowest requests within twice the median.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver

#: Objects allocated (less freed) before a first-generation collection; Python's is 700.
FIRST_GENERATION_THRESHOLD = 50_000


def settle_process() -> None:
    """Import every view (through the URL configuration), move what is loaded into the
    collector's permanent generation, and make collections rarer. Call once per process,
    after Django is set up and before the first request (and before forking workers, so
    the frozen pages stay shared)."""
    get_resolver().url_patterns  # noqa: B018 (imports every view module)
    gc.collect()
    gc.freeze()
    _first, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, max(second, 20), max(third, 20))
