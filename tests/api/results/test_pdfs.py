"""GET /api/v1/assessments/<pk>/scorecard.pdf and /api/v1/summaries/pdf/: the PDFs the
dashboard serves, for the dashboard's readers; 202 with Retry-After while a worker renders
one; errors in the JSON shape whatever the client accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from assessments import services
from reports.models import RenderedPdf
from reports.pdf.summary import summary_key
from scoring.models import ScoreCard
from tests.reports.community_helpers import new_community
from tests.reports.pdf_helpers import pdf_text

from .helpers import assert_error, fields_of, reader

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/summaries/pdf/"


@pytest.fixture(autouse=True)
def pdf_root(settings: Any, tmp_path: Path) -> Path:
    settings.PDF_ROOT = tmp_path / "pdfs"
    return settings.PDF_ROOT


def scorecard_url(results: Any, name: str, year: str = "2026") -> str:
    return f"/api/v1/assessments/{results.assessment(year, name).pk}/scorecard.pdf"


def pdf_of(answer: Any) -> bytes:
    assert answer.status_code == 200, answer.content[:500] if not answer.streaming else ""
    assert answer["Content-Type"] == "application/pdf"
    data = b"".join(answer.streaming_content)
    assert data.startswith(b"%PDF")
    return data


def test_the_scorecard_pdf_shows_the_stored_total(api_client_for, results):
    answer = api_client_for(results.users["admin"]).get(scorecard_url(results, "甲社区"))
    data = pdf_of(answer)
    card = ScoreCard.objects.get(assessment=results.assessment("2026", "甲社区"))
    text = pdf_text(data)
    assert "甲社区" in text and str(card.total) in text
    disposition = answer["Content-Disposition"]
    assert disposition.startswith("attachment; ") and quote("甲社区") in disposition
    assert disposition.endswith(".pdf")
    stored = RenderedPdf.objects.get(assessment=results.assessment("2026", "甲社区"))
    assert stored.key.endswith(":zh") and stored.size == len(data)


def test_it_is_the_file_the_dashboard_serves(api_client_for, client, results):
    served = pdf_of(api_client_for(results.users["admin"]).get(scorecard_url(results, "乙社区")))
    client.force_login(results.users["admin"])
    page = client.get(
        reverse("dashboard:scorecard-pdf", args=[results.communities["乙社区"].pk]),
        {"round": results.current.pk},
    )
    assert b"".join(page.streaming_content) == served
    assert RenderedPdf.objects.count() == 1


def test_the_language_is_chosen_by_lang(api_client_for, results):
    client = api_client_for(results.users["admin"])
    data = pdf_of(client.get(scorecard_url(results, "甲社区"), {"lang": "en"}))
    assert "Smart community scorecard" in pdf_text(data)
    assert RenderedPdf.objects.get().key.endswith(":en")


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("official", "辛社区", 200),
        ("official_jinan", "戊社区", 200),
        ("official_jinan", "庚社区", 404),
        ("official_lixia", "戊社区", 404),
        ("assessor", "甲社区", 403),
        ("stranger", "甲社区", 404),
        ("anonymous", "甲社区", 401),
    ],
)
def test_who_may_download_a_scorecard(api_client_for, results, who, name, status):
    answer = api_client_for(reader(results, who)).get(scorecard_url(results, name))
    if status == 200:
        assert name in pdf_text(pdf_of(answer))
    else:
        assert_error(answer, status)
        assert not RenderedPdf.objects.exists()


def test_a_scorecard_not_computed_yet_is_a_404_that_says_so(api_client_for, results):
    assessment = services.assessment_create(
        round=results.current,
        community=new_community(results, "新社区"),
        assessors=(results.users["assessor"],),
    )
    answer = api_client_for(results.users["admin"]).get(
        f"/api/v1/assessments/{assessment.pk}/scorecard.pdf"
    )
    body = assert_error(answer, 404, "not_found")
    assert str(assessment.pk) in body["message"]


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/v1/assessments/999999/scorecard.pdf", {}, 404, None),
        (None, {"lang": "fr"}, 400, "lang"),
        (SUMMARY, {"lang": "de"}, 400, "lang"),
        (SUMMARY, {"round": "abc"}, 400, "round"),
        (SUMMARY, {"region": "0"}, 400, "region"),
        (SUMMARY, {"round": "999999"}, 404, None),
    ],
)
def test_bad_requests_are_refused_in_the_error_shape(
    api_client_for, results, path, params, status, field
):
    answer = api_client_for(results.users["admin"]).get(
        path or scorecard_url(results, "甲社区"), params, HTTP_ACCEPT="application/pdf"
    )
    body = assert_error(answer, status)
    if field is not None:
        assert fields_of(body) == {field}


def test_while_a_worker_renders_the_answer_is_202_with_retry_after(api_client_for, results):
    from config.celery import app
    from reports.pdf.services import pdf_render

    client = api_client_for(results.users["admin"])
    url = scorecard_url(results, "庚社区")
    saved = app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_TASK_ALWAYS_EAGER = False  # sent to the (in-memory) broker, not run
    try:
        waiting = client.get(url)
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = saved
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "2" and waiting.json() == {"status": "rendering"}
    assert not RenderedPdf.objects.exists()
    assessment = results.assessment("2026", "庚社区")
    pdf_render(kind="scorecard", params={"assessment_id": assessment.pk, "language": "zh"})
    assert "庚社区" in pdf_text(pdf_of(client.get(url, HTTP_ACCEPT="application/pdf")))


def test_the_summary_of_the_province(api_client_for, results):
    answer = api_client_for(results.users["admin"]).get(SUMMARY, {"round": results.current.pk})
    text = pdf_text(pdf_of(answer))
    assert "2026年度评估" in text
    for name in results.communities:
        assert name in text
    stored = RenderedPdf.objects.get()
    assert stored.key == summary_key(results.current.pk, None, "zh")


@pytest.mark.parametrize(
    ("who", "region", "status", "area"),
    [
        ("official_jinan", "lixia", 200, "lixia"),
        ("official_lixia", None, 200, "lixia"),
        ("official_jinan", "qingdao", 404, None),
        ("official_lixia", "jinan", 404, None),
        ("admin", "jiefang", 404, None),  # a street has no summary
        ("assessor", None, 403, None),
        ("anonymous", None, 401, None),
    ],
)
def test_who_may_have_which_summary(api_client_for, results, who, region, status, area):
    params = {"region": results.regions[region].pk} if region else {}
    answer = api_client_for(reader(results, who)).get(SUMMARY, {**params, "lang": "en"})
    if status != 200:
        assert_error(answer, status)
        return
    text = pdf_text(pdf_of(answer))
    assert RenderedPdf.objects.get().key == summary_key(
        results.current.pk, results.regions[area].pk, "en"
    )
    for name in results.in_region(area):
        assert name in text
    assert "庚社区" not in text
