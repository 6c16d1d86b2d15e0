"""A ZIP of N scorecards built by real Celery workers, with one worker and with two.

It takes N approved, scored assessments of one round of a seeded database, queues a batch
of their scorecards (chunks of 10, one message each) and times it from the first message
to the finished ZIP, with 1 and then 2 worker processes (concurrency 1 each) on Redis.
Stored PDFs of those scorecards are deleted before each run, so every one is rendered.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 \\
        python benchmarks/scorecard_batch.py [--count 1000] [--workers 1 2]

Seed the database first (the year before's round of the demo is all approved):

    DATABASE_URL=... python manage.py migrate && python manage.py seed_demo --communities 1000

The Redis database named by REDIS_URL is emptied: give it one of its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("PDF_ROOT", str(ROOT / "var" / "bench-pdfs"))
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.db.models import Count  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from assessments.choices import AssessmentStatus  # noqa: E402
from assessments.models import Round  # noqa: E402
from reports.models import PdfBatch, RenderedPdf  # noqa: E402
from reports.pdf import batches  # noqa: E402
from reports.pdf.scorecard import scorecard_key  # noqa: E402
from reports.pdf.store import pdf_root  # noqa: E402
from reports.scope import area_scope  # noqa: E402
from scoring.models import ScoreCard  # noqa: E402


def pick(count: int) -> tuple[Round, list[int]]:
    """The round with the most approved scorecards, and ``count`` of them."""
    approved = ScoreCard.objects.filter(assessment__status=AssessmentStatus.APPROVED)
    best = approved.values("round").annotate(n=Count("pk")).order_by("-n").first()
    if best is None or best["n"] < count:
        found = best["n"] if best else 0
        raise SystemExit(f"need {count} approved scorecards in one round, found {found}")
    round_ = Round.objects.get(pk=best["round"])
    scope = area_scope(round_, None)
    ids = list(batches.batch_cards(scope, None).values_list("assessment_id", flat=True)[:count])
    return round_, ids


def clear_pdfs(ids: list[int]) -> None:
    """Forget the stored PDFs of the scorecards, so each run renders every one."""
    RenderedPdf.objects.filter(key__in=[scorecard_key(pk, "zh") for pk in ids]).delete()
    shutil.rmtree(pdf_root(), ignore_errors=True)


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "portal",
            "--concurrency", "1", "--loglevel", "INFO", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "-n", f"bench-{uuid.uuid4().hex}@%h",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def wait_ready(log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if b"ready." in log.read_bytes():
            return
        time.sleep(0.2)
    raise SystemExit(f"a worker did not start: see {log}")


def run(owner: User, round_: Round, ids: list[int], workers: int) -> float:
    clear_pdfs(ids)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    logs = [ROOT / "var" / f"bench-worker-{n}.log" for n in range(workers)]
    processes = [start_worker(log) for log in logs]
    try:
        for log in logs:
            wait_ready(log)
        batch = PdfBatch.objects.create(
            owner=owner,
            round=round_,
            language="zh",
            assessment_ids=ids,
            chunk_size=batches.CHUNK_SIZE,
            total=len(ids),
            file_name=f"{batches.FOLDER}/bench-{uuid.uuid4().hex}.zip",
            download_name="bench.zip",
        )
        start = time.perf_counter()
        batches.pdf_batch_resume(batch=batch)
        while True:
            batch.refresh_from_db()
            if batch.status in (PdfBatch.Status.DONE, PdfBatch.Status.FAILED):
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    if batch.status != PdfBatch.Status.DONE:
        raise SystemExit(f"the batch failed: {batch.error}")
    with zipfile.ZipFile(batches.batch_path(batch)) as archive:
        if len(archive.namelist()) != len(ids):
            raise SystemExit(f"the ZIP holds {len(archive.namelist())} of {len(ids)} PDFs")
    batches.batch_path(batch).unlink()
    batch.delete()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from config.celery import app

    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_BROKER_URL = os.environ["REDIS_URL"]

    owner = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).order_by("pk").first()
    if owner is None:
        raise SystemExit("no administrator in the database: run seed_demo first")
    round_, ids = pick(args.count)
    print(f"{len(ids)} approved scorecards of {round_.name}, chunks of {batches.CHUNK_SIZE}")
    print(f"{'workers':>8} {'seconds':>9} {'per second':>11} {'speed-up':>9}")
    first = None
    for workers in args.workers:
        seconds = run(owner, round_, ids, workers)
        first = first or seconds
        print(
            f"{workers:>8} {seconds:>9.1f} {len(ids) / seconds:>11.2f} {first / seconds:>8.2f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
