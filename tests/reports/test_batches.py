"""Batches of scorecards as a ZIP: what the archive holds (one PDF per approved scorecard of
the area, nothing else), chunks counted once however often they are delivered, the
progress page, who may start, follow and download a batch, the sweep, and a real worker
killed in the middle of a batch that a new worker finishes."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments import services as assessment_services
from assessments.models import Answer, Community
from common.errors import ConflictError, ValidationFailed
from demo.answers import make_answers
from indicators.models import Item
from reports.models import PdfBatch, PdfBatchChunk
from reports.pdf import batches
from reports.scope import area_scope, dashboard_scope
from scoring.services import scorecards_compute
from tests.factories import UserFactory, make_round, region_chain
from tests.scoring.test_queue import Worker, broker, wait_for  # noqa: F401

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:batches")


@pytest.fixture(autouse=True)
def pdf_root(settings: Any, tmp_path: Path) -> Path:
    settings.PDF_ROOT = tmp_path / "pdfs"
    return settings.PDF_ROOT


def status_url(batch: PdfBatch) -> str:
    return reverse("dashboard:batch-status", args=[batch.pk])


def download_url(batch: PdfBatch) -> str:
    return reverse("dashboard:batch-download", args=[batch.pk])


def names_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def expected_names(results: Any, names: set[str]) -> set[str]:
    found = set()
    for name in names:
        community = results.communities[name]
        area = community.district or community.city
        found.add(f"{area.name}/{community.name}-{community.code}.pdf")
    return found


def make_batch(results: Any, owner_key: str = "official_jinan", **values: Any) -> PdfBatch:
    ids = [results.assessment("2026", name).pk for name in ("甲社区", "丙社区")]
    fields: dict[str, Any] = {
        "owner": results.users[owner_key],
        "round": results.current,
        "region": results.regions["jinan"],
        "language": "zh",
        "assessment_ids": ids,
        "total": len(ids),
        "file_name": "batches/test.zip",
        "download_name": "评分卡.zip",
    }
    return PdfBatch.objects.create(**{**fields, **values})


def test_a_batch_zips_one_pdf_per_approved_scorecard_of_the_area(
    client, results, django_capture_on_commit_callbacks
):
    official = results.users["official_jinan"]
    client.force_login(official)
    jinan = results.regions["jinan"]
    page = client.get(URL, {"round": results.current.pk, "region": jinan.pk})
    assert page.status_code == 200
    assert page.context["count"] == 2  # 甲 and 丙: 乙 is submitted, 丁 and 己 drafts, 戊 returned

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{URL}?round={results.current.pk}", {"region": jinan.pk, "language": "zh"}
        )
    batch = PdfBatch.objects.get(owner=official)
    assert response.status_code == 302
    assert response["Location"].startswith(status_url(batch))
    assert (batch.status, batch.done, batch.total) == ("done", 2, 2)
    assert batch.chunks.count() == batch.chunks_total == 1

    download = client.get(download_url(batch))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    files = names_of(b"".join(download.streaming_content))
    assert set(files) == expected_names(results, {"甲社区", "丙社区"})
    assert (
        set(files) & expected_names(results, results.in_region("jinan") - {"甲社区", "丙社区"})
        == set()
    )
    for name, data in files.items():
        assert data.startswith(b"%PDF"), name
    with zipfile.ZipFile(batches.batch_path(batch)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_a_province_batch_holds_every_approved_scorecard_of_the_round(results):
    scope = area_scope(results.current, None)
    ids = set(batches.batch_cards(scope, None).values_list("assessment_id", flat=True))
    approved = {results.assessment("2026", name).pk for name in ("甲社区", "丙社区", "庚社区")}
    assert ids == approved


def test_a_chunk_delivered_twice_counts_once(results, django_capture_on_commit_callbacks):
    batch = make_batch(results, chunk_size=1)
    assert batch.chunks_total == 2
    with django_capture_on_commit_callbacks(execute=True):
        batches.pdf_batch_chunk(batch_id=batch.pk, number=0)
        batches.pdf_batch_chunk(batch_id=batch.pk, number=0)
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("running", 1)
    with django_capture_on_commit_callbacks(execute=True):
        batches.pdf_batch_chunk(batch_id=batch.pk, number=1)
        batches.pdf_batch_chunk(batch_id=batch.pk, number=0)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("done", 2, 2)
    assert PdfBatchChunk.objects.filter(batch=batch).count() == 2
    zipped = batches.batch_path(batch).read_bytes()
    batches.pdf_batch_assemble(batch_id=batch.pk)  # again: nothing changes
    assert batches.batch_path(batch).read_bytes() == zipped


def test_the_zip_renders_a_scorecard_whose_stored_pdf_went_missing(
    results, django_capture_on_commit_callbacks
):
    batch = make_batch(results)
    with django_capture_on_commit_callbacks(execute=True):
        batches.pdf_batch_chunk(batch_id=batch.pk, number=0)
    for path in (Path(batches.pdf_root()) / "scorecard").glob("*/*.pdf"):
        path.unlink()
    PdfBatch.objects.filter(pk=batch.pk).update(status="running")
    batches.pdf_batch_assemble(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "done"
    assert len(names_of(batches.batch_path(batch).read_bytes())) == 2


def test_the_status_page_shows_the_progress_and_polls_until_done(client, results):
    batch = make_batch(results, status="running", done=1)
    client.force_login(results.users["official_jinan"])
    page = client.get(status_url(batch))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<progress class="export-progress" max="2" value="1"' in html
    assert 'data-done="1" data-total="2"' in html
    assert 'hx-trigger="every 2s"' in html
    fragment = client.get(status_url(batch), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<section class="card export-job"')
    PdfBatch.objects.filter(pk=batch.pk).update(status="done", done=2)
    done = client.get(status_url(batch)).content.decode()
    assert "hx-trigger" not in done
    assert download_url(batch) in done


def test_another_persons_batch_is_not_found(client, results, pdf_root):
    batch = make_batch(results, status="done", done=2)
    (pdf_root / "batches").mkdir(parents=True)
    batches.batch_path(batch).write_bytes(b"PK")
    for key in ("official_lixia", "official", "admin"):
        client.force_login(results.users[key])
        assert client.get(status_url(batch)).status_code == 404, key
        assert client.get(download_url(batch)).status_code == 404, key
    client.force_login(results.users["official_jinan"])
    assert client.get(download_url(batch)).status_code == 200


def test_an_unfinished_batch_cannot_be_downloaded(client, results):
    batch = make_batch(results, status="running")
    client.force_login(results.users["official_jinan"])
    assert client.get(download_url(batch)).status_code == 404


def test_a_city_official_cannot_batch_another_citys_scorecards(client, results):
    client.force_login(results.users["official_jinan"])
    qingdao = results.regions["qingdao"]
    assert client.get(URL, {"region": qingdao.pk}).status_code == 404
    response = client.post(URL, {"region": qingdao.pk, "language": "zh"})
    assert response.status_code == 404
    assert not PdfBatch.objects.exists()


def reader_scope(rf: Any, user: Any, round_: Any) -> Any:
    request = rf.get("/", {"round": round_.pk})
    request.user = user
    return dashboard_scope(request)


def test_the_service_refuses_an_area_outside_the_owners_scope(rf, results):
    owner = results.users["official_jinan"]
    scope = reader_scope(rf, owner, results.current)
    with pytest.raises(ValidationFailed):
        batches.pdf_batch_create(
            owner=owner, scope=scope, region=results.regions["qingdao"], language="zh"
        )


def test_the_service_refuses_a_third_batch_under_way(rf, results):
    owner = results.users["admin"]
    make_batch(results, owner_key="admin")
    make_batch(results, owner_key="admin", status="running")
    scope = reader_scope(rf, owner, results.current)
    with pytest.raises(ConflictError):
        batches.pdf_batch_create(owner=owner, scope=scope, region=None, language="zh")


def test_the_picker_offers_only_areas_in_the_readers_scope(client, results):
    client.force_login(results.users["official_jinan"])
    areas = {region.pk for region, _depth in client.get(URL).context["areas"]}
    assert results.regions["jinan"].pk in areas
    assert results.regions["lixia"].pk in areas
    assert results.regions["qingdao"].pk not in areas
    assert results.regions["shinan_district"].pk not in areas


def test_an_area_without_approved_scorecards_is_refused(client, results):
    client.force_login(results.users["admin"])
    area = results.regions["shizhong_district"]  # 戊 returned, 己 draft
    response = client.post(
        f"{URL}?round={results.current.pk}", {"region": area.pk, "language": "zh"}
    )
    assert response.status_code == 409
    assert response.context["error"]
    assert not PdfBatch.objects.exists()


def test_a_person_has_at_most_two_batches_under_way(client, results):
    make_batch(results, owner_key="admin")
    make_batch(results, owner_key="admin", status="running")
    client.force_login(results.users["admin"])
    response = client.post(
        f"{URL}?round={results.current.pk}", {"region": results.regions["jinan"].pk}
    )
    assert response.status_code == 409
    assert PdfBatch.objects.count() == 2


def test_assessors_are_refused_and_visitors_sent_to_log_in(client, results):
    batch = make_batch(results)
    for url in (URL, status_url(batch), download_url(batch)):
        client.logout()
        assert client.get(url).status_code == 302
        assert client.post(URL).status_code == 302
        client.force_login(results.users["assessor"])
        assert client.get(url).status_code == 403
    assert client.post(URL, {"region": results.regions["jinan"].pk}).status_code == 403


def test_a_batch_fails_when_its_owner_may_no_longer_see_the_area(results):
    batch = make_batch(results)
    owner = results.users["official_jinan"]
    owner.region = results.regions["qingdao"]
    owner.save()
    batches.pdf_batch_chunk(batch_id=batch.pk, number=0)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.error
    assert not batch.chunks.exists()


def test_the_sweep_resends_stuck_batches_fails_old_ones_and_removes_expired(
    results, pdf_root, monkeypatch
):
    sent: list[tuple[str, int, Any]] = []
    monkeypatch.setattr(
        batches, "_send_chunks", lambda pk, numbers: sent.append(("c", pk, numbers))
    )
    monkeypatch.setattr(batches, "_send_assemble", lambda pk: sent.append(("a", pk, None)))
    now = timezone.now()
    fresh = make_batch(results, chunk_size=1)
    stuck = make_batch(results, chunk_size=1, status="running")
    PdfBatchChunk.objects.create(batch=stuck, number=1)
    recorded = make_batch(results, chunk_size=1, status="running")
    PdfBatchChunk.objects.create(batch=recorded, number=0)
    PdfBatchChunk.objects.create(batch=recorded, number=1)
    old = make_batch(results, status="running")
    expired = make_batch(results, status="done", file_name="batches/old.zip")
    (pdf_root / "batches").mkdir(parents=True)
    batches.batch_path(expired).write_bytes(b"PK")
    PdfBatch.objects.filter(pk__in=[stuck.pk, recorded.pk]).update(
        created_at=now - timedelta(minutes=10)
    )
    PdfBatchChunk.objects.update(finished_at=now - timedelta(minutes=9))
    PdfBatch.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=2))
    PdfBatch.objects.filter(pk=expired.pk).update(created_at=now - timedelta(hours=25))

    counts = batches.pdf_batches_sweep(now=now)

    assert counts == {"expired": 1, "leftover_files": 0, "failed": 1, "resent": 2}
    assert sorted(sent, key=lambda s: s[1]) == [("c", stuck.pk, [0]), ("a", recorded.pk, None)]
    assert PdfBatch.objects.get(pk=old.pk).status == "failed"
    assert PdfBatch.objects.get(pk=fresh.pk).status == "pending"
    assert not PdfBatch.objects.filter(pk=expired.pk).exists()
    assert not batches.batch_path(expired).exists()


# -- a real worker, killed in the middle ------------------------------------------------


def approved_round(framework: Any, spec: Any, count: int) -> Any:
    """A round of ``count`` scored and approved assessments (answers written in bulk)."""
    admin = UserFactory(role=Role.ADMINISTRATOR)
    round_ = make_round(framework, evidence_required=False)
    street = region_chain()
    assessment_services.communities_import(
        rows=[
            assessment_services.CommunityData(
                code=f"Z{n:04d}", name=f"批量社区{n}", region=street, households=100, residents=300
            )
            for n in range(count)
        ]
    )
    communities = list(Community.objects.filter(region=street).order_by("code"))
    assessments = assessment_services.assessments_open(round=round_, communities=communities)
    items = dict(Item.objects.filter(framework=framework).values_list("code", "pk"))
    Answer.objects.bulk_create(
        Answer(
            assessment_id=a.pk,
            item_id=items[code],
            value=None if value == {"na": True} else value,
            not_applicable=value == {"na": True},
        )
        for n, a in enumerate(assessments)
        for code, value in make_answers(spec, 0.8, random.Random(n)).items()
    )
    scorecards_compute(assessment_ids=[a.pk for a in assessments])
    for assessment in assessments:
        assessment_services.assessment_submit(actor=admin, assessment=assessment)
        assessment_services.assessment_approve(actor=admin, assessment=assessment)
    return admin, round_, street


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing(framework, spec, broker, settings, tmp_path):  # noqa: F811
    count = 12
    admin, round_, street = approved_round(framework, spec, count)
    started: list[Worker] = []

    def worker() -> Worker:
        started.append(Worker(broker))
        # The test's PDF folder; a killed worker's message comes back after 8 s, not an hour.
        started[-1].env.update(PDF_ROOT=str(settings.PDF_ROOT), CELERY_VISIBILITY_TIMEOUT="8")
        started[-1].start()
        return started[-1]

    try:
        first = worker()
        batch = batches.pdf_batch_create(
            owner=admin, scope=reader_scope(RequestFactory(), admin, round_),
            region=street.city, language="zh", chunk_size=3,
        )  # fmt: skip
        assert batch.total == count

        def done() -> int:
            return PdfBatch.objects.get(pk=batch.pk).done

        wait_for(lambda: done() > 0, timeout=180, what="the worker to finish a chunk")
        first.kill()
        killed = PdfBatch.objects.get(pk=batch.pk)
        assert 0 < killed.done < killed.total
        assert killed.status == "running"

        worker()
        wait_for(
            lambda: PdfBatch.objects.get(pk=batch.pk).status in ("done", "failed"),
            timeout=300,
            what="a new worker to finish the batch",
        )
    finally:
        for each in started:
            each.stop()
    finished = PdfBatch.objects.get(pk=batch.pk)
    assert (finished.status, finished.done, finished.error) == ("done", count, "")
    assert finished.chunks.count() == 4
    files = names_of(batches.batch_path(finished).read_bytes())
    assert len(files) == count
    codes = sorted(c.code for c in Community.objects.filter(region=street))
    assert sorted(name.rsplit("-", 1)[1].removesuffix(".pdf") for name in files) == codes
    assert all(data.startswith(b"%PDF") for data in files.values())
