"""The printed scorecard: its figures are the stored ones, its fonts are embedded subsets,
who may download it, the stored file reused until the scorecard changes, the waiting page
while a worker renders it, and the command line writing the same file."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import services
from reports.models import IssuedCode, RenderedPdf
from reports.pdf.store import pdf_path
from scoring.models import ScoreCard
from scoring.services import ranks_refresh, scorecards_compute

from .community_helpers import in_english
from .pdf_helpers import assert_cjk_subset_embedded, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pdf_root(settings: Any, tmp_path: Path) -> Path:
    settings.PDF_ROOT = tmp_path / "pdfs"
    return settings.PDF_ROOT


def url(results: Any, name: str) -> str:
    path = reverse("dashboard:scorecard-pdf", args=[results.communities[name].pk])
    return f"{path}?round={results.current.pk}"


def download(client: Any, results: Any, name: str, who: str = "admin") -> bytes:
    client.force_login(results.users[who])
    response = client.get(url(results, name))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def numbers(text: str) -> str:
    """The text with runs of spaces collapsed (pdftotext lays tables out with them)."""
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", ["甲社区", "乙社区", "戊社区"])
def test_the_pdf_shows_the_stored_figures(client, results, name):
    data = download(client, results, name)
    text = numbers(pdf_text(data))
    card = ScoreCard.objects.get(assessment=results.assessment("2026", name))
    assert name in text and "2026年度评估" in text
    assert str(card.total) in text
    for row in card.indicators.select_related("indicator"):
        indicator = row.indicator
        # the indicator's line of the 24-indicator table: code, name, weight, score
        line = f"{indicator.code} {indicator.name_zh} {indicator.weight.normalize():f} {row.score}"
        assert line in text, line
    for primary, score in card.primaries.items():
        assert f" {Decimal(score):.2f} " in text, primary


def test_every_page_has_the_header_and_its_number(client, results):
    data = download(client, results, "甲社区")
    pages = pdf_pages(data)
    assert 3 <= pages <= 6
    for page in range(1, pages + 1):
        text = re.sub(r"\s", "", pdf_text(data, page=page))  # CJK runs lose their spaces
        assert f"第{page}页/共{pages}页" in text
        assert "甲社区·2026年度评估" in text


def test_fonts_are_embedded_cjk_subsets_and_the_file_is_small(client, results):
    data = download(client, results, "甲社区")
    assert_cjk_subset_embedded(data)
    assert len(data) < 1_000_000


def test_an_approved_scorecard_carries_its_verification_code(client, results):
    text = pdf_text(download(client, results, "甲社区"))
    issued = IssuedCode.objects.get(assessment=results.assessment("2026", "甲社区"))
    assert "-".join(re.findall(".{4}", issued.code)) in text
    assert "/verify/" in text


def test_an_unapproved_scorecard_says_so_and_has_no_code(client, results):
    text = pdf_text(download(client, results, "乙社区"))
    assert "未审定" in text
    assert not IssuedCode.objects.filter(assessment=results.assessment("2026", "乙社区")).exists()


def test_the_english_scorecard(client, results):
    in_english(client)
    text = pdf_text(download(client, results, "甲社区"))
    assert "Smart community scorecard" in text
    assert "Page 1 of" in text


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("admin", "庚社区", 200),
        ("official", "辛社区", 200),
        ("official_jinan", "甲社区", 200),
        ("official_jinan", "庚社区", 404),
        ("official_lixia", "丙社区", 200),
        ("official_lixia", "戊社区", 404),
        ("assessor", "甲社区", 403),
    ],
)
def test_who_may_download(client, results, who, name, status):
    client.force_login(results.users[who])
    assert client.get(url(results, name)).status_code == status


def test_anonymous_readers_are_sent_to_log_in(client, results):
    response = client.get(url(results, "甲社区"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_community_without_a_scorecard_in_the_round_is_a_404(client, results):
    from .community_helpers import new_community

    new_community(results, "新社区")
    client.force_login(results.users["admin"])
    path = reverse("dashboard:scorecard-pdf", args=[results.communities["甲社区"].pk + 10_000])
    assert client.get(path).status_code == 404
    other = reverse("dashboard:scorecard-pdf", args=[results.communities["甲社区"].pk])
    assert client.get(f"{other}?round=99999999999999999999").status_code in (200, 404)


def test_the_stored_file_is_reused_until_the_scorecard_changes(client, results, spec):
    first = download(client, results, "丁社区")
    stored = RenderedPdf.objects.get(
        key__startswith=f"scorecard:{results.assessment('2026', '丁社区').pk}:"
    )
    path, rendered_at = pdf_path(stored), stored.rendered_at
    assert download(client, results, "丁社区") == first
    stored.refresh_from_db()
    assert stored.rendered_at == rendered_at and RenderedPdf.objects.count() == 1

    assessment = results.assessment("2026", "丁社区")
    services.answers_save(
        actor=results.users["assessor"],
        assessment=assessment,
        values={"L1P1.1": {"numerator": 1000, "denominator": 1000}},
    )
    scorecards_compute(assessment_ids=[assessment.pk])
    ranks_refresh()
    second = download(client, results, "丁社区")
    stored.refresh_from_db()
    assert second != first and stored.rendered_at > rendered_at
    card = ScoreCard.objects.get(assessment=assessment)
    assert str(card.total) in pdf_text(second)
    assert not path.exists() and pdf_path(stored).exists()  # the old file is gone


def test_while_a_worker_renders_the_reader_waits(client, results, settings):
    from config.celery import app
    from reports.pdf.services import pdf_render

    client.force_login(results.users["admin"])
    saved = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = False  # sent to the (in-memory) broker, not run
    try:
        page = client.get(url(results, "庚社区"))
        assert page.status_code == 200 and "hx-get" in page.content.decode()
        polled = client.get(url(results, "庚社区"), HTTP_HX_REQUEST="true")
        assert polled.status_code == 200 and "pdf-wait" in polled.content.decode()
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = saved
    assessment = results.assessment("2026", "庚社区")
    pdf_render(kind="scorecard", params={"assessment_id": assessment.pk, "language": "zh"})
    ready = client.get(url(results, "庚社区"), HTTP_HX_REQUEST="true")
    assert ready.status_code == 204 and ready["HX-Redirect"] == url(results, "庚社区")
    assert client.get(url(results, "庚社区"))["Content-Type"] == "application/pdf"


def test_the_command_writes_the_file_the_portal_serves(client, results, tmp_path, capsys):
    served = download(client, results, "甲社区")
    out = tmp_path / "scorecard.pdf"
    assessment = results.assessment("2026", "甲社区")
    call_command("render_scorecard", str(assessment.pk), "--out", str(out))
    assert out.read_bytes() == served
    assert f"{out}:" in capsys.readouterr().out
    english = tmp_path / "en.pdf"
    call_command("render_scorecard", str(assessment.pk), "--out", str(english), "--lang", "en")
    assert "Smart community scorecard" in pdf_text(english.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "no assessment 999999"),
        (["abc"], "must be a number"),
    ],
)
def test_the_command_says_what_is_wrong(results, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("render_scorecard", *args, "--out", str(tmp_path / "x.pdf"))


def test_the_command_refuses_an_assessment_without_scorecard(results, tmp_path):
    from .community_helpers import new_community

    community = new_community(results, "空社区")
    assessment = services.assessment_create(
        round=results.current, community=community, assessors=(results.users["assessor"],)
    )
    with pytest.raises(CommandError, match="has no scorecard yet"):
        call_command("render_scorecard", str(assessment.pk), "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "render_scorecard", str(assessment.pk), "--out", str(tmp_path / "no" / "x.pdf")
        )


def test_files_of_deleted_documents_are_swept(client, results, pdf_root):
    import os
    import time

    from reports.pdf.services import pdfs_sweep

    download(client, results, "甲社区")
    stored = RenderedPdf.objects.get()
    kept = pdf_path(stored)
    orphan = kept.with_name("0" * 64 + ".pdf")
    orphan.write_bytes(b"%PDF-1.7 left behind")
    young = kept.with_name("1" * 64 + ".pdf")
    young.write_bytes(b"%PDF-1.7 being recorded")
    two_hours_ago = time.time() - 7200
    for path in (kept, orphan):
        os.utime(path, (two_hours_ago, two_hours_ago))
    assert pdfs_sweep() == 1
    assert kept.exists() and young.exists() and not orphan.exists()


def test_deleting_a_round_takes_its_documents_along(client, results, spec, pdf_root):
    from assessments.models import Assessment
    from reports.models import PdfBatch

    from .community_helpers import third_round

    round_ = third_round(results, spec)
    assessment = Assessment.objects.get(round=round_, community=results.communities["甲社区"])
    admin, assessor = results.users["admin"], results.users["assessor"]
    services.assessment_submit(actor=assessor, assessment=assessment)
    services.assessment_approve(actor=admin, assessment=assessment)
    client.force_login(admin)
    path = reverse("dashboard:scorecard-pdf", args=[results.communities["甲社区"].pk])
    assert client.get(f"{path}?round={round_.pk}").status_code == 200
    services.assessment_reopen(actor=admin, assessment=assessment, comment="复核")
    stored = RenderedPdf.objects.get(assessment=assessment)
    batch = PdfBatch.objects.create(
        owner=admin, round=round_, language="zh", download_name="x.zip", file_name="x.zip"
    )
    assert IssuedCode.objects.filter(assessment=assessment).exists()

    services.round_delete(round=round_)
    assert not RenderedPdf.objects.filter(pk=stored.pk).exists()
    assert not IssuedCode.objects.filter(assessment_id=assessment.pk).exists()
    assert not PdfBatch.objects.filter(pk=batch.pk).exists()
