"""The round summary PDF of an area: what it lists (the area's communities with their stored
totals and nothing outside it), a ranking whose header repeats on every page, who may have
which area, reuse of the stored file, both languages and the embedded Chinese font.

The PDFs are rendered by WeasyPrint and read back with poppler's pdftotext and pdffonts."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessments import services
from demo.answers import make_answers
from indicators.specs import framework_spec
from reports.models import RenderedPdf
from reports.pdf.store import pdf_path
from scoring.models import ScoreCard
from scoring.services import scorecards_compute
from tests.reports.expected import cards_in, grow
from tests.reports.pdf_helpers import assert_cjk_subset_embedded, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:summary-pdf")


@pytest.fixture(autouse=True)
def pdf_root(settings: Any, tmp_path: Path) -> Path:
    settings.PDF_ROOT = tmp_path / "pdfs"
    return settings.PDF_ROOT


def fetch(client: Any, user: Any, tmp_path: Path, **params: Any) -> Path:
    """The summary PDF as ``user`` gets it, saved to a file."""
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    path = tmp_path / f"summary-{len(list(tmp_path.glob('summary-*.pdf')))}.pdf"
    path.write_bytes(data)
    return path


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def region_id(results: Any, key: str) -> int:
    return results.regions[key].pk


def assert_lists_exactly(text: str, results: Any, key: str | None) -> None:
    """Every community of the area is listed with its stored total; none from outside."""
    cards = cards_in(results, results.current, key)
    assert cards
    lines = text.splitlines()
    for card in cards:
        name = card.assessment.community.name
        found = [line for line in lines if re.search(rf"(^|\s){re.escape(name)}(\s|$)", line)]
        assert found, f"{name} is not listed"
        assert any(f" {card.total} " in f" {line} " for line in found), (name, card.total)
    inside = {card.assessment.community.name for card in cards}
    for name in set(results.communities) - inside:
        assert name not in text, f"{name} lies outside the area"


# -- what it lists ------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "jinan", "lixia", "qingdao"])
def test_the_summary_lists_the_areas_communities_with_their_stored_totals(
    client, results, tmp_path, key
):
    params = {"round": results.current.pk}
    if key:
        params["region"] = region_id(results, key)
    text = pdf_text(fetch(client, results.users["admin"], tmp_path, **params))
    area = results.regions[key].name_zh if key else zh("Whole province")
    assert area in text
    assert results.current.name in text
    assert "DB37/T 3890.3-2020" in text
    assert_lists_exactly(text, results, key)


def test_a_district_summary_compares_it_with_its_city_and_the_province(client, results, tmp_path):
    path = fetch(client, results.users["admin"], tmp_path, region=region_id(results, "lixia"))
    text = pdf_text(path)
    for name in ("历下区", "济南市", zh("Whole province")):
        assert name in text
    assert "市中区" not in text.split(zh("Ranking"))[-1], "the ranking is the district's own"


def test_a_long_ranking_repeats_its_header_on_every_page(client, results, tmp_path):
    grow(results, per_street=14)  # 64 communities: the ranking takes two pages
    path = fetch(client, results.users["admin"], tmp_path)
    pages = pdf_pages(path)
    with translation.override("zh-hans"):
        header = [str(translation.gettext(m)) for m in ("Rank in province", "Community", "Total")]
    ranking_pages = [n for n in range(1, pages + 1) if "增" in pdf_text(path, n)]
    assert len(ranking_pages) >= 2, ranking_pages
    for number in ranking_pages:
        lines = [line for line in pdf_text(path, number).splitlines() if line.strip()]
        first_row = next(n for n, line in enumerate(lines) if "社区" in line and "增" in line)
        assert any(all(word in line for word in header) for line in lines[:first_row]), (
            number,
            lines[:first_row],
        )
    assert_lists_exactly(pdf_text(path), results, None)


def test_a_large_area_lists_its_top_and_bottom_and_points_to_the_full_export(
    client, results, tmp_path, settings
):
    settings.SUMMARY_RANKING_FULL_MAX = 5
    settings.SUMMARY_RANKING_TOP = 3
    settings.SUMMARY_RANKING_BOTTOM = 2
    text = pdf_text(fetch(client, results.users["admin"], tmp_path))
    cards = sorted(cards_in(results, results.current, None), key=lambda c: (-c.total, c.pk))
    listed = {c.assessment.community.name for c in cards[:3] + cards[-2:]}
    ranking = text.split(zh("Ranking"))[-1]
    for card in cards:
        name = card.assessment.community.name
        assert (name in ranking) == (name in listed), name
    assert "ranking/export/" in text.replace("\n", "")


# -- who may have which area ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed", "refused"),
    [
        ("admin", ["", "jinan", "lixia", "qingdao", "shinan_district"], []),
        ("official", ["", "jinan", "qingdao"], []),
        (
            "official_jinan",
            ["", "jinan", "lixia", "shizhong_district"],
            ["qingdao", "shinan_district"],
        ),
        ("official_lixia", ["", "lixia"], ["jinan", "shizhong_district", "qingdao"]),
    ],
)
def test_readers_get_the_areas_of_their_scope_only(client, results, who, allowed, refused):
    client.force_login(results.users[who])
    for key in allowed:
        params = {"region": region_id(results, key)} if key else {}
        response = client.get(URL, params)
        assert response.status_code == 200, (who, key, response.status_code)
    for key in refused:
        assert client.get(URL, {"region": region_id(results, key)}).status_code == 404, (who, key)


def test_an_officials_own_area_is_the_default(client, results):
    client.force_login(results.users["official_jinan"])
    assert client.get(URL).status_code == 200
    stored = RenderedPdf.objects.get()
    assert stored.key == f"summary:{results.current.pk}:{region_id(results, 'jinan')}:zh"


# (Numbers too long for any id never reach the view: config.middleware.CleanQueryMiddleware
# drops them, and the reader gets their own area.)
@pytest.mark.parametrize("value", ["abc", "0", "-3", "²", "12345678901", "1.5", "x" * 500])
def test_bad_regions_are_not_found(client, results, value):
    client.force_login(results.users["admin"])
    assert client.get(URL, {"region": value}).status_code == 404


def test_streets_and_unknown_regions_are_not_found(client, results):
    client.force_login(results.users["admin"])
    assert client.get(URL, {"region": region_id(results, "jiefang")}).status_code == 404
    assert client.get(URL, {"region": 987654}).status_code == 404


def test_assessors_are_refused_and_visitors_sent_to_log_in(client, results):
    client.force_login(results.users["assessor"])
    assert client.get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and settings.LOGIN_URL in response["Location"]


# -- stored once, rendered again when the figures change ------------------------------------


def test_the_stored_pdf_is_reused_until_a_score_changes(client, results, tmp_path):
    first = fetch(client, results.users["admin"], tmp_path, region=region_id(results, "lixia"))
    stored = RenderedPdf.objects.get()
    again = fetch(client, results.users["admin"], tmp_path, region=region_id(results, "lixia"))
    assert RenderedPdf.objects.count() == 1
    assert RenderedPdf.objects.get().file_name == stored.file_name
    assert again.read_bytes() == first.read_bytes()

    draft = results.assessment("2026", "丁社区")
    services.answers_save(
        actor=results.users["assessor"],
        assessment=draft,
        values=make_answers(framework_spec(results.current.framework), 0.95, random.Random(7)),
    )
    scorecards_compute(assessment_ids=[draft.pk])
    changed = fetch(client, results.users["admin"], tmp_path, region=region_id(results, "lixia"))
    renewed = RenderedPdf.objects.get()
    assert renewed.file_name != stored.file_name
    assert not pdf_path(stored).exists(), "the old file is removed"
    total = ScoreCard.objects.get(assessment=draft).total
    assert f" {total} " in f" {pdf_text(changed)} ".replace("\n", " ")


# -- languages and fonts -------------------------------------------------------------------

HEADINGS = (
    "Round summary",
    "Key figures",
    "Grade distribution",
    "Primary indicators by city",
    "Lowest attainment",
    "Coverage by city",
    "Ranking",
)


def test_chinese_by_default_with_no_english_headings_and_english_on_request(
    client, results, tmp_path
):
    chinese = pdf_text(fetch(client, results.users["admin"], tmp_path))
    for heading in HEADINGS:
        translated = zh(heading)
        assert translated != heading, f"{heading!r} has no Chinese translation"
        assert translated in chinese
        assert heading not in chinese
    assert not re.search(r"\b(Page|of|Whole province|Figures as of)\b", chinese)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = pdf_text(fetch(client, results.users["admin"], tmp_path))
    for heading in HEADINGS:
        assert heading in english
    assert "Page 1 of" in english
    assert RenderedPdf.objects.filter(key__endswith=":en").count() == 1


def test_the_chinese_font_is_embedded_as_a_subset(client, results, tmp_path):
    path = fetch(client, results.users["admin"], tmp_path)
    assert_cjk_subset_embedded(path)


# -- where it is offered -------------------------------------------------------------------


def test_the_overview_and_each_regions_page_offer_their_summary(client, results):
    client.force_login(results.users["official_jinan"])
    round_query = f"round={results.current.pk}"
    body = client.get(reverse("dashboard:overview")).content.decode()
    assert f'href="{URL}?{round_query}"' in body
    lixia = region_id(results, "lixia")
    body = client.get(reverse("dashboard:region", args=[lixia])).content.decode()
    assert f'href="{URL}?{round_query}&amp;region={lixia}"' in body
    with translation.override("zh-hans"):
        assert translation.gettext("Download the summary (PDF)") in body
