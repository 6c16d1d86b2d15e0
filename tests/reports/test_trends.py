"""Trends: an area's means across both rounds, the change from the round before, a picker
limited to the scope, and areas outside it not found."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.reports.expected import cards_in, grow, mean, median, query_count

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:trends")


def trends_of(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.status_code
    return response, response.context["data"]


@pytest.mark.parametrize(
    ("who", "region"),
    [
        ("admin", None),
        ("official", None),
        ("official_jinan", "jinan"),
        ("official_lixia", "lixia"),
    ],
)
def test_each_reader_sees_both_rounds_of_their_scope(client, results, who, region):
    _response, data = trends_of(client, results.users[who])
    assert data.region == (results.regions[region] if region else None)
    assert [f.round for f in data.rounds] == [results.previous, results.current], "oldest first"
    for figures in data.rounds:
        cards = cards_in(results, figures.round, region)
        assert figures.stats.scored == len(cards)
        assert figures.stats.mean_total == mean(c.total for c in cards)
        assert figures.stats.median_total == median(c.total for c in cards)
        for primary in figures.primaries:
            assert primary.mean == mean(c.primaries[primary.code] for c in cards)


def test_the_change_is_from_the_round_before(client, results):
    _response, data = trends_of(
        client, results.users["official_jinan"], region=results.regions["lixia"].pk
    )
    now = mean(c.total for c in cards_in(results, results.current, "lixia"))
    before = mean(c.total for c in cards_in(results, results.previous, "lixia"))
    assert data.current.round == results.current and data.previous.round == results.previous
    total = data.changes[0]
    assert (total.current, total.previous, total.delta) == (now, before, now - before)
    assert len(data.changes) == 3 + 4, "mean, median, scored and the four primaries"


def test_the_first_round_has_nothing_to_compare_with(client, results):
    _response, data = trends_of(client, results.users["admin"], round=results.previous.pk)
    assert data.current.round == results.previous
    assert data.previous is None and data.changes == []
    assert len(data.rounds) == 2


def test_charts_cover_totals_primaries_and_grades_per_round(client, results):
    with translation.override("en"):
        response, data = trends_of(client, results.users["admin"])
    assert [chart.id for chart in data.charts] == ["totals", "primaries", "grades"]
    grades = data.charts[2]
    for row, figures in zip(grades.rows, data.rounds, strict=True):
        assert sum(row[1:]) == figures.stats.scored
    body = response.content.decode()
    assert body.count('class="chart-data"') == 3
    assert reverse("dashboard:ranking") in body, "the note on a community's own history"


@pytest.mark.parametrize(
    ("who", "choices"),
    [
        ("admin", {None, "jinan", "lixia", "shizhong_district", "qingdao", "shinan_district"}),
        ("official_jinan", {"jinan", "lixia", "shizhong_district"}),
        ("official_lixia", {"lixia"}),
    ],
)
def test_the_picker_offers_cities_and_districts_of_the_scope(client, results, who, choices):
    _response, data = trends_of(client, results.users[who])
    expected = {"" if key is None else str(results.regions[key].pk) for key in choices}
    assert {choice.value for choice in data.choices} == expected
    assert sum(choice.selected for choice in data.choices) == 1


def test_a_district_in_scope_can_be_chosen(client, results):
    _response, data = trends_of(
        client, results.users["admin"], region=results.regions["shinan_district"].pk
    )
    cards = cards_in(results, results.previous, "shinan_district")
    assert data.rounds[0].stats.mean_total == mean(c.total for c in cards)


@pytest.mark.parametrize(
    ("who", "key"),
    [
        ("official_jinan", "qingdao"),
        ("official_jinan", "province"),
        ("official_lixia", "jinan"),
        ("official_lixia", "shizhong_district"),
        ("admin", "jiefang"),  # streets are not summed up
    ],
)
def test_areas_outside_the_scope_or_below_districts_are_not_found(client, results, who, key):
    client.force_login(results.users[who])
    assert client.get(URL, {"region": results.regions[key].pk}).status_code == 404


def test_nonsense_regions_fall_back_to_the_scope(client, results):
    for odd in ("²", "x" * 5000, "-1", "\x00"):
        _response, data = trends_of(client, results.users["official_jinan"], region=odd)
        assert data.region == results.regions["jinan"]
    client.force_login(results.users["admin"])
    assert client.get(URL, {"region": "99999999"}).status_code == 404


def test_assessors_are_refused(client, results):
    client.force_login(results.users["assessor"])
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("who", ["admin", "official_jinan"])
def test_queries_do_not_grow_with_the_data(client, results, who):
    client.force_login(results.users[who])
    urls = [URL, f"{URL}?region={results.regions['lixia'].pk}"]
    before = [query_count(client, url) for url in urls]
    grow(results)
    assert [query_count(client, url) for url in urls] == before
