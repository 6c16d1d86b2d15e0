"""The home list: login, scope per role, filters, progress and scores, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessments import services
from scoring.models import ScoreCard
from scoring.services import scorecards_compute
from tests.factories import (
    UserFactory,
    full_answers,
    make_assessment,
    make_community,
    make_round,
    region_chain,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_communities(framework):
    round_ = make_round(framework, name="2026 round")
    assessor = UserFactory(role=Role.ASSESSOR)
    a = make_assessment(
        framework,
        round=round_,
        assessors=(assessor,),
        community=make_community(region_chain(), "甲社区"),
    )
    b = make_assessment(
        framework, round=round_, community=make_community(region_chain("青岛市"), "乙社区")
    )
    return assessor, a, b


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_assessor_sees_only_assigned_communities(client, two_communities):
    assessor, _a, _b = two_communities
    client.force_login(assessor)
    body = client.get(reverse("home")).content.decode()
    assert "甲社区" in body and "乙社区" not in body


def test_assessor_home_offers_the_rounds_workbook_that_downloads(client, two_communities):
    assessor, a, _b = two_communities
    client.force_login(assessor)
    body = client.get(reverse("home")).content.decode()
    link = f"{reverse('assessments:excel-round')}?round={a.round_id}"
    assert link in body and reverse("assessments:excel-upload") in body
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_official_limited_to_a_city_sees_only_that_city(client, two_communities):
    _, _a, b = two_communities
    official = UserFactory(role=Role.OFFICIAL, region=b.community.region.city)
    client.force_login(official)
    body = client.get(reverse("home")).content.decode()
    assert "乙社区" in body and "甲社区" not in body


def test_administrator_sees_all_and_can_filter(client, two_communities):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    body = client.get(reverse("home")).content.decode()
    assert "甲社区" in body and "乙社区" in body
    body = client.get(reverse("home"), {"q": "乙"}).content.decode()
    assert "乙社区" in body and "甲社区" not in body
    assert client.get(reverse("home"), {"status": "nonsense", "round": "x"}).status_code == 200


def test_list_page_runs_a_fixed_number_of_queries(client, framework, spec):
    round_ = make_round(framework)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)

    def add(count: int) -> None:
        for n in range(count):
            assessment = make_assessment(framework, round=round_)
            services.answers_save(
                actor=admin, assessment=assessment, values=full_answers(spec, seed=n)
            )
            scorecards_compute(assessment_ids=[assessment.pk])

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    few = queries_for_page()
    add(15)
    assert queries_for_page() == few
    assert few <= 10


def test_rows_show_progress_score_grade_and_pending_scores(client, framework, spec):
    round_ = make_round(framework)
    admin = UserFactory(role=Role.ADMINISTRATOR)
    assessment = make_assessment(framework, round=round_)
    services.answers_save(actor=admin, assessment=assessment, values=full_answers(spec))
    client.force_login(admin)
    body = client.get(reverse("home")).content.decode()
    assert "46 / 46" in body and "更新中" in body, "answered, not yet scored"
    scorecards_compute(assessment_ids=[assessment.pk])
    card = ScoreCard.objects.get(assessment=assessment)
    body = client.get(reverse("home")).content.decode()
    assert str(card.total) in body and "更新中" not in body
    grade = {b["code"]: b["name_zh"] for b in framework.grade_bands}[card.grade]
    assert grade in body


def test_ui_speaks_chinese_by_default_and_english_on_request(client):
    body = client.get(reverse("login")).content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body and "Log in" in body


def test_framework_pages_show_the_indicator_tree(client, framework):
    client.force_login(UserFactory(role=Role.OFFICIAL))
    assert framework.title_zh in client.get(reverse("framework-list")).content.decode()
    body = client.get(reverse("framework-detail", args=[framework.pk])).content.decode()
    assert "L1P8" in body and "智能照明" in body and "L4P1.1" in body
    assert client.get(reverse("framework-detail", args=[99999])).status_code == 404


def test_healthz_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_chinese_stays_the_default_for_an_english_browser(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in body
