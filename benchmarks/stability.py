"""Ranking stability at provincial and national scale, on PostgreSQL.

Uses the largest scored round of the database (seeding the demo data set with
--communities N first when the database has none), then times a run of --draws draws
(1,000 by default) through the same service the Celery task calls, step by step:
  (a) reading the round (one query for scorecard x indicator) into arrays;
  (b) the NumPy computation, all four levels and overall only, and its peak memory
      (tracemalloc sees NumPy's arrays; timed apart, as tracing slows it down);
  (c) replacing the round's rank ranges (one transaction);
  (d) the whole run end to end (stability_run_start + stability_run_process);
and, for comparison, how long ranking a few draws takes in plain Python.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench100k \\
        python benchmarks/stability.py [--draws 1000] [--communities 10000]

The database is migrated first. The run's ranges stay in the database, as a run leaves them.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench10k")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from config.celery import app  # noqa: E402

# The run is computed here; a message to a broker nobody reads changes nothing.
app.conf.CELERY_TASK_ALWAYS_EAGER = False
app.conf.CELERY_BROKER_URL = "memory://localhost/"

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from assessments.models import Round  # noqa: E402
from demo.seed import seed  # noqa: E402
from scoring.engine import rank_competition  # noqa: E402
from scoring.models import ScoreCard, StabilityRun  # noqa: E402
from scoring.rank_ranges import Standings, rank_ranges, weight_offsets  # noqa: E402
from scoring.services import ranks_refresh, stability_run_process, stability_run_start  # noqa: E402
from scoring.services.stability import rank_ranges_replace, round_numbers  # noqa: E402


def largest_round() -> Round | None:
    busiest = (
        ScoreCard.objects.values("round_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("round_id", flat=True)
        .first()
    )
    return Round.objects.filter(pk=busiest).first() if busiest else None


def python_draws(numbers, offsets) -> float:
    """Seconds per draw to rank one perturbed draw overall in plain Python (the engine's
    rank_competition over the same integer totals), without any group."""
    totals = numbers.standings.totals.tolist()
    scores = numbers.standings.scores.tolist()
    started = time.perf_counter()
    for offset in offsets.tolist():
        values = [
            (card, (total * 1_000_000 + sum(s * m for s, m in zip(row, offset, strict=True))))
            for card, (total, row) in enumerate(zip(totals, scores, strict=True))
        ]
        rank_competition((card, value // 1_000_000) for card, value in values)
    return (time.perf_counter() - started) / len(offsets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=1_000)
    parser.add_argument("--communities", type=int, default=10_000, help="seeded when empty")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    print(f"database: {url.rsplit('/', 1)[1]}")
    call_command("migrate", verbosity=0)
    round_ = largest_round()
    if round_ is None:
        print(f"no scored round: seeding {args.communities} communities")
        seed(communities=args.communities, log=lambda line: None)
        round_ = largest_round()
        if round_ is None:
            raise SystemExit("seeding left no scored round")
    ranks_refresh(round_ids=[round_.pk])

    started = time.perf_counter()
    numbers = round_numbers(round_id=round_.pk)
    read = time.perf_counter() - started
    count, indicators = numbers.standings.scores.shape
    print(f"round {round_.pk} ({round_.name}): {count} scorecards x {indicators} indicators")
    print(f"(a) read into arrays:        {read:6.2f} s")

    offsets = weight_offsets(draws=args.draws, indicators=indicators, spread=0.2, seed=2026)
    started = time.perf_counter()
    ranges = rank_ranges(numbers.standings, offsets)
    computed = time.perf_counter() - started
    print(
        f"(b) {args.draws} draws with NumPy: {computed:6.2f} s "
        f"({computed / args.draws * 1000:.1f} ms per draw; overall, city, district, peer group)"
    )
    overall_only = Standings(numbers.standings.totals, numbers.standings.scores, groups={})
    started = time.perf_counter()
    rank_ranges(overall_only, offsets)
    overall = time.perf_counter() - started
    print(f"    overall ranks only:       {overall:6.2f} s")
    tracemalloc.start()
    rank_ranges(numbers.standings, offsets)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"    peak memory of the computation (tracemalloc): {peak / 2**20:.0f} MiB")

    run = stability_run_start(round=round_, draws=args.draws, enqueue_task=False)
    started = time.perf_counter()
    rank_ranges_replace(run.pk, numbers, ranges)
    print(f"(c) store the ranges:        {time.perf_counter() - started:6.2f} s")

    started = time.perf_counter()
    run = stability_run_start(round=round_, draws=args.draws, enqueue_task=False)
    finished = stability_run_process(run_id=run.pk)
    total = time.perf_counter() - started
    if finished is None or finished.status != StabilityRun.Status.FINISHED:
        raise SystemExit(f"the run did not finish: {finished and finished.error}")
    print(f"(d) whole run, end to end:   {total:6.2f} s")

    sample = offsets[: max(1, min(5, 200_000 // max(count, 1)))]
    per_draw = python_draws(numbers, sample)
    print(
        f"plain Python, overall ranks only: {per_draw * 1000:.0f} ms per draw, "
        f"{per_draw * args.draws:.0f} s for {args.draws} draws "
        f"({per_draw * args.draws / overall:.0f}x NumPy's overall ranks)"
    )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_rss:.0f} MiB")


if __name__ == "__main__":
    main()
