"""GET and POST /api/v1/assessments/<id>/preview/: the live scores from the same engine as
the page's preview, for the stored answers or with changes that are not saved."""

from __future__ import annotations

import pytest

from assessments import services
from assessments.choices import ItemReviewStatus
from scoring.engine import score

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/preview/"


STORED = {"L1P8.1": {"numerator": 480, "denominator": 1000}, "L1P1.2": {"value": True}}


@pytest.fixture
def answered(cast):
    services.answers_save(actor=cast.users["assessor_a"], assessment=cast.a, values=STORED)
    return cast.a


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("assessor_a", 200),
        ("official_province", 200),
        ("official_city", 200),
        ("assessor_b", 404),
        ("official_district", 404),
        ("anonymous", 401),
    ],
)
def test_anyone_who_sees_the_assessment_sees_its_scores(cast, answered, spec, role, status):
    got = cast.client(role).get(url(answered))
    assert got.status_code == status
    tried = cast.client(role).post(url(answered), {"answers": {}}, format="json")
    assert tried.status_code == status
    if status == 200:
        assert got.json()["total"] == str(score(spec, STORED).total_rounded)
        assert tried.json() == got.json()


def test_the_stored_scores_per_primary_indicator_and_item(cast, answered, spec):
    body = cast.client("assessor_a").get(url(answered)).json()
    result = score(spec, STORED)
    assert body["total"] == str(result.total_rounded)
    assert body["answered"] == 2 and body["item_count"] == 46
    assert set(body["primaries"]) == {"L1", "L2", "L3", "L4"}
    assert len(body["indicators"]) == 24 and len(body["items"]) == 46
    ratio = body["items"]["L1P8.1"]
    assert (ratio["s"], ratio["achievement"], ratio["target"], ratio["met"]) == (
        "0.8000", "48.00%", "≥ 60%", False,
    )  # fmt: skip
    assert body["items"]["L1P1.2"]["met"] is True
    assert body["items"]["L2P1.1"]["status"] == "missing"
    assert body["grade"]


def test_posted_changes_are_scored_and_nothing_is_saved(cast, answered, spec):
    changes = {
        "L1P8.1": {"numerator": 700, "denominator": 1000},
        "L1P1.2": None,
        "L4P1.1": {"level": 4},
    }
    answer = cast.client("official_city").post(url(answered), {"answers": changes}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    expected = {"L1P8.1": {"numerator": 700, "denominator": 1000}, "L4P1.1": {"level": 4}}
    assert body["total"] == str(score(spec, expected).total_rounded)
    assert body["items"]["L1P8.1"]["met"] is True
    assert body["items"]["L1P1.2"]["status"] == "missing"
    assert body["items"]["L4P1.1"]["s"] == "1.0000"
    assert services.current_engine_answers(answered) == STORED
    answered.refresh_from_db()
    assert answered.version == 2


def test_an_item_with_rejected_evidence_scores_zero(cast, answered, submit):
    submit(cast.a, cast.users["assessor_a"])
    services.item_review_set(
        actor=cast.users["administrator"],
        assessment=cast.a,
        item_code="L1P8.1",
        status=ItemReviewStatus.REJECTED,
        comment="照片看不清",
    )
    item = cast.client("administrator").get(url(cast.a)).json()["items"]["L1P8.1"]
    assert item["status"] == "rejected"
    assert item["s"] == "0.0000"


@pytest.mark.parametrize(
    ("answers", "item", "field"),
    [
        ({"L1P8.1": {"numerator": 1, "denominator": 0}}, "L1P8.1", "denominator"),
        ({"L4P1.1": {"level": "high"}}, "L4P1.1", "level"),
        ({"L0P0.0": {"value": True}}, "L0P0.0", None),
    ],
)
def test_invalid_changes_answer_400_naming_item_and_field(cast, answered, answers, item, field):
    answer = cast.client("assessor_a").post(url(answered), {"answers": answers}, format="json")
    assert answer.status_code == 400
    (detail,) = answer.json()["details"]
    assert (detail["item"], detail.get("field")) == (item, field)


@pytest.mark.parametrize("body", [{}, {"answers": [1]}, {"answers": "x"}])
def test_a_body_without_an_answers_object_answers_400(cast, body):
    answer = cast.client("assessor_a").post(url(cast.a), body, format="json")
    assert answer.status_code == 400
    assert [d["field"] for d in answer.json()["details"]] == ["answers"]
