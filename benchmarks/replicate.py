"""Grow a seeded PostgreSQL database to national scale, fast, for the read benchmarks.

Seeding 100,000 communities with their answers, evidence and history takes hours; the
dashboard reads none of those for its lists, maps and statistics. This script copies the
database's seeded communities N times, each copy with its assessments (both rounds), its
scorecards and its indicator scores, as new rows with their own ids and codes (``-c1``,
``-c2``, ...), then re-ranks every round, which stores the ranks and the area statistics
afresh. Answers, evidence, score details and history are not copied: pages that read them
(a community's scorecard, its path to the next grade) are benchmarked on seeded
communities, which keep theirs.

    createdb -T portal_bench10k portal_bench100k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench100k \\
        python benchmarks/replicate.py --copies 9     # 10,000 seeded -> 100,000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection, models, transaction  # noqa: E402

from assessments.models import Assessment, Community, Round  # noqa: E402
from scoring.models import IndicatorScore, ScoreCard  # noqa: E402
from scoring.services import ranks_refresh, scores_changed  # noqa: E402

SUFFIX = "-c"


def columns(model: type[models.Model]) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def copy_rows(model: type[models.Model], source: str, replace: dict[str, str]) -> int:
    """INSERT INTO model's table the rows of ``source`` (a FROM clause whose rows are
    aliased ``t``), each column taken from ``t`` unless ``replace`` gives its expression."""
    cols = columns(model)
    values = ", ".join(replace.get(c, f"t.{c}") for c in cols)
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {values} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def replicate(copy: int) -> None:
    """One copy of every seeded community with its assessments, scorecards and scores."""
    suffix = f"{SUFFIX}{copy}"
    community, assessment = Community._meta.db_table, Assessment._meta.db_table
    card, score = ScoreCard._meta.db_table, IndicatorScore._meta.db_table
    seeded = f"{community} t WHERE t.code NOT LIKE '%{SUFFIX}%'"
    copy_rows(Community, seeded, {"code": f"t.code || '{suffix}'", "name": f"t.name || '·{copy}'"})
    pairs = (  # seeded community id -> its copy's id
        f"(SELECT o.id AS old_id, n.id AS new_id FROM {community} o "
        f"JOIN {community} n ON n.code = o.code || '{suffix}')"
    )
    copy_rows(
        Assessment,
        f"{assessment} t JOIN {pairs} m ON t.community_id = m.old_id",
        {"community_id": "m.new_id"},
    )
    assessments = (  # seeded assessment id -> its copy's id
        f"(SELECT a.id AS old_id, b.id AS new_id FROM {assessment} a "
        f"JOIN {pairs} m ON a.community_id = m.old_id "
        f"JOIN {assessment} b ON b.community_id = m.new_id AND b.round_id = a.round_id)"
    )
    copy_rows(
        ScoreCard,
        f"{card} t JOIN {assessments} m ON t.assessment_id = m.old_id",
        {"assessment_id": "m.new_id"},
    )
    cards = (  # seeded scorecard id -> its copy's id
        f"(SELECT c.id AS old_id, d.id AS new_id FROM {card} c "
        f"JOIN {assessments} m ON c.assessment_id = m.old_id "
        f"JOIN {card} d ON d.assessment_id = m.new_id)"
    )
    copy_rows(
        IndicatorScore,
        f"{score} t JOIN {cards} m ON t.scorecard_id = m.old_id",
        {"scorecard_id": "m.new_id"},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=9)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("this script needs PostgreSQL: set DATABASE_URL=postgres://...")
    if Community.objects.filter(code__contains=SUFFIX).exists():
        raise SystemExit("this database has copies already: start again from a seeded one")
    started = time.perf_counter()
    for copy in range(1, args.copies + 1):
        with transaction.atomic():
            replicate(copy)
        print(f"copy {copy}: {Community.objects.count():,} communities")
    rounds = list(Round.objects.values_list("pk", flat=True))
    scores_changed(round_ids=rounds)
    ranks_refresh(round_ids=rounds)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"{Community.objects.count():,} communities, {ScoreCard.objects.count():,} scorecards, "
        f"ranked, in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
