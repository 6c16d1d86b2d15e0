"""List pages at provincial and national scale, on PostgreSQL.

Seeds the demo data set with N communities (skipped when the database already has them;
seeding 100,000 with answers and history takes hours: grow a seeded 10,000 with
benchmarks/replicate.py instead), analyses the tables, then requests every list
page as the users who see it: the home list (administrator, officials of the province and
of a city, an assessor) with its filters and far pages, and the admin's list pages. Each
page is requested in process (middleware, view, template, database: the server's time,
without a network), and the script prints p50 and p95 over the runs and the number of SQL
queries of one request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench100k \\
        python benchmarks/list_pages.py --communities 100000 [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench100k")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments.models import Assessment, Region  # noqa: E402
from demo.seed import seed  # noqa: E402

PAGES = {
    "admin": [
        ("home", "/", {}),
        ("home, page 500", "/", {"page": "500"}),
        ("home, last page", "/", {"page": "99999"}),
        ("home, approved only", "/", {"status": "approved"}),
        ("home, search", "/", {"q": "阳光"}),
        ("admin: assessments", "/admin/assessments/assessment/", {}),
        ("admin: assessments, one city", "/admin/assessments/assessment/", {"city": "{city}"}),
        ("admin: assessments, search", "/admin/assessments/assessment/", {"q": "阳光"}),
        ("admin: communities", "/admin/assessments/community/", {}),
        ("admin: scorecards", "/admin/scoring/scorecard/", {}),
        ("admin: scorecards by total", "/admin/scoring/scorecard/", {"o": "-3"}),
        ("admin: evidence", "/admin/assessments/evidence/", {}),
        ("admin: regions", "/admin/assessments/region/", {}),
    ],
    "official": [("home", "/", {}), ("home, page 500", "/", {"page": "500"})],
    "official_jinan": [("home", "/", {}), ("home, last page", "/", {"page": "99999"})],
    "assessor1": [("home", "/", {}), ("home, last page", "/", {"page": "99999"})],
}


def measure(
    client: Client, url: str, params: dict[str, str], runs: int
) -> tuple[float, float, int]:
    for _ in range(3):
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: {response.status_code}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    p95 = statistics.quantiles(times, n=20)[-1]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    if Assessment.objects.count() < args.communities:
        seed(communities=args.communities)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    city = str(Region.objects.get(code="370100").pk)
    print(f"PostgreSQL {version}; {Assessment.objects.count():,} assessments; {args.runs} runs")
    print(f"{'user':<16} {'page':<32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for username, pages in PAGES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name, url, params in pages:
            params = {k: v.format(city=city) for k, v in params.items()}
            p50, p95, queries = measure(client, url, params, args.runs)
            print(f"{username:<16} {name:<32} {p50:>8.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
