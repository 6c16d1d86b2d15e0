"""The public check of a scorecard's verification code: a real code is valid, an altered
one is not recognised, a code of a reopened assessment is no longer current, typing
variants are accepted, nothing but community, round, total and grade is shown, and
look-ups are limited per address."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from assessments import services
from reports.models import IssuedCode
from reports.verification import code_of, normalize_code
from scoring.models import ScoreCard

from .pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def isolated(settings: Any, tmp_path: Path) -> None:
    settings.PDF_ROOT = tmp_path / "pdfs"


def printed_code(client: Any, results: Any, name: str) -> str:
    """The code as printed on the community's downloaded scorecard."""
    client.force_login(results.users["admin"])
    path = reverse("dashboard:scorecard-pdf", args=[results.communities[name].pk])
    response = client.get(f"{path}?round={results.current.pk}")
    text = pdf_text(b"".join(response.streaming_content))
    client.logout()
    found = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", text)
    assert found, "no verification code printed"
    return found.group(1)


def test_a_printed_code_is_valid_for_anyone(client, results):
    code = printed_code(client, results, "甲社区")
    response = client.get(reverse("verify", args=[code]))
    assert response.status_code == 200
    page = response.content.decode()
    card = ScoreCard.objects.get(assessment=results.assessment("2026", "甲社区"))
    assert "verdict-valid" in page
    assert "甲社区" in page and "2026年度评估" in page
    assert f'data-verified="total">{card.total}<' in page


def test_only_community_round_total_and_grade_are_shown(client, results):
    code = printed_code(client, results, "甲社区")
    page = client.get(reverse("verify", args=[code])).content.decode()
    card = ScoreCard.objects.get(assessment=results.assessment("2026", "甲社区"))
    for hidden in ("李", "王", "wang", "li", "R0000", "L1P1"):
        assert f">{hidden}<" not in page and hidden not in re.sub(r"<[^>]+>", " ", page).split()
    assert f"{card.rank} /" not in page  # no ranks either


def test_an_altered_code_is_not_recognised(client, results):
    code = printed_code(client, results, "甲社区")
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = client.get(reverse("verify", args=[altered]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "verdict-unknown" in page and "甲社区" not in page


def test_a_reopened_assessment_makes_the_code_stale(client, results):
    code = printed_code(client, results, "甲社区")
    assessment = results.assessment("2026", "甲社区")
    services.assessment_reopen(actor=results.users["admin"], assessment=assessment, comment="复核")
    response = client.get(reverse("verify", args=[code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "verdict-stale" in page and "甲社区" in page
    # approved again: a new code is printed, and the old one stays stale
    services.assessment_submit(actor=results.users["assessor"], assessment=assessment)
    services.assessment_approve(actor=results.users["admin"], assessment=assessment)
    new_code = printed_code(client, results, "甲社区")
    assert new_code != code
    assert "verdict-valid" in client.get(reverse("verify", args=[new_code])).content.decode()
    assert "verdict-stale" in client.get(reverse("verify", args=[code])).content.decode()


def test_typing_variants_are_read_as_the_code(client, results):
    code = printed_code(client, results, "甲社区")
    typed = code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    response = client.get(reverse("verify-form"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("verify", args=[code])
    assert normalize_code(typed) == code.replace("-", "")


@pytest.mark.parametrize("typed", ["123", "ABCD-EFGH-JKLM-NPQ!", "x" * 40])
def test_a_malformed_code_gets_a_clear_message(client, results, typed):
    response = client.get(reverse("verify-form"), {"code": typed})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(reverse("verify", args=["not-a-code"])).status_code == 404


def test_the_code_is_keyed_by_the_secret_and_the_figures(results, settings):
    issued_figures = {"total": "80.00", "grade": "good", "assessment": 1}
    first = code_of(issued_figures)
    assert code_of(dict(issued_figures)) == first
    assert code_of({**issued_figures, "total": "80.01"}) != first
    settings.SECRET_KEY = "another-secret-for-this-test-only-0123456789"
    assert code_of(issued_figures) != first


def test_look_ups_are_limited_per_address(client, results, settings):
    settings.VERIFY_RATE_PER_MINUTE = 3
    target = reverse("verify", args=["0000-0000-0000-0000"])
    statuses = [client.get(target).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert client.get(target, REMOTE_ADDR="10.1.2.3").status_code == 404  # another address


def test_codes_are_issued_once_per_set_of_figures(client, results):
    printed_code(client, results, "甲社区")
    printed_code(client, results, "甲社区")
    assert IssuedCode.objects.filter(assessment=results.assessment("2026", "甲社区")).count() == 1
