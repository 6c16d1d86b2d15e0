"""The assessment page in a round of 10,000 communities, on PostgreSQL.

Seeds the demo data set (skipped when the database already has it), then, as the assessor
of a draft assessment with every item answered:

- renders the whole page (46 items, preview, evidence, history),
- asks for the live preview of one indicator as typed (nothing saved),
- saves one indicator and gets the refreshed preview back, each save with a new value,
  as htmx does after a pause in typing.

Requests run in process (middleware, view, template, database: the server's time, without
a network). Saving hands the rescoring to Celery through Redis, as in production; the
script uses its own Redis database and empties it afterwards. It also times what the
worker then does for that one assessment. It prints p50 and p95 and the SQL queries of one
request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench10k \\
    REDIS_URL=redis://127.0.0.1:6379/14 python benchmarks/assessment_page.py [--runs 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench10k")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments import services  # noqa: E402
from assessments.models import Assessment, AssessmentEvent, AssessmentStatus, Evidence  # noqa: E402
from demo.seed import seed  # noqa: E402
from scoring.services import scorecards_compute  # noqa: E402

INDICATOR = "L1P8"  # smart lighting: two ratio items, four figures


def timed(action: Callable[[int], object], runs: int) -> tuple[float, float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def count_queries(action: Callable[[int], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        action(0)
    return len(queries)


def lighting(n: int) -> dict[str, str]:
    """The indicator's form as typed: a different figure every time."""
    return {
        "L1P8.1.numerator": str(400 + n % 500),
        "L1P8.1.denominator": "1000",
        "L1P8.2.baseline": "200000",
        "L1P8.2.actual": str(150000 - n % 1000),
        f"{INDICATOR}.note": f"路灯台账第{n}版",
    }


def pick(assessor: User) -> Assessment:
    """The assessor's fully answered draft with the most history (the lowest id of them,
    so reruns take the same one)."""
    found = (
        Assessment.objects.filter(
            assessors=assessor, status=AssessmentStatus.DRAFT, answered_count__gte=45
        )
        .order_by("-answered_count", "pk")
        .first()
    )
    if found is None:
        raise SystemExit("no fully answered draft for assessor1: reseed the database")
    return found


def with_evidence(assessment: Assessment, assessor: User, files: int) -> None:
    """Attach ``files`` small PDFs (one per item, in item order) unless already there."""
    have = Evidence.objects.filter(assessment=assessment).count()
    codes = list(assessment.round.framework.items.order_by("pk").values_list("code", flat=True))
    for n in range(have, files):
        services.evidence_add_file(
            actor=assessor,
            assessment=assessment,
            item_code=codes[n % len(codes)],
            upload=SimpleUploadedFile(f"台账{n}.pdf", b"%PDF-1.4\n%%EOF\n" + bytes(n)),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--evidence", type=int, default=30, help="files on the assessment")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.ping()
    call_command("migrate", verbosity=0)
    if Assessment.objects.count() < args.communities:
        start = time.perf_counter()
        seed(communities=args.communities)
        print(f"seeded {args.communities:,} communities in {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()

    assessor = User.objects.get(username="assessor1")
    assessment = pick(assessor)
    with_evidence(assessment, assessor, args.evidence)
    client = Client()
    client.force_login(assessor)
    page_url = reverse("assessments:page", args=[assessment.pk])
    preview_url = reverse("assessments:indicator-preview", args=[assessment.pk, INDICATOR])
    save_url = reverse("assessments:indicator-save", args=[assessment.pk, INDICATOR])
    htmx = {"HX-Request": "true"}

    def page(_n: int) -> None:
        response = client.get(page_url)
        if response.status_code != 200:
            raise SystemExit(f"page: {response.status_code}")

    def preview(n: int) -> None:
        response = client.post(preview_url, lighting(n), headers=htmx)
        if response.status_code != 200 or b"data-score-for" not in response.content:
            raise SystemExit(f"preview: {response.status_code}")

    def save(n: int) -> None:
        current = Assessment.objects.values_list("version", flat=True).get(pk=assessment.pk)
        response = client.post(save_url, {**lighting(n), "version": str(current)}, headers=htmx)
        if response.status_code != 200 or b'class="save-status"' not in response.content:
            raise SystemExit(f"save: {response.status_code} {response.content[:300]!r}")

    def rescore(_n: int) -> None:
        scorecards_compute(assessment_ids=[assessment.pk])

    rows = []
    try:
        for name, action in (
            ("page (GET, whole assessment)", page),
            ("preview of one indicator", preview),
            ("save one indicator + preview", save),
            ("worker: rescore the assessment", rescore),
        ):
            for n in range(3):
                action(10_000 + n)
            p50, p95 = timed(action, args.runs)
            rows.append((name, p50, p95, count_queries(action)))
    finally:
        broker.flushdb()

    assessment.refresh_from_db()
    events = AssessmentEvent.objects.filter(assessment=assessment).count()
    files = Evidence.objects.filter(assessment=assessment).count()
    print(
        f"PostgreSQL {version}; {Assessment.objects.count():,} assessments; "
        f"assessment {assessment.pk}: {assessment.answered_count} items answered, "
        f"{files} evidence files, {events:,} history entries; {args.runs} runs"
    )
    print(f"{'request':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, p50, p95, queries in rows:
        print(f"{name:<34} {p50:>8.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
