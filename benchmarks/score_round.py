"""Round rescoring at provincial scale, on PostgreSQL.

For each N it seeds a round of N communities with complete answers, then times
  (a) the engine alone, in assessments per second (one core);
  (b) a full round rescore stored in the database (every scorecard rewritten), in
      communities per second, through the same service the Celery tasks call;
  (c) the floor: the same rows (N scorecards, 24 N indicator rows, N detail rows) deleted
      and inserted again with COPY into the same tables, committed (indexes, constraints
      and deferred foreign-key checks included).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        python benchmarks/score_round.py [--sizes 1000 10000] [--chunk 500] [--workers 1]

With --workers 2 the rescore runs as Celery does on a 2-core machine: chunks shared by
two processes. The benchmark database is created and migrated if missing; the rounds it
seeds are deleted again at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ["DEBUG"] = "false"

import django  # noqa: E402
import psycopg2  # noqa: E402


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


ensure_database(os.environ["DATABASE_URL"])
django.setup()

from config.celery import app  # noqa: E402

# Chunk tasks go to an in-memory broker that nobody reads: this script plays the workers.
app.conf.CELERY_TASK_ALWAYS_EAGER = False
app.conf.CELERY_BROKER_URL = "memory://localhost/"

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from assessments.models import Community, Region, Round  # noqa: E402
from assessments.services import (  # noqa: E402
    CommunityData,
    answers_import,
    assessments_open,
    communities_import,
    region_create,
    round_create,
    round_delete,
)
from demo.answers import make_answers  # noqa: E402
from indicators.framework_file import bundled_definition  # noqa: E402
from indicators.services import framework_load  # noqa: E402
from indicators.specs import framework_spec  # noqa: E402
from scoring import services  # noqa: E402
from scoring.engine import score  # noqa: E402
from scoring.models import IndicatorScore, RescoreRun, ScoreCard, ScoreDetail  # noqa: E402


def region(code: str, name: str, level: str, parent: Region | None) -> Region:
    existing = Region.objects.filter(code=code).first()
    return existing or region_create(code=code, name_zh=name, level=level, parent=parent)


def seed(n: int):
    """A round of n communities with complete answers, written with bulk inserts."""
    definition = bundled_definition("DB37/T 3890.3-2020")
    if definition is None:
        raise SystemExit("the bundled DB37/T 3890.3-2020 framework file is missing")
    framework = framework_load(definition=definition).framework
    spec = framework_spec(framework)
    province = region("990000", "基准省", "province", None)
    city = region("990100", "基准市", "city", province)
    districts = [region(f"9901{d:02d}", f"区{d}", "district", city) for d in range(1, 11)]
    streets = [
        region(f"{d.code}{s:03d}", f"街道{s}", "street", d) for d in districts for s in range(1, 11)
    ]
    import datetime as dt

    round_ = round_create(
        name=f"benchmark-{n}-{time.time_ns()}", framework=framework,
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        submission_deadline=dt.date(2026, 12, 1), review_deadline=dt.date(2026, 12, 31),
    )  # fmt: skip
    communities_import(
        rows=[
            CommunityData(code=f"B{round_.pk}-{i}", name=f"{round_.pk}-社区{i}",
                          region=streets[i % len(streets)], households=100, residents=300)
            for i in range(n)
        ]
    )  # fmt: skip
    communities = Community.objects.filter(code__startswith=f"B{round_.pk}-")
    assessments = assessments_open(round=round_, communities=list(communities))
    admin = User.objects.filter(username="benchmark-admin").first() or User.objects.create(
        username="benchmark-admin", role=Role.ADMINISTRATOR
    )
    answer_sets = {}
    for i, assessment in enumerate(assessments):
        rng = random.Random(i)
        answer_sets[assessment.pk] = make_answers(spec, rng.random(), rng)
    # Saved through the service; the scoring it asks for goes to a broker nobody reads.
    answers_import(actor=admin, answers=answer_sets)
    # A live database is vacuumed and analysed by autovacuum; do it now rather than time
    # plans made without statistics over the dead rows of earlier runs.
    with connection.cursor() as cursor:
        for table in (
            "assessments_answer",
            "assessments_assessment",
            "scoring_scorecard",
            "scoring_indicatorscore",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return round_, spec, answer_sets


def time_engine(spec, answer_sets) -> float:
    work = list(answer_sets.values())
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for answers in work:
            score(spec, answers)
        best = min(best, time.perf_counter() - start)
    return len(work) / best


def _score_chunks(chunk_ids: list[int]) -> None:
    connections.close_all()
    for chunk_id in chunk_ids:
        services.rescore_chunk_process(chunk_id=chunk_id)


def time_rescore(round_: Round, chunk_size: int, workers: int) -> float:
    ScoreCard.objects.filter(round=round_).delete()  # every scorecard must be written
    RescoreRun.objects.filter(round=round_).delete()
    start = time.perf_counter()
    run = services.round_rescore_start(round=round_, chunk_size=chunk_size)
    chunk_ids = list(run.chunks.order_by("index").values_list("pk", flat=True))
    if workers == 1:
        _score_chunks(chunk_ids)
    else:
        connections.close_all()
        shares = [chunk_ids[w::workers] for w in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_score_chunks, shares))
    elapsed = time.perf_counter() - start
    run.refresh_from_db()
    if run.status != "finished" or ScoreCard.objects.filter(round=round_).count() != (
        round_.assessments.count()
    ):
        raise SystemExit(f"the rescore did not finish: {run}")
    return elapsed


TABLES = ("scoring_scorecard", "scoring_indicatorscore", "scoring_scoredetail")


def dump_rows(round_: Round) -> list[str]:
    """The round's scorecard, indicator and detail rows in COPY text format."""
    card_ids = f"SELECT id FROM scoring_scorecard WHERE round_id = {round_.pk:d}"
    queries = (
        card_ids.replace("id", "*", 1),
        f"SELECT * FROM scoring_indicatorscore WHERE scorecard_id IN ({card_ids})",
        f"SELECT * FROM scoring_scoredetail WHERE scorecard_id IN ({card_ids})",
    )
    dumps = []
    with connection.cursor() as cursor:
        for query in queries:
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
            dumps.append(buffer.getvalue())
    return dumps


def time_copy(dumps: list[str], tables: tuple[str, ...]) -> float:
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for dump, table in zip(dumps, tables, strict=True):
            cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(dump))
    return time.perf_counter() - start


def time_copy_floors(round_: Round) -> tuple[float, float]:
    """COPY the rows the rescore wrote, committed, (1) into empty tables with the same
    columns, indexes and check constraints but no foreign keys, and (2) back into the real
    tables after deleting them there (deferred foreign-key checks included)."""
    dumps = dump_rows(round_)
    bare_tables = tuple(f"floor_{n}" for n in range(len(TABLES)))
    with connection.cursor() as cursor:
        for copy, original in zip(bare_tables, TABLES, strict=True):
            cursor.execute(f"CREATE TABLE {copy} (LIKE {original} INCLUDING ALL)")
    try:
        bare = time_copy(dumps, bare_tables)
    finally:
        with connection.cursor() as cursor:
            for table in bare_tables:
                cursor.execute(f"DROP TABLE {table}")
    ScoreCard.objects.filter(round=round_).delete()
    real = time_copy(dumps, TABLES)
    return bare, real


def cleanup(round_: Round) -> None:
    communities = list(round_.assessments.values_list("community_id", flat=True))
    round_delete(round=round_)
    Community.objects.filter(pk__in=communities).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--chunk", type=int, default=services.DEFAULT_CHUNK_SIZE)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    print(f"PostgreSQL {version}, chunk {args.chunk}, workers {args.workers}")
    header = (f"{'N':>7} {'rows':>8} {'engine/s':>9} {'seed s':>7} {'rescore s':>10} "
              f"{'comm./s':>8} {'COPY bare s':>12} {'x bare':>7} {'COPY real s':>12} "
              f"{'x real':>7}")  # fmt: skip
    print(header)
    results = []
    for n in args.sizes:
        start = time.perf_counter()
        round_, spec, answer_sets = seed(n)
        seeded = time.perf_counter() - start
        try:
            engine_rate = time_engine(spec, answer_sets)
            rescore = time_rescore(round_, args.chunk, args.workers)
            rows = sum(
                model.objects.filter(**{lookup: round_}).count()
                for model, lookup in (
                    (ScoreCard, "round"),
                    (IndicatorScore, "round"),
                    (ScoreDetail, "scorecard__round"),
                )
            )
            bare, real = time_copy_floors(round_)
        finally:
            cleanup(round_)
        results.append((n, rescore))
        print(f"{n:>7} {rows:>8} {engine_rate:>9.0f} {seeded:>7.1f} {rescore:>10.2f} "
              f"{n / rescore:>8.0f} {bare:>12.3f} {rescore / bare:>7.1f} {real:>12.3f} "
              f"{rescore / real:>7.1f}")  # fmt: skip
    if len(results) > 1:
        (n0, t0), (n1, t1) = results[0], results[-1]
        print(f"growth: {n1 / n0:.0f}x the communities took {t1 / t0:.1f}x the time")


if __name__ == "__main__":
    main()
