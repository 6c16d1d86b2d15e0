"""Exports of the ranking and of the indicator scores: each reader's scope in each format,
the page's filters and sort, files that open right, and large exports through a job that
only its owner sees, written in the owner's scope and removed a day later."""

from __future__ import annotations

import csv
import io
import os
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from assessments.models import Community
from reports.exports import services
from reports.exports.tables import ExportTable
from reports.models import ExportJob
from scoring.models import IndicatorScore, ScoreCard

pytestmark = pytest.mark.django_db

RANKING = reverse("dashboard:ranking-export")
MATRIX = reverse("dashboard:matrix-export")
BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"
    return settings.EXPORT_ROOT


def content_of(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def table_of(response: Any) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of an exported file, whichever its format."""
    data = content_of(response)
    if response["Content-Type"].startswith("text/csv"):
        assert data.startswith(BOM)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        return rows[0], rows[1:]
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    return [str(h) for h in rows[0]], rows[1:]


def export(client: Any, user: Any, url: str = RANKING, **params: Any) -> Any:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response


@pytest.mark.parametrize("url", [RANKING, MATRIX])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize(
    ("who", "region"),
    [("admin", None), ("official", None), ("official_jinan", "jinan"), ("official_lixia", "lixia")],
)
def test_each_reader_exports_exactly_their_area(client, results, url, fmt, who, region):
    _header, rows = table_of(export(client, results.users[who], url, format=fmt))
    expected = set(results.communities) if region is None else results.in_region(region)
    assert sorted(row[1] for row in rows) == sorted(expected)


@pytest.mark.parametrize("url", [RANKING, MATRIX])
def test_assessors_cannot_export(client, results, url):
    client.force_login(results.users["assessor"])
    assert client.get(url).status_code == 403


def test_the_csv_starts_with_a_bom_and_reads_back_as_the_ranking(client, results):
    response = export(client, results.users["admin"], format="csv")
    assert content_of(response).startswith(BOM)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, rows = table_of(response)
    cards = ScoreCard.objects.filter(round=results.current).order_by("-total")
    assert len(header) == 7 + 4 + 7
    assert [row[1] for row in rows] == [c.assessment.community.name for c in cards]
    assert [row[0] for row in rows] == [str(c.rank) for c in cards]
    assert [row[5] for row in rows] == [f"{c.total:.2f}" for c in cards]
    first = cards[0]
    assert rows[0][2] == first.assessment.community.code
    assert rows[0][7:11] == [first.primaries[code] for code in ("L1", "L2", "L3", "L4")]


def test_the_xlsx_has_a_title_a_frozen_header_and_number_formats(client, results):
    response = export(client, results.users["official_jinan"])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(content_of(response))).worksheets[0]
    assert sheet.freeze_panes == "C3"
    title = str(sheet["A1"].value)
    assert results.current.name in title and "济南市" in title
    assert sheet["F3"].number_format == "0.00"
    assert isinstance(sheet["F3"].value, (int, float))
    assert sheet["H3"].number_format == "0.00"
    assert sheet["A3"].value == 1
    assert sheet.column_dimensions["B"].width >= 15
    assert sheet.max_row == 2 + len(results.in_region("jinan"))


def test_the_matrix_has_each_indicator_with_its_weight_and_scores(client, results):
    header, rows = table_of(export(client, results.users["admin"], MATRIX, format="csv"))
    catalog_codes = [h.split(" ")[0] for h in header[7:]]
    assert len(catalog_codes) == 24 and catalog_codes[0] == "L1P1"
    card = ScoreCard.objects.get(assessment=results.assessment("2026", "甲社区"))
    row = next(r for r in rows if r[1] == "甲社区")
    scores = {
        s.indicator.code: s.score
        for s in IndicatorScore.objects.filter(scorecard=card).select_related("indicator")
    }
    assert {code: Decimal(v) for code, v in zip(catalog_codes, row[7:], strict=True)} == scores
    assert row[5] == f"{card.total:.2f}"
    xlsx_header, xlsx_rows = table_of(export(client, results.users["admin"], MATRIX))
    assert xlsx_header[7].startswith("L1P1 ") and xlsx_header[7].rstrip(")）").endswith("3")
    assert len(xlsx_rows) == len(results.communities)


def test_exports_follow_the_pages_filters_and_sort(client, results):
    jinan = results.regions["jinan"]
    _header, rows = table_of(
        export(client, results.users["admin"], format="csv", city=jinan.pk, sort="name")
    )
    names = [row[1] for row in rows]
    assert set(names) == results.in_region("jinan")
    cards = ScoreCard.objects.filter(round=results.current, city=jinan)
    ordered = cards.order_by("assessment__community__name")
    assert names == [c.assessment.community.name for c in ordered]
    assert [row[0] for row in rows] == [str(c.rank_in_city) for c in ordered]
    _header, rural = table_of(export(client, results.users["admin"], MATRIX, area="rural"))
    assert {row[1] for row in rural} == {"丁社区", "己社区", "辛社区"}


def test_the_ranked_column_is_named_for_the_filter(client, results):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    header, _rows = table_of(export(client, results.users["admin"], peer="urban-m"))
    assert header[0] == "Rank in peer group"
    header, _rows = table_of(export(client, results.users["admin"]))
    assert header[0] == "Rank in province"


def test_the_file_is_named_for_the_round_and_area(client, results):
    response = export(client, results.users["official_jinan"], format="csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    name = disposition.split("filename*=UTF-8''")[1]
    assert name.endswith(quote(f"-{results.current.name}-济南市.csv"))
    lixia = results.regions["lixia"]
    response = export(
        client, results.users["admin"], city=results.regions["jinan"].pk, district=lixia.pk
    )
    assert response["Content-Disposition"].endswith(quote(f"-{results.current.name}-历下区.xlsx"))


def test_an_unknown_format_gives_the_workbook(client, results):
    response = export(client, results.users["admin"], format="pdf")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("url", [RANKING, MATRIX])
@pytest.mark.parametrize(
    "params",
    [
        {"city": "²", "district": "99999999999999999999", "sort": "--L1"},
        {"grade": "\x00", "status": "bogus", "area": "x" * 5000, "peer": "-"},
        {"q": "%_'\"", "format": "xlsx" * 100, "round": "-1"},
    ],
)
def test_odd_parameters_still_give_the_whole_export(client, results, url, params):
    _header, rows = table_of(export(client, results.users["official_jinan"], url, **params))
    assert {row[1] for row in rows} <= results.in_region("jinan")


def test_text_that_looks_like_a_formula_stays_text(client, results):
    Community.objects.filter(pk=results.communities["甲社区"].pk).update(name="=1+2社区")
    _header, rows = table_of(export(client, results.users["admin"], format="csv"))
    assert "'=1+2社区" in {row[1] for row in rows}
    response = export(client, results.users["admin"])
    sheet = load_workbook(io.BytesIO(content_of(response))).worksheets[0]
    cells = [row[1] for row in sheet.iter_rows(min_row=3)]
    cell = next(c for c in cells if c.value == "=1+2社区")
    assert cell.data_type == "s"


# -- large exports: jobs -----------------------------------------------------------------


@pytest.fixture
def small_inline(settings):
    settings.EXPORT_INLINE_ROWS = 2


def start_job(client: Any, user: Any, capture: Any, url: str = RANKING, **params: Any) -> Any:
    """As a person does it: the link shows what will be exported, its button starts it."""
    client.force_login(user)
    described = client.get(url, params)
    assert described.status_code == 200
    assert not ExportJob.objects.filter(owner=user).exists(), "a GET never starts a job"
    assert 'method="post"' in described.content.decode()
    with capture(execute=True):
        response = client.post(f"{url}?{urlencode(params)}")
    assert response.status_code == 302
    job = ExportJob.objects.get(owner=user)
    assert response["Location"].startswith(reverse("dashboard:export-status", args=[job.pk]))
    return job


@pytest.mark.usefixtures("small_inline")
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_large_export_goes_through_a_job_only_its_owner_sees(
    client, results, django_capture_on_commit_callbacks, monkeypatch, fmt
):
    monkeypatch.setattr(services, "CHUNK_ROWS", 4)  # written in two chunks
    owner = results.users["official_jinan"]
    job = start_job(client, owner, django_capture_on_commit_callbacks, format=fmt, sort="name")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.done == job.total == len(results.in_region("jinan")) == 6
    status = client.get(reverse("dashboard:export-status", args=[job.pk]))
    download = reverse("dashboard:export-download", args=[job.pk])
    assert status.status_code == 200 and download in status.content.decode()
    assert 'hx-trigger="every 2s"' not in status.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert quote(f"-{results.current.name}-济南市.{fmt}") in response["Content-Disposition"]
    _header, rows = table_of(response)
    assert sorted(row[1] for row in rows) == sorted(results.in_region("jinan"))
    by_name = ScoreCard.objects.filter(round=results.current, city=results.regions["jinan"])
    assert [row[1] for row in rows] == list(
        by_name.order_by("assessment__community__name").values_list(
            "assessment__community__name", flat=True
        )
    )
    for other in ("admin", "official", "official_lixia"):
        client.force_login(results.users[other])
        assert client.get(reverse("dashboard:export-status", args=[job.pk])).status_code == 404
        assert client.get(download).status_code == 404
    client.force_login(results.users["assessor"])
    assert client.get(download).status_code == 403


@pytest.mark.usefixtures("small_inline")
def test_the_page_before_a_large_export_says_what_it_holds(client, results):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(results.users["official_jinan"])
    text = client.get(RANKING).content.decode()
    assert f"This export has {len(results.in_region('jinan'))} rows." in text
    assert "No filters: everything in your scope." in text
    client.force_login(results.users["admin"])
    text = client.get(MATRIX, {"area": "urban"}).content.decode()
    urban = ScoreCard.objects.filter(
        round=results.current, assessment__community__area_type="urban"
    ).count()
    assert f"This export has {urban} rows." in text
    assert "Filtered by: Urban or rural" in text


@pytest.mark.usefixtures("small_inline")
def test_a_person_may_have_only_so_many_exports_under_way(client, results, settings):
    settings.EXPORT_MAX_ACTIVE = 2
    owner = results.users["admin"]
    for _n in range(2):
        ExportJob.objects.create(owner=owner, kind="ranking", format="csv", params={},
                                 download_name="排名.csv", file_name=f"{_n}.csv")  # fmt: skip
    client.force_login(owner)
    response = client.post(f"{RANKING}?format=csv")
    assert response.status_code == 409
    assert "2" in response.context["error"]
    assert ExportJob.objects.filter(owner=owner).count() == 2, "nothing new was queued"
    assert len(response.context["recent"]) == 2, "the page lists them, to follow them"
    other = results.users["official"]
    client.force_login(other)
    assert client.post(f"{RANKING}?format=csv").status_code == 302, "the limit is per person"


@pytest.mark.usefixtures("small_inline")
def test_the_matrix_export_goes_through_a_job_too(
    client, results, django_capture_on_commit_callbacks
):
    owner = results.users["official_lixia"]
    job = start_job(client, owner, django_capture_on_commit_callbacks, MATRIX)
    response = client.get(reverse("dashboard:export-download", args=[job.pk]))
    header, rows = table_of(response)
    assert len(header) == 7 + 24
    assert {row[1] for row in rows} == results.in_region("lixia")


def test_a_queued_job_polls_and_shows_its_progress(client, results):
    owner = results.users["admin"]
    job = services.export_job_create(
        owner=owner,
        kind="ranking",
        fmt="xlsx",
        params={"round": str(results.current.pk)},
        download_name="排名.xlsx",
    )  # the task runs on commit, which the test's transaction never reaches
    ExportJob.objects.filter(pk=job.pk).update(total=200, done=50)
    client.force_login(owner)
    url = reverse("dashboard:export-status", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    assert 'value="50"' in page and "25%" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert client.get(reverse("dashboard:export-download", args=[job.pk])).status_code == 404


def test_a_job_runs_in_its_owners_scope_as_it_is_now(client, results):
    owner = results.users["official"]
    job = services.export_job_create(
        owner=owner,
        kind="ranking",
        fmt="csv",
        params={"round": str(results.current.pk), "city": str(results.regions["qingdao"].pk)},
        download_name="排名.csv",
    )
    owner.region = results.regions["lixia"]
    owner.save()
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    rows = list(csv.reader(io.StringIO(services.export_path(job).read_text("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} <= results.in_region("lixia")


def test_a_job_whose_owner_may_no_longer_see_results_fails_with_a_reason(results):
    owner = results.users["official_jinan"]
    job = services.export_job_create(
        owner=owner,
        kind="matrix",
        fmt="xlsx",
        params={"round": str(results.current.pk), "language": "en"},
        download_name="x.xlsx",
    )
    owner.role = Role.ASSESSOR
    owner.region = None
    owner.save()
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "You may no longer see these results."
    assert not services.export_path(job).exists()


def test_a_job_writes_in_chunks_and_records_its_progress(results, monkeypatch):
    job = services.export_job_create(
        owner=results.users["admin"],
        kind="matrix",
        fmt="xlsx",
        params={"round": str(results.current.pk)},
        download_name="指标得分.xlsx",
    )
    monkeypatch.setattr(services, "CHUNK_ROWS", 3)
    seen = []
    rows = ExportTable.rows

    def rows_noting_progress(self: ExportTable, ids: list[int]) -> list[list[Any]]:
        seen.append(ExportJob.objects.values_list("status", "done", "total").get(pk=job.pk))
        return rows(self, ids)

    monkeypatch.setattr(ExportTable, "rows", rows_noting_progress)
    services.export_job_run(job_id=job.pk)
    assert seen == [("running", 0, 8), ("running", 3, 8), ("running", 6, 8)]
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 8, 8)
    assert job.finished_at is not None


def test_running_a_job_twice_gives_the_same_file(results):
    job = services.export_job_create(
        owner=results.users["admin"],
        kind="ranking",
        fmt="csv",
        params={"round": str(results.current.pk)},
        download_name="排名.csv",
    )
    services.export_job_run(job_id=job.pk)
    path = services.export_path(job)
    first = path.read_bytes()
    os.utime(path, (0, 0))
    services.export_job_run(job_id=job.pk)  # done and present: left alone
    assert path.stat().st_mtime == 0
    path.unlink()
    services.export_job_run(job_id=job.pk)  # the file went missing: written again
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_the_sweep_removes_jobs_and_files_older_than_a_day(results, export_root):
    def finished_job() -> ExportJob:
        job = services.export_job_create(
            owner=results.users["admin"],
            kind="ranking",
            fmt="csv",
            params={"round": str(results.current.pk)},
            download_name="排名.csv",
        )
        services.export_job_run(job_id=job.pk)
        return job

    old, fresh = finished_job(), finished_job()
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    leftover = export_root / "abandoned.csv.1234.part"
    leftover.write_text("x")
    os.utime(leftover, (0, 0))
    found = services.export_jobs_sweep()
    assert found["expired"] == 1 and found["leftover_files"] == 1
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not services.export_path(old).exists() and not leftover.exists()
    assert ExportJob.objects.filter(pk=fresh.pk).exists()
    assert services.export_path(fresh).exists()


def test_the_sweep_fails_lost_jobs_and_sends_queued_ones_again(
    results, django_capture_on_commit_callbacks
):
    def job(status: str, minutes: int) -> ExportJob:
        made = services.export_job_create(
            owner=results.users["admin"],
            kind="ranking",
            fmt="csv",
            params={"round": str(results.current.pk), "language": "en"},
            download_name="x.csv",
        )
        ExportJob.objects.filter(pk=made.pk).update(
            status=status, created_at=timezone.now() - timedelta(minutes=minutes)
        )
        return made

    lost, queued, fresh = job("running", 45), job("pending", 10), job("pending", 1)
    found = services.export_jobs_sweep()
    assert (found["interrupted"], found["resent"]) == (1, 1)
    lost.refresh_from_db()
    assert lost.status == "failed" and "interrupted" in lost.error
    queued.refresh_from_db()
    assert queued.status == "done"  # sent again, run in process
    fresh.refresh_from_db()
    assert fresh.status == "pending"


def test_the_sweep_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["exports-sweep"]
    assert entry["task"] == "reports.exports_sweep"
