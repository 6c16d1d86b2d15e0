"""The REST API's list endpoints at provincial scale, on PostgreSQL.

Seeds the demo data set with N communities (skipped when the database already has them),
then asks each list endpoint for a page of 100 rows, with a real API token, as the
province's administrator, as the Jinan city official and as an assessor: assessments
(plain, filtered by city and status, a far page, a search), communities, regions, the
ranking (plain, by district, sorted by an indicator) and an assessment's history. Requests
run in process (middleware, authentication, view, serializer, database: the server's time
without a network); the script prints p50 and p95 over the runs and the SQL queries of one
request. The issue's bar: p95 at most 200 ms for a page of 100 at 10,000 communities.

Then it times one bulk import of answers for 100 communities (validated, saved, rolled
back) and a dry run of the same.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench10k \\
        python benchmarks/api_lists.py [--communities 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench10k")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.pop("REDIS_URL", None)
os.environ["API_TOKEN_RATE"] = "1000000/minute"  # noqa: S105 (a rate, not a secret)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.tokens import api_token_create  # noqa: E402
from assessments.models import Assessment, Region, RegionLevel, Round  # noqa: E402
from config.runtime import settle_process  # noqa: E402
from demo.seed import seed  # noqa: E402
from scoring.services import ranks_refresh  # noqa: E402

Request = tuple[str, str, dict[str, Any]]
PAGE = {"page_size": 100}


def requests_for(
    round_: Round, city: Region, district: Region, sample: Assessment
) -> list[Request]:
    r = {"round": round_.pk, **PAGE}
    return [
        ("assessments", "/api/v1/assessments/", r),
        ("assessments, city + status", "/api/v1/assessments/", {**r, "city": city.pk,
                                                                 "status": "submitted"}),
        ("assessments, page 40", "/api/v1/assessments/", {**r, "page": 40}),
        ("assessments, search", "/api/v1/assessments/", {**r, "q": "阳光"}),
        ("communities", "/api/v1/communities/", PAGE),
        ("communities, district", "/api/v1/communities/", {**PAGE, "district": district.pk}),
        ("regions", "/api/v1/regions/", PAGE),
        ("ranking", "/api/v1/rankings/", r),
        ("ranking, district", "/api/v1/rankings/", {**r, "city": city.pk,
                                                     "district": district.pk}),
        ("ranking, sorted by L2", "/api/v1/rankings/", {**r, "sort": "L2"}),
        ("history of one", f"/api/v1/assessments/{sample.pk}/history/", PAGE),
    ]  # fmt: skip


def client_for(user: User) -> Client:
    _token, secret = api_token_create(actor=None, user=user, name="benchmark")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def timed(client: Client, url: str, params: dict[str, Any], runs: int) -> tuple[float, float, int]:
    times = []
    rows = 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: {response.status_code} {response.content[:300]!r}")
        rows = len(response.json().get("results", []))
    return statistics.median(times), statistics.quantiles(times, n=20)[-1], rows


def queries(client: Client, url: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return len(captured)


def bulk_import(admin: User, round_: Round, n: int) -> list[tuple[str, float]]:
    """A bulk import of ``n`` communities' answers as the API takes it: each community's
    stored answers sent back with one ratio changed; the real run is rolled back."""
    from assessments.services import stored_answers_by_assessment

    chosen = list(
        Assessment.objects.filter(round=round_, status__in=("draft", "returned"))
        .select_related("community")
        .order_by("pk")[:n]
    )
    stored = stored_answers_by_assessment([a.pk for a in chosen])
    entries = []
    for a in chosen:
        answers = dict(stored.get(a.pk, {}))
        answers["L1P8.1"] = {"numerator": 480 + a.pk % 7, "denominator": 1000}
        entries.append({"community": a.community.code, "answers": answers})
    client = client_for(admin)
    figures = []
    for dry in (True, False):
        body = json.dumps({"round": round_.pk, "dry_run": dry, "assessments": entries})
        with transaction.atomic():
            start = time.perf_counter()
            response = client.post(
                "/api/v1/imports/answers/", body, content_type="application/json"
            )
            elapsed = (time.perf_counter() - start) * 1000
            transaction.set_rollback(True)
        if response.status_code != 200:
            raise SystemExit(f"bulk import: {response.status_code} {response.content[:500]!r}")
        label = "dry run" if dry else "saved, then rolled back"
        figures.append((f"bulk import of {len(entries)} communities ({label})", elapsed))
    return figures


def main() -> None:
    settle_process()  # as config/wsgi.py does in every server process
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
    ranks_refresh(round_ids=[round_.pk])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    official = User.objects.get(username="official_jinan")
    city = official.region
    if city is None:
        raise SystemExit("official_jinan has no region: reseed the database")
    district = Region.objects.filter(level=RegionLevel.DISTRICT, city=city).order_by("code")[0]
    sample = Assessment.objects.filter(round=round_, community__city=city).order_by("pk")[0]
    readers = {
        "administrator": User.objects.get(username="admin"),
        "official of Jinan": official,
        "assessor": User.objects.filter(role=Role.ASSESSOR, username="assessor1").get(),
    }
    total = Assessment.objects.filter(round=round_).count()
    print(f"PostgreSQL {version}; {total:,} assessments in {round_.name}; {args.runs} runs")
    for reader, user in readers.items():
        client = client_for(user)
        print(f"\n{reader}")
        print(
            f"{'request (page of 100)':<28} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"
        )
        for name, url, params in requests_for(round_, city, district, sample):
            warm = client.get(url, params)
            if warm.status_code in (403, 404):
                print(
                    f"{name:<28} {'-':>5} {'(' + str(warm.status_code) + ' for this reader)':>26}"
                )
                continue
            p50, p95, rows = timed(client, url, params, args.runs)
            print(f"{name:<28} {rows:>5} {p50:>8.1f} {p95:>8.1f} {queries(client, url, params):>8}")
    print()
    for name, elapsed in bulk_import(readers["administrator"], round_, 100):
        print(f"{name:<56} {elapsed:>8.0f} ms")


if __name__ == "__main__":
    main()
