"""Communities side by side: who may compare what, the picker, the best value of each row,
figures as stored and constant queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors.compare import chosen_ids
from scoring.models import IndicatorScore, ScoreCard

from .community_helpers import in_english, new_community, scored_assessment

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:compare")


def ids(results: Any, *names: str) -> list[int]:
    return [results.communities[name].pk for name in names]


def compare(client: Any, results: Any, *names: str, **params: Any) -> Any:
    return client.get(URL, {"c": ids(results, *names), **params})


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("official", 200), ("official_jinan", 200), ("official_lixia", 200),
     ("assessor", 403)],
)  # fmt: skip
def test_who_may_compare(client, results, who, status):
    client.force_login(results.users[who])
    assert compare(client, results, "甲社区", "乙社区").status_code == status


def test_anonymous_readers_are_sent_to_log_in(client, results):
    assert compare(client, results, "甲社区", "乙社区").status_code == 302


def test_communities_outside_the_scope_are_left_out_without_a_trace(client, results):
    client.force_login(results.users["official_lixia"])
    in_english(client)
    response = compare(client, results, "甲社区", "庚社区", "乙社区", "戊社区")
    page = response.context["page"]
    assert [e.community.name for e in page.chosen] == ["甲社区", "乙社区"]
    assert page.ignored == 2 and page.ready
    body = response.content.decode()
    assert "庚社区" not in body and "戊社区" not in body
    assert "2 of the chosen communities are left out" in body


def test_fewer_than_two_or_more_than_five_ask_for_another_choice(client, results):
    client.force_login(results.users["admin"])
    in_english(client)
    one = compare(client, results, "甲社区")
    assert not one.context["page"].ready and "Choose 2 to 5 communities" in one.content.decode()
    assert not one.context["page"].charts
    six = compare(client, results, "甲社区", "乙社区", "丙社区", "丁社区", "戊社区", "己社区")
    page = six.context["page"]
    assert page.too_many and not page.rows
    body = six.content.decode()
    assert "Choose at most 5 communities" in body
    assert body.count('name="c"') >= 6  # each can be unticked in the picker
    assert compare(client, results).context["page"].chosen == []


def test_odd_ids_are_ignored(client, results):
    client.force_login(results.users["admin"])
    values = ["²", "-1", "x" * 500, "0", "999999", "１２"]
    response = client.get(URL, {"c": values, "q": "\x00"})
    assert response.status_code == 200 and response.context["page"].ignored == len(values)
    assert chosen_ids(["3", "3", "a", "4"]) == ([3, 4], 1)


def test_the_search_finds_communities_in_scope_by_name_or_code(client, results):
    client.force_login(results.users["official_lixia"])
    page = client.get(URL, {"q": "社区", "c": ids(results, "甲社区")}).context["page"]
    found = {choice.entry.community.name for choice in page.matches}
    assert found == results.in_region("lixia") - {"甲社区"}
    code = results.communities["丙社区"].code
    page = client.get(URL, {"q": code}).context["page"]
    assert [choice.entry.community.name for choice in page.matches] == ["丙社区"]
    choice = page.matches[0]
    assert f"c={results.communities['丙社区'].pk}" in choice.query


def test_the_best_value_of_each_row_is_marked(client, results):
    names = ("甲社区", "乙社区", "丙社区", "庚社区")
    client.force_login(results.users["admin"])
    response = compare(client, results, *names)
    page = response.context["page"]
    cards = [ScoreCard.objects.get(assessment=results.assessment("2026", n)) for n in names]
    stored = {
        (row.scorecard_id, row.indicator.code): row.score
        for row in IndicatorScore.objects.filter(scorecard__in=cards).select_related("indicator")
    }
    indicator_rows = [row for row in page.rows if not row.primary]
    assert len(indicator_rows) == 24
    for row in indicator_rows:
        values = [stored[(card.pk, row.code)] for card in cards]
        assert [cell.score for cell in row.cells] == values
        top = max(values)
        marked = [cell.best for cell in row.cells]
        if len(set(values)) == 1:
            assert not any(marked)
        else:
            assert marked == [value == top for value in values], row.code
    totals = [card.total for card in cards]
    assert [cell.best for cell in page.totals] == [t == max(totals) for t in totals]
    body = response.content.decode()
    assert body.count('class="star"') == sum(
        cell.best for row in page.rows for cell in row.cells
    ) + sum(cell.best for cell in page.totals)


def test_totals_grades_ranks_and_charts_are_the_stored_figures(client, results):
    names = ("甲社区", "庚社区")
    client.force_login(results.users["official"])
    response = compare(client, results, *names)
    page = response.context["page"]
    cards = [ScoreCard.objects.get(assessment=results.assessment("2026", n)) for n in names]
    assert [entry.card for entry in page.chosen] == cards
    assert [(e.card.total, e.card.rank, e.card.rank_in_peer_group) for e in page.chosen] == [
        (c.total, c.rank, c.rank_in_peer_group) for c in cards
    ]
    radar, bars = page.charts
    assert [s["name"] for s in radar.option["series"][0]["data"]] == list(names)
    assert len(bars.option["yAxis"]["data"]) == 24
    assert [s["name"] for s in bars.option["series"]] == list(names)
    body = response.content.decode()
    for name in names:
        link = reverse("dashboard:community", args=[results.communities[name].pk])
        assert f'href="{link}?round={results.current.pk}"' in body


def test_queries_do_not_grow_with_the_number_of_communities(client, results, spec):
    client.force_login(results.users["admin"])
    more = [new_community(results, f"比{n}") for n in range(3)]
    for community in more:
        scored_assessment(results, spec, results.current, community, 0.7)
    two = {"c": ids(results, "甲社区", "乙社区"), "q": "社区"}
    five = {"c": [*ids(results, "丙社区", "丁社区"), *(c.pk for c in more)], "q": "社区"}
    client.get(URL, two)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, two)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL, five)
    assert len(response.context["page"].chosen) == 5
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
