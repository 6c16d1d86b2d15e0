"""GET /api/v1/assessments/<pk>/scorecard/: the stored scorecard, explained item by item,
for everyone who may view the assessment."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments import services
from scoring.models import IndicatorScore, ScoreCard, ScoreDetail
from scoring.services import scorecards_compute
from tests.reports.community_helpers import new_community

from .helpers import assert_error, reader

pytestmark = pytest.mark.django_db


def url(pk: int) -> str:
    return f"/api/v1/assessments/{pk}/scorecard/"


def scorecard(api_client_for, results, name, who="admin", year="2026"):
    answer = api_client_for(results.users[who]).get(url(results.assessment(year, name).pk))
    assert answer.status_code == 200, answer.content[:500]
    return answer.json()


@pytest.mark.parametrize("name", ["甲社区", "戊社区", "辛社区"])
def test_the_scorecard_is_the_stored_one(api_client_for, results, name):
    body = scorecard(api_client_for, results, name)
    assessment = results.assessment("2026", name)
    card = ScoreCard.objects.get(assessment=assessment)
    assert body["assessment"] == {
        "id": assessment.pk,
        "status": assessment.status,
        "version": assessment.version,
    }
    community = results.communities[name]
    assert body["community"] == {"id": community.pk, "code": community.code, "name": name}
    assert body["round"] == {"id": results.current.pk, "name": "2026年度评估"}
    assert Decimal(body["total"]) == card.total and body["total"] == f"{card.total:.2f}"
    assert body["grade"] == card.grade
    assert body["grade_name"] in {"优秀", "良好", "合格", "待提升"}
    assert body["complete"] is card.complete and body["frozen"] is card.frozen
    assert body["engine_version"] == card.engine_version
    assert body["inputs_hash"] == card.inputs_hash
    assert body["assessment_version"] == card.assessment_version
    assert body["ranks"] == {
        "province": card.rank,
        "city": card.rank_in_city,
        "district": card.rank_in_district,
        "peer_group": card.rank_in_peer_group,
    }
    assert body["peer_group"]["code"] == card.peer_group
    assert body["primaries"] == {code: f"{Decimal(s):.2f}" for code, s in card.primaries.items()}
    province = body["placings"][0]
    assert province["rank"] == card.rank
    assert province["of"] == ScoreCard.objects.filter(round=results.current).count() == 8


def test_every_indicator_and_item_explains_its_points(api_client_for, results):
    body = scorecard(api_client_for, results, "乙社区")
    card = ScoreCard.objects.get(assessment=results.assessment("2026", "乙社区"))
    rows = {
        row.indicator.code: row
        for row in IndicatorScore.objects.filter(scorecard=card).select_related("indicator")
    }
    details = ScoreDetail.objects.get(scorecard=card).items
    indicators = body["indicators"]
    assert [i["code"] for i in indicators] == sorted(rows, key=framework_order)
    assert len(indicators) == 24
    assert sum(len(i["items"]) for i in indicators) == 46
    for indicator in indicators:
        row = rows[indicator["code"]]
        assert indicator["primary"] == indicator["code"][:2]
        assert Decimal(indicator["score"]) == row.score
        assert Decimal(indicator["weight"]) == row.weight
        assert indicator["met"] is row.met
        assert indicator["name_zh"] == row.indicator.name_zh
        points = [Decimal(i["points"]) for i in indicator["items"] if i["points"] is not None]
        if points:
            assert sum(points) == row.score, indicator["code"]
        for item in indicator["items"]:
            stored = details.get(item["code"], {"status": "missing"})
            assert item["status"] == stored["status"], item["code"]
            assert item["s"] == (stored.get("s") or None), item["code"]
            assert item["met"] == stored.get("met"), item["code"]
            if item["status"] == "na":
                assert item["share"] is None and item["points"] is None
            else:
                assert item["target"], item["code"]
    assert sum(Decimal(i["score"]) for i in indicators) == card.total


def framework_order(code: str) -> tuple[int, int]:
    """L1P8 -> (1, 8): indicators in the framework's order."""
    primary, _p, number = code[1:].partition("P")
    return int(primary), int(number)


def test_a_rejected_item_carries_its_review(api_client_for, results):
    assessment = results.assessment("2026", "乙社区")
    services.item_review_set(
        actor=results.users["admin"],
        assessment=assessment,
        item_code="L1P1.1",
        status="rejected",
        comment="照片不清晰",
    )
    scorecards_compute(assessment_ids=[assessment.pk])
    body = scorecard(api_client_for, results, "乙社区")
    item = next(i for ind in body["indicators"] for i in ind["items"] if i["code"] == "L1P1.1")
    assert item["review"] == {"status": "rejected", "comment": "照片不清晰"}
    assert item["status"] == "rejected" and item["points"] == "0.00"


def test_the_previous_round_has_its_own_scorecard(api_client_for, results):
    body = scorecard(api_client_for, results, "甲社区", year="2025")
    card = ScoreCard.objects.get(assessment=results.assessment("2025", "甲社区"))
    assert body["round"]["id"] == results.previous.pk
    assert Decimal(body["total"]) == card.total and body["frozen"] is True


def test_labels_follow_the_request_language(api_client_for, results):
    client = api_client_for(results.users["admin"])
    pk = results.assessment("2026", "甲社区").pk
    english = client.get(url(pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["grade_name"] in {"Excellent", "Good", "Pass", "Needs improvement"}
    assert english["placings"][0]["label"] == "Rank in the province"


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("admin", "庚社区", 200),
        ("assessor", "甲社区", 200),
        ("stranger", "甲社区", 404),
        ("official", "庚社区", 200),
        ("official_jinan", "戊社区", 200),
        ("official_jinan", "庚社区", 404),
        ("official_lixia", "甲社区", 200),
        ("official_lixia", "戊社区", 404),
        ("anonymous", "甲社区", 401),
    ],
)
def test_who_may_read_a_scorecard(api_client_for, results, who, name, status):
    answer = api_client_for(reader(results, who)).get(url(results.assessment("2026", name).pk))
    if status == 200:
        assert answer.status_code == 200
        assert answer.json()["community"]["name"] == name
    else:
        assert_error(answer, status)


def test_an_assessment_not_scored_yet_is_a_404_that_says_so(api_client_for, results):
    community = new_community(results, "新社区")
    assessment = services.assessment_create(
        round=results.current, community=community, assessors=(results.users["assessor"],)
    )
    assert not ScoreCard.objects.filter(assessment=assessment).exists()
    body = assert_error(
        api_client_for(results.users["admin"]).get(url(assessment.pk)), 404, "not_found"
    )
    assert "评分" in body["message"] or "scorecard" in body["message"]


@pytest.mark.parametrize("pk", ["0", "999999", "99999999999999999999999"])
def test_unknown_assessments_are_404_never_500(api_client_for, results, pk):
    assert_error(api_client_for(results.users["admin"]).get(url(pk)), 404)
