"""Rendering PDF scorecards: seconds per scorecard and pages per second.

Seeds the demo data set with N communities (skipped when the database already has them),
then renders the scorecards of the first COUNT approved assessments of the newest round in
one process, as the render task does (build the document from the database, lay it out
and write the PDF with WeasyPrint, store it), with nothing stored beforehand. Prints the
median and p95 seconds per scorecard (building the HTML and rendering separately), pages
per second, and page counts and file sizes; then the fonts of one file (embedded subsets)
and the time to serve a stored scorecard again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_pdf \\
        python benchmarks/scorecards.py [--communities 300] [--count 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_pdf")
os.environ["DEBUG"] = "false"
os.environ.pop("REDIS_URL", None)
os.environ["PDF_ROOT"] = tempfile.mkdtemp(prefix="bench-pdfs-")

import django  # noqa: E402

django.setup()

from assessments.choices import AssessmentStatus  # noqa: E402
from assessments.models import Assessment, Round  # noqa: E402
from demo.seed import seed  # noqa: E402
from reports.models import RenderedPdf  # noqa: E402
from reports.pdf.scorecard import scorecard_document  # noqa: E402
from reports.pdf.store import current_pdf, pdf_path, pdf_store  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=300)
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    newest = Round.objects.order_by("-period_start").first()
    if newest is None or Assessment.objects.filter(round=newest).count() < args.communities:
        print(f"seeding {args.communities} communities ...")
        seed(communities=args.communities, log=lambda _m: None)
    round_ = Round.objects.order_by("-period_start").first()
    if round_ is None:
        raise SystemExit("no round: seed the database first")
    ids = list(
        Assessment.objects.filter(
            round=round_, status=AssessmentStatus.APPROVED, scorecard__isnull=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: args.count]
    )
    RenderedPdf.objects.all().delete()
    # One scorecard first: loading the fonts and templates belongs to a worker's start.
    warm = time.perf_counter()
    pdf_store(scorecard_document(assessment_id=ids[0], language="zh"))
    first = time.perf_counter() - warm
    RenderedPdf.objects.all().delete()

    build, render, total, pages, sizes = [], [], [], [], []
    started = time.perf_counter()
    for assessment_id in ids:
        t0 = time.perf_counter()
        document = scorecard_document(assessment_id=assessment_id, language="zh")
        t1 = time.perf_counter()
        stored = pdf_store(document)
        t2 = time.perf_counter()
        build.append(t1 - t0)
        render.append(t2 - t1)
        total.append(t2 - t0)
        pages.append(stored.pages)
        sizes.append(stored.size)
    elapsed = time.perf_counter() - started

    print(f"{len(ids)} scorecards of {round_.name} (approved), one process, nothing stored before")
    print(f"  first scorecard of the process: {first:.2f} s (fonts and templates loaded)")
    median, p95 = statistics.median(total), percentile(total, 0.95)
    print(
        f"  per scorecard: median {median:.3f} s, p95 {p95:.3f} s"
        f" (building the HTML: median {statistics.median(build) * 1000:.0f} ms;"
        f" WeasyPrint and storing: median {statistics.median(render):.3f} s)"
    )
    print(f"  {sum(pages)} pages in {elapsed:.1f} s: {sum(pages) / elapsed:.1f} pages/s")
    print(
        f"  pages per scorecard: {min(pages)}-{max(pages)} (median {statistics.median(pages):g});"
        f" file size: median {statistics.median(sizes) / 1024:.0f} KB,"
        f" max {max(sizes) / 1024:.0f} KB"
    )

    t0 = time.perf_counter()
    for _ in range(20):
        found = current_pdf(scorecard_document(assessment_id=ids[0], language="zh"))
    reuse = (time.perf_counter() - t0) / 20
    if found is None:
        raise SystemExit("the stored scorecard was not found again")
    print(
        f"  serving a stored scorecard again (build HTML, compare its hash): {reuse * 1000:.0f} ms"
    )
    fonts = subprocess.run(  # noqa: S603
        ["pdffonts", str(pdf_path(found))],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    print(
        "  fonts of one file: "
        + "; ".join(" ".join(line.split()[:1] + line.split()[-5:-3]) for line in fonts)
    )


if __name__ == "__main__":
    main()
