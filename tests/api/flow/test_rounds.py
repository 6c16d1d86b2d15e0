"""GET /api/v1/rounds/ and /rounds/<id>/: the rounds in which the user can see an
assessment (all for administrators), with the grade bands that apply."""

from __future__ import annotations

import pytest

from accounts.models import Role
from assessments.choices import RoundStatus
from tests.factories import UserFactory, make_assessment, make_community, make_round

from .helpers import assert_error

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rounds/"
BANDS = [
    {"code": "A", "minimum": "80", "name_zh": "甲等", "name_en": "A"},
    {"code": "B", "minimum": "0", "name_zh": "乙等", "name_en": "B"},
]


@pytest.fixture
def rounds(cast, framework):
    """Besides the cast's round: an empty planned one with its own bands, and a closed one
    with an assessment of 乙社区 only."""
    planned = make_round(
        framework, name="2027年度评估", status=RoundStatus.PLANNED, grade_bands=BANDS
    )
    closed = make_round(framework, name="2025年度评估")
    make_assessment(framework, round=closed, community=cast.b.community)
    closed.status = RoundStatus.CLOSED
    closed.save(update_fields=["status"])
    return planned, closed


def names(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    return sorted(r["name"] for r in answer.json()["results"])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("administrator", ["2025年度评估", "2026年度评估", "2027年度评估"]),
        ("official_province", ["2025年度评估", "2026年度评估"]),
        ("official_city", ["2026年度评估"]),
        ("official_district", ["2025年度评估", "2026年度评估"]),
        ("assessor_a", ["2026年度评估"]),
        ("assessor_b", ["2026年度评估"]),  # 乙社区's 2025 assessment is not assigned to them
    ],
)
def test_each_role_lists_the_rounds_it_can_see_assessments_of(cast, rounds, role, expected):
    assert names(cast.client(role).get(LIST)) == expected


def test_a_round_answers_its_dates_framework_and_grade_bands(cast, rounds, framework):
    planned, _closed = rounds
    client = cast.client("administrator")
    body = client.get(f"{LIST}{cast.round.pk}/").json()
    assert body == {
        "id": cast.round.pk,
        "name": "2026年度评估",
        "framework": {
            "id": framework.pk,
            "code": "DB37/T 3890.3-2020",
            "version": framework.version,
        },
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "submission_deadline": "2026-12-15",
        "review_deadline": "2026-12-31",
        "status": "open",
        "evidence_required": True,
        "grade_bands": framework.grade_bands,
    }
    assert [b["code"] for b in body["grade_bands"]] == [
        "excellent",
        "good",
        "pass",
        "needs_improvement",
    ]
    own = client.get(f"{LIST}{planned.pk}/").json()
    assert own["grade_bands"] == BANDS and own["status"] == "planned"


def test_a_round_out_of_the_users_rounds_is_404(cast, rounds):
    planned, closed = rounds
    assert_error(cast.client("official_city").get(f"{LIST}{closed.pk}/"), 404, "not_found")
    assert_error(cast.client("assessor_a").get(f"{LIST}{planned.pk}/"), 404, "not_found")
    assert cast.client("official_district").get(f"{LIST}{closed.pk}/").status_code == 200
    assert_error(cast.client("administrator").get(f"{LIST}987654/"), 404, "not_found")


def test_anonymous_is_asked_to_authenticate_and_a_stranger_sees_none(cast, api_client_for):
    assert_error(cast.client("anonymous").get(LIST), 401, "not_authenticated")
    stranger = api_client_for(UserFactory(role=Role.ASSESSOR))
    assert stranger.get(LIST).json()["count"] == 0
    assert_error(stranger.get(f"{LIST}{cast.round.pk}/"), 404)


def test_a_bad_page_is_404_in_the_error_shape(cast):
    assert_error(cast.client("administrator").get(LIST, {"page": "abc"}), 404, "not_found")
    assert_error(cast.client("administrator").get(LIST, {"page": "99"}), 404, "not_found")


def test_the_list_costs_the_same_queries_for_5_or_30_rows(
    cast, framework, django_assert_max_num_queries
):
    for n in range(30):
        round_ = make_round(framework, name=f"专项评估{n:02d}")
        make_assessment(framework, round=round_, community=make_community(cast.a.community.region))
    client = cast.client("official_city")
    with django_assert_max_num_queries(4) as small:
        assert len(client.get(LIST, {"page_size": 5}).json()["results"]) == 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(LIST, {"page_size": 30}).json()["results"]) == 30
