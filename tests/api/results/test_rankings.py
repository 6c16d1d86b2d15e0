"""GET /api/v1/rankings/: the dashboard's ranking table for machines: each reader's scope,
the stored ranks of the filtered area, filters, sorting, pages with counts, malformed
parameters refused, and a number of queries that does not grow with the page size."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import ScoreCard
from tests.reports.expected import grow

from .helpers import assert_error, fields_of, reader

pytestmark = pytest.mark.django_db

URL = "/api/v1/rankings/"


def ranking(client: Any, **params: Any) -> dict[str, Any]:
    answer = client.get(URL, params)
    assert answer.status_code == 200, answer.content[:500]
    return answer.json()


def cards_of(round_: Any) -> dict[str, ScoreCard]:
    cards = ScoreCard.objects.filter(round=round_).select_related("assessment__community")
    return {card.assessment.community.name: card for card in cards}


def names(body: dict[str, Any]) -> list[str]:
    return [row["community"]["name"] for row in body["results"]]


def test_rows_are_the_stored_scorecards_best_first(api_client_for, results):
    body = ranking(api_client_for(results.users["admin"]))
    cards = cards_of(results.current)
    assert body["round"] == {"id": results.current.pk, "name": "2026年度评估"}
    assert body["rank_kind"] == "overall" and body["filters"] == {}
    assert body["count"] == 8 and body["next"] is None and body["previous"] is None
    totals = [Decimal(row["total"]) for row in body["results"]]
    assert totals == sorted(totals, reverse=True)
    assert body["results"][0]["rank"] == 1
    for row in body["results"]:
        name = row["community"]["name"]
        card = cards[name]
        community = results.communities[name]
        assert row["assessment"] == card.assessment_id
        assert row["community"] == {"id": community.pk, "code": community.code, "name": name}
        assert row["rank"] == card.rank
        assert row["total"] == f"{card.total:.2f}" and row["grade"] == card.grade
        assert row["primaries"] == {k: f"{Decimal(v):.2f}" for k, v in card.primaries.items()}
        assert row["status"] == card.assessment.status
        assert row["city"]["id"] == card.city_id and row["district"]["id"] == card.district_id
        assert row["answered_items"] == card.assessment.answered_count
        assert isinstance(row["thin_evidence"], bool)


@pytest.mark.parametrize(
    ("who", "region"),
    [("admin", None), ("official", None), ("official_jinan", "jinan"), ("official_lixia", "lixia")],
)
def test_each_reader_sees_exactly_their_area(api_client_for, results, who, region):
    body = ranking(api_client_for(results.users[who]))
    expected = set(results.communities) if region is None else results.in_region(region)
    assert set(names(body)) == expected and body["count"] == len(expected)


@pytest.mark.parametrize(("who", "status"), [("assessor", 403), ("anonymous", 401)])
def test_others_get_no_ranking(api_client_for, results, who, status):
    assert_error(api_client_for(reader(results, who)).get(URL), status)


@pytest.mark.parametrize(
    ("params", "kind", "field"),
    [
        ({}, "overall", "rank"),
        ({"city": "jinan"}, "city", "rank_in_city"),
        ({"city": "jinan", "district": "lixia"}, "district", "rank_in_district"),
        ({"peer": "urban-m"}, "peer", "rank_in_peer_group"),
    ],
)
def test_the_rank_shown_is_of_the_filtered_area(api_client_for, results, params, kind, field):
    query = {k: v if k == "peer" else results.regions[v].pk for k, v in params.items()}
    body = ranking(api_client_for(results.users["admin"]), **query)
    assert body["rank_kind"] == kind
    assert body["filters"] == {k: str(v) for k, v in query.items()}
    cards = cards_of(results.current)
    assert body["results"]
    for row in body["results"]:
        assert row["rank"] == getattr(cards[row["community"]["name"]], field)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "approved"}, {"甲社区", "丙社区", "庚社区"}),
        ({"area": "rural"}, {"丁社区", "己社区", "辛社区"}),
        ({"q": "乙"}, {"乙社区"}),
        ({"q": "R0006"}, {"庚社区"}),
        ({"status": ""}, None),  # a blank value names no filter, as from a form
    ],
)
def test_filters_narrow_the_table(api_client_for, results, params, expected):
    body = ranking(api_client_for(results.users["admin"]), **params)
    assert set(names(body)) == (expected or set(results.communities))


def test_the_grade_filter_and_sorting_by_a_primary(api_client_for, results):
    client = api_client_for(results.users["admin"])
    cards = cards_of(results.current)
    grade = cards["甲社区"].grade
    graded = ranking(client, grade=grade)
    assert set(names(graded)) == {n for n, c in cards.items() if c.grade == grade}
    by_l3 = ranking(client, sort="-L3")
    scores = [Decimal(row["primaries"]["L3"]) for row in by_l3["results"]]
    assert scores == sorted(scores) and by_l3["filters"] == {"sort": "-L3"}
    by_name = ranking(client, sort="name")
    assert names(by_name) == sorted(names(by_name))


def test_areas_outside_the_scope_are_dropped_and_said_so(api_client_for, results):
    client = api_client_for(results.users["official_lixia"])
    body = ranking(client, city=results.regions["qingdao"].pk)
    assert body["filters"] == {} and set(names(body)) == results.in_region("lixia")


def test_an_earlier_round(api_client_for, results):
    body = ranking(api_client_for(results.users["admin"]), round=results.previous.pk)
    cards = cards_of(results.previous)
    assert body["round"]["id"] == results.previous.pk
    assert {row["community"]["name"]: row["total"] for row in body["results"]} == {
        name: f"{card.total:.2f}" for name, card in cards.items()
    }
    assert {row["status"] for row in body["results"]} == {"approved"}


def test_pages_carry_counts_and_links(api_client_for, results):
    client = api_client_for(results.users["admin"])
    everything = names(ranking(client))
    first = ranking(client, page_size=3)
    assert first["count"] == 8 and len(first["results"]) == 3
    assert "page=2" in first["next"] and "page_size=3" in first["next"]
    last = ranking(client, page_size=3, page=3)
    assert last["next"] is None and "page_size=3" in last["previous"]
    middle = ranking(client, page_size=3, page=2)
    assert names(first) + names(middle) + names(last) == everything
    assert_error(client.get(URL, {"page": 4, "page_size": 3}), 404, "not_found")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"round": "abc"}, "round"),
        ({"round": "-1"}, "round"),
        ({"city": "jinan"}, "city"),
        ({"district": "0"}, "district"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "501"}, "page_size"),
        ({"page": "last"}, "page"),
        ({"status": "bogus"}, "status"),
        ({"area": "forest"}, "area"),
        ({"peer": "urban-xl"}, "peer"),
        ({"grade": "splendid"}, "grade"),
        ({"sort": "L9"}, "sort"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_malformed_parameters_are_400_naming_the_parameter(api_client_for, results, params, field):
    body = assert_error(api_client_for(results.users["admin"]).get(URL, params), 400, "invalid")
    assert fields_of(body) == {field}


def test_a_round_outside_the_scope_is_a_404(api_client_for, results):
    body = assert_error(
        api_client_for(results.users["admin"]).get(URL, {"round": 999999}), 404, "not_found"
    )
    assert "999999" in body["message"]


def _queries(client: Any, page_size: int) -> tuple[int, int]:
    """Queries of one request for a page of ``page_size`` rows (after a first request
    brought the standings up to date), and the rows it answered."""
    client.get(URL, {"page_size": page_size})
    with CaptureQueriesContext(connection) as queries:
        body = ranking(client, page_size=page_size, sort="L2")
    return len(queries), len(body["results"])


def test_the_number_of_queries_does_not_grow_with_the_page_size(
    api_client_for, results, django_assert_max_num_queries
):
    grow(results, per_street=6)
    client = api_client_for(results.users["official"])
    few, rows = _queries(client, 5)
    assert rows == 5
    with django_assert_max_num_queries(few):
        body = ranking(client, page_size=30, sort="L2")
    assert len(body["results"]) == 30 and body["count"] == 32
