"""GET /api/v1/dashboard/overview/: the figures of the dashboard's overview as JSON, in
each reader's scope, worked out again here from the stored rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assessments import services
from assessments.choices import AssessmentStatus
from assessments.models import Assessment
from indicators.specs import framework_catalog
from scoring.models import AreaStats
from tests.reports.expected import cards_in, indicator_means, mean, median, rounded

from .helpers import assert_error, fields_of, reader

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/overview/"
SCOPES = [
    ("admin", None),
    ("official", None),
    ("official_jinan", "jinan"),
    ("official_lixia", "lixia"),
]
DONE = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


def overview(api_client_for: Any, user: Any, **params: Any) -> dict[str, Any]:
    answer = api_client_for(user).get(URL, params)
    assert answer.status_code == 200, answer.content[:500]
    return answer.json()


def assessments_in(results: Any, region: str | None, round_: Any = None) -> list[Assessment]:
    found = Assessment.objects.filter(round=round_ or results.current)
    if region is not None:
        found = found.filter(community__region__path__startswith=results.regions[region].path)
    return list(found)


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_status_counts_and_score_figures_of_each_scope(api_client_for, results, who, region):
    body = overview(api_client_for, results.users[who])
    assessments = assessments_in(results, region)
    assert body["round"] == {"id": results.current.pk, "name": "2026年度评估"}
    assert [r["id"] for r in body["rounds"]] == [results.current.pk, results.previous.pk]
    assert {s["status"]: s["count"] for s in body["statuses"]} == {
        status: sum(a.status == status for a in assessments) for status in AssessmentStatus.values
    }
    done = sum(a.status in DONE for a in assessments)
    assert body["assessments"] == len(assessments) and body["done"] == done
    assert Decimal(body["done_share"]) == rounded(Decimal(100 * done) / len(assessments), "0.1")
    cards = cards_in(results, results.current, region)
    totals = [c.total for c in cards]
    assert body["scored"] == len(cards)
    assert Decimal(body["mean_total"]) == mean(totals)
    assert Decimal(body["median_total"]) == median(totals)
    assert {g["code"]: g["count"] for g in body["grades"] if g["count"]} == {
        grade: sum(c.grade == grade for c in cards) for grade in {c.grade for c in cards}
    }
    assert [g["code"] for g in body["grades"]] == ["excellent", "good", "pass", "needs_improvement"]
    for primary in body["primaries"]:
        expected = mean(c.primaries[primary["code"]] for c in cards)
        assert Decimal(primary["mean"]) == expected
        share = rounded(expected * 100 / Decimal(primary["weight"]), "0.1")
        assert Decimal(primary["share"]) == share
    assert body["standings"]["ranked_at"] and body["standings"]["stale"] is False


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_the_scope_and_the_province_for_comparison(api_client_for, results, who, region):
    body = overview(api_client_for, results.users[who])
    if region is None:
        assert body["scope"]["level"] == "province" and body["scope"]["region"] is None
        assert body["province"] is None
        return
    area = results.regions[region]
    assert body["scope"]["label"] == area.name and body["scope"]["level"] == area.level
    assert body["scope"]["region"]["id"] == area.pk
    province = AreaStats.objects.get(round=results.current, region=None)
    assert body["province"] == {
        "scored": province.scored,
        "mean_total": f"{province.mean_total:.2f}",
        "median_total": f"{province.median_total:.2f}",
    }


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_the_five_weakest_indicators(api_client_for, results, who, region):
    body = overview(api_client_for, results.users[who])
    means = indicator_means(cards_in(results, results.current, region))
    order = [ind.code for p in framework_catalog(results.current.framework).primaries
             for ind in p.indicators.all()]  # fmt: skip
    expected = sorted(order, key=lambda code: means[code][0] / means[code][1])[:5]
    assert [ind["code"] for ind in body["weakest"]] == expected
    for ind in body["weakest"]:
        score, weight = means[ind["code"]]
        assert Decimal(ind["mean"]) == score and Decimal(ind["weight"]) == weight
        assert Decimal(ind["share"]) == rounded(score * 100 / weight, "0.1")


@pytest.mark.parametrize(
    ("who", "level", "areas"),
    [
        ("admin", "city", {"jinan", "qingdao"}),
        ("official_jinan", "district", {"lixia", "shizhong_district"}),
        ("official_lixia", "district", {"lixia"}),
    ],
)
def test_coverage_by_city_then_by_district(api_client_for, results, who, level, areas):
    body = overview(api_client_for, results.users[who])
    items = len(framework_catalog(results.current.framework).spec.items)
    assert body["coverage_level"] == level
    by_id = {results.regions[key].pk: key for key in areas}
    assert {row["region"]["id"] for row in body["coverage"]} == set(by_id)
    for row in body["coverage"]:
        mine = assessments_in(results, by_id[row["region"]["id"]])
        done = sum(a.status in DONE for a in mine)
        evidenced = sum(a.evidenced_count for a in mine)
        assert row["assessments"] == len(mine) and row["done"] == done
        assert Decimal(row["done_share"]) == rounded(Decimal(100 * done) / len(mine), "0.1")
        assert Decimal(row["evidenced_share"]) == rounded(
            Decimal(100 * evidenced) / (len(mine) * items), "0.1"
        )


def test_an_earlier_round_has_its_own_figures(api_client_for, results):
    body = overview(api_client_for, results.users["admin"], round=results.previous.pk)
    cards = cards_in(results, results.previous, None)
    assert body["round"]["id"] == results.previous.pk
    assert Decimal(body["mean_total"]) == mean(c.total for c in cards)
    approved = next(s for s in body["statuses"] if s["status"] == "approved")
    assert approved["count"] == len(cards) == 8


def test_a_round_without_scores_has_counts_but_no_score_figures(api_client_for, results):
    empty = services.round_create(
        name="2027年度评估",
        framework=results.current.framework,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        submission_deadline=dt.date(2027, 12, 15),
        review_deadline=dt.date(2027, 12, 31),
    )
    body = overview(api_client_for, results.users["admin"], round=empty.pk)
    assert body["round"]["id"] == empty.pk and body["assessments"] == 0
    assert body["scored"] == 0 and body["mean_total"] is None and body["computed_at"] is None
    assert body["weakest"] == [] and body["coverage"] == []
    assert all(g["count"] == 0 and g["share"] is None for g in body["grades"])


def test_labels_follow_the_request_language(api_client_for, results):
    client = api_client_for(results.users["official_jinan"])
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert {s["label"] for s in body["statuses"]} == {"Draft", "Submitted", "Returned", "Approved"}
    assert body["grades"][0]["name"] == "Excellent"


@pytest.mark.parametrize(("who", "status"), [("assessor", 403), ("anonymous", 401)])
def test_others_get_no_overview(api_client_for, results, who, status):
    assert_error(api_client_for(reader(results, who)).get(URL), status)


@pytest.mark.parametrize("value", ["abc", "0", "1.5"])
def test_a_malformed_round_is_a_400(api_client_for, results, value):
    body = assert_error(api_client_for(results.users["admin"]).get(URL, {"round": value}), 400)
    assert fields_of(body) == {"round"}


def test_a_round_the_reader_cannot_see_is_a_404(api_client_for, results):
    assert_error(api_client_for(results.users["admin"]).get(URL, {"round": 999999}), 404)
