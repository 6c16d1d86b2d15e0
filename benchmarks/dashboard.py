"""Every dashboard page at provincial scale, on PostgreSQL.

Seeds the demo data set with N communities (skipped when the database already has them),
brings the standings up to date, analyses the tables, then requests every dashboard page
as the province's administrator and as the Jinan city official: the overview, the ranking
(default, filtered, sorted by an indicator, a far page, a search), a community's scorecard
and its path to the next grade, three communities compared, the heat maps, the regions,
the trends and the ranking stability page. Requests run in process (middleware, view,
template, database: the server's time, without a network); the script prints p50 and p95
over the runs and the SQL queries of one request.

Then it times the exports: a ranking of one district answered at once, and the whole
indicator matrix of the round written by the export job (the service the Celery task
calls, run here in process), with its row count and file size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench10k \\
        python benchmarks/dashboard.py [--communities 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench10k")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.pop("REDIS_URL", None)  # exports run in process; standings are refreshed below
os.environ["EXPORT_ROOT"] = tempfile.mkdtemp(prefix="bench-exports-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments.models import Answer, Assessment, Region, RegionLevel, Round  # noqa: E402
from demo.seed import seed  # noqa: E402
from reports.exports import services as exports  # noqa: E402
from reports.models import ExportJob  # noqa: E402
from scoring.models import ScoreCard  # noqa: E402
from scoring.services import ranks_refresh, scores_changed  # noqa: E402

Page = tuple[str, str, dict[str, Any]]


def pages(city: Region, district: Region, cards: list[ScoreCard]) -> list[Page]:
    """The pages as a reader moves through the dashboard; ``cards`` are three scorecards of
    the city (best, middle, last), so both readers may open them."""
    middle = cards[1].assessment.community_id
    dash = "dashboard:"
    return [
        ("overview", reverse(f"{dash}overview"), {}),
        ("ranking", reverse(f"{dash}ranking"), {}),
        ("ranking, one district", reverse(f"{dash}ranking"), {"district": district.pk}),
        ("ranking, sorted by L2", reverse(f"{dash}ranking"), {"sort": "L2"}),
        ("ranking, page 40", reverse(f"{dash}ranking"), {"page": "40"}),
        ("ranking, grade + peers", reverse(f"{dash}ranking"), {"grade": "pass", "peer": "urban-m"}),
        ("ranking, search", reverse(f"{dash}ranking"), {"q": "阳光"}),
        ("community scorecard", reverse(f"{dash}community", args=[middle]), {}),
        ("path to the next grade", reverse(f"{dash}next-grade", args=[middle]), {}),
        (
            "three compared",
            reverse(f"{dash}compare"),
            {"c": [c.assessment.community_id for c in cards]},
        ),
        ("heat map, communities", reverse(f"{dash}heatmap"), {}),
        ("heat map, by L3 worst", reverse(f"{dash}heatmap"), {"sort": "L3", "dir": "asc"}),
        ("heat map, regions", reverse(f"{dash}heatmap-regions"), {}),
        ("regions", reverse(f"{dash}regions"), {}),
        ("region: the city", reverse(f"{dash}region", args=[city.pk]), {}),
        ("region: a district", reverse(f"{dash}region", args=[district.pk]), {}),
        ("trends", reverse(f"{dash}trends"), {}),
        ("ranking stability", reverse(f"{dash}stability"), {}),
    ]


def timed(client: Client, url: str, params: dict[str, Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: {response.status_code}")
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def queries(client: Client, url: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return len(captured)


def export_figures(admin: User, round_: Round, district: Region) -> list[tuple[str, float, str]]:
    client = Client()
    client.force_login(admin)
    rows = []
    url = reverse("dashboard:ranking-export")
    for fmt in ("xlsx", "csv"):
        start = time.perf_counter()
        params: dict[str, Any] = {"city": district.city_id, "district": district.pk, "format": fmt}
        response = client.get(url, params)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200 or not response.get("Content-Disposition"):
            raise SystemExit(f"inline export: {response.status_code}")
        size = f"{len(response.content):,} B"
        rows.append((f"ranking of a district, .{fmt} (at once)", elapsed, size))
    for fmt in ("csv", "xlsx"):
        # Without a broker the job runs in process as it is created (on commit).
        start = time.perf_counter()
        job = exports.export_job_create(
            owner=admin,
            kind=ExportJob.Kind.MATRIX,
            fmt=fmt,
            params={"round": str(round_.pk), "language": "zh-hans"},
            download_name=f"matrix.{fmt}",
        )
        exports.export_job_run(job_id=job.pk)  # done already: returns at once
        elapsed = (time.perf_counter() - start) * 1000
        job.refresh_from_db()
        if job.status != ExportJob.Status.DONE:
            raise SystemExit(f"matrix export: {job.status} {job.error}")
        written = exports.export_path(job).stat().st_size
        rows.append((f"whole matrix, .{fmt} (job, {job.total:,} rows)", elapsed, f"{written:,} B"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communities", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    if Assessment.objects.filter(round__name__startswith="2026").count() < args.communities:
        start = time.perf_counter()
        seed(communities=args.communities)
        print(f"seeded {args.communities:,} communities in {time.perf_counter() - start:.0f} s")
    round_ = Round.objects.order_by("-period_start").first()
    if round_ is None:
        raise SystemExit("no round: reseed the database")
    scores_changed(round_ids=[round_.pk])  # time a whole refresh, as after a change
    start = time.perf_counter()
    ranks_refresh(round_ids=[round_.pk])
    refresh_ms = (time.perf_counter() - start) * 1000
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()

    official = User.objects.get(username="official_jinan")
    city = official.region
    if city is None:
        raise SystemExit("official_jinan has no region: reseed the database")
    district = Region.objects.filter(level=RegionLevel.DISTRICT, city=city).order_by("code")[0]
    # Seeded communities (with answers and details), not copies made by replicate.py.
    answered = Answer.objects.filter(assessment=OuterRef("assessment"))
    in_city = list(
        ScoreCard.objects.filter(Exists(answered), round=round_, city=city)
        .select_related("assessment")
        .order_by("rank")
        .only("assessment__community_id")
    )
    cards = [in_city[0], in_city[len(in_city) // 2], in_city[-1]]
    readers = {"administrator": User.objects.get(username="admin"), "official of Jinan": official}

    print(
        f"PostgreSQL {version}; {ScoreCard.objects.filter(round=round_).count():,} scorecards "
        f"in {round_.name}; {ScoreCard.objects.filter(round=round_, city=city).count():,} in "
        f"{city.name}; {args.runs} runs; "
        f"standings refresh (ranks + area statistics): {refresh_ms:.0f} ms"
    )
    for reader, user in readers.items():
        client = Client()
        client.force_login(user)
        print(f"\n{reader}")
        print(f"{'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for name, url, params in pages(city, district, cards):
            client.get(url, params)  # warm the caches a real server would have warm
            p50, p95 = timed(client, url, params, args.runs)
            print(f"{name:<26} {p50:>8.1f} {p95:>8.1f} {queries(client, url, params):>8}")

    print(f"\n{'export':<44} {'ms':>8} {'size':>14}")
    for name, elapsed, size in export_figures(readers["administrator"], round_, district):
        print(f"{name:<44} {elapsed:>8.0f} {size:>14}")


if __name__ == "__main__":
    main()
