"""Drill-down by region: province, city, district and its communities; each reader starts at
their own area, breadcrumbs lead back up, areas outside the scope are 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.selectors import regions as selectors
from tests.reports.expected import cards_in, grow, mean, median, query_count

pytestmark = pytest.mark.django_db

PROVINCE_URL = reverse("dashboard:regions")


def region_url(results, key):
    return reverse("dashboard:region", args=[results.regions[key].pk])


def page_of(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.context["data"]


def assert_figures(data, results, region_key):
    cards = cards_in(results, results.current, region_key)
    assert data.stats.scored == len(cards)
    assert data.stats.mean_total == mean(c.total for c in cards)
    assert data.stats.median_total == median(c.total for c in cards)
    counts = {g.code: g.count for g in data.grades}
    for card in cards:
        counts[card.grade] -= 1
    assert set(counts.values()) == {0}


@pytest.mark.parametrize(
    ("who", "top", "children"),
    [
        ("admin", None, {"jinan", "qingdao"}),
        ("official", None, {"jinan", "qingdao"}),
        ("official_jinan", "jinan", {"lixia", "shizhong_district"}),
        ("official_lixia", "lixia", set()),
    ],
)
def test_each_reader_starts_at_their_own_area(client, results, who, top, children):
    _response, data = page_of(client, results.users[who], PROVINCE_URL)
    assert data.region == (results.regions[top] if top else None)
    assert data.crumbs == [], "the reader's own area is the top"
    assert {child.region.pk for child in data.children} == {results.regions[k].pk for k in children}
    assert_figures(data, results, top)


def test_the_province_lists_its_cities_with_their_figures(client, results):
    _response, data = page_of(client, results.users["admin"], PROVINCE_URL)
    assert data.child_level == "city"
    for child in data.children:
        key = next(k for k in ("jinan", "qingdao") if results.regions[k] == child.region)
        cards = cards_in(results, results.current, key)
        assert child.stats.scored == len(cards)
        assert child.stats.mean_total == mean(c.total for c in cards)
        assert child.stats.median_total == median(c.total for c in cards)
        assert sum(child.grades) == len(cards)
        assert child.url == f"{region_url(results, key)}?round={results.current.pk}"
    assert data.charts[0].id == "grades" and data.charts[1].id == "children"


def test_a_city_lists_its_districts_and_leads_back_to_the_province(client, results):
    response, data = page_of(client, results.users["admin"], region_url(results, "jinan"))
    assert data.child_level == "district"
    assert [child.region for child in data.children] == [
        results.regions["lixia"],
        results.regions["shizhong_district"],
    ]
    assert [crumb.url for crumb in data.crumbs] == [f"{PROVINCE_URL}?round={results.current.pk}"]
    assert_figures(data, results, "jinan")
    body = response.content.decode()
    assert f'href="{region_url(results, "lixia")}?round={results.current.pk}"' in body


@pytest.mark.parametrize(
    ("who", "crumbs"),
    [
        ("admin", [None, "jinan"]),
        ("official_jinan", ["jinan"]),
        ("official_lixia", []),
    ],
)
def test_a_district_lists_its_communities_by_rank(client, results, who, crumbs):
    response, data = page_of(client, results.users[who], region_url(results, "lixia"))
    cards = sorted(cards_in(results, results.current, "lixia"), key=lambda c: (-c.total, c.pk))
    assert [row.card.pk for row in data.communities] == [c.pk for c in cards]
    assert [row.card.rank_in_district for row in data.communities] == [
        c.rank_in_district for c in cards
    ]
    for row in data.communities:
        community = row.card.assessment.community_id
        assert (
            row.url
            == f"{reverse('dashboard:community', args=[community])}?round={results.current.pk}"
        )
    expected = [
        f"{PROVINCE_URL if key is None else region_url(results, key)}?round={results.current.pk}"
        for key in crumbs
    ]
    assert [crumb.url for crumb in data.crumbs] == expected
    assert data.child_level is None and data.children == []
    assert_figures(data, results, "lixia")
    assert 'class="grade grade-' in response.content.decode()


def test_a_long_district_is_paginated(client, results, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    url = region_url(results, "lixia")
    first = page_of(client, results.users["admin"], url)[1]
    second = page_of(client, results.users["admin"], url, page=2)[1]
    assert len(first.communities) == 3 and len(second.communities) == 1
    assert first.page.paginator.num_pages == 2


def test_links_lead_to_the_heat_map_ranking_and_trends_of_the_area(client, results):
    _response, data = page_of(client, results.users["admin"], region_url(results, "lixia"))
    city, district = results.regions["jinan"].pk, results.regions["lixia"].pk
    assert f"city={city}&district={district}" in data.heatmap_url
    assert f"city={city}&district={district}" in data.ranking_url
    assert f"region={district}" in data.trends_url
    for grade in data.grades:
        assert f"grade={grade.code}&city={city}&district={district}" in grade.url


@pytest.mark.parametrize(
    ("who", "outside"),
    [
        ("official_jinan", ["qingdao", "shinan_district", "province"]),
        ("official_lixia", ["jinan", "shizhong_district", "qingdao", "province"]),
    ],
)
def test_areas_outside_the_scope_are_not_found(client, results, who, outside):
    client.force_login(results.users[who])
    for key in outside:
        assert client.get(region_url(results, key)).status_code == 404, key
    assert client.get(reverse("dashboard:region", args=[99999999])).status_code == 404


def test_a_street_leads_to_its_district_and_the_province_to_the_top(client, results):
    client.force_login(results.users["official_jinan"])
    response = client.get(region_url(results, "qianfo"))
    assert response.status_code == 302
    assert response["Location"] == f"{region_url(results, 'lixia')}?round={results.current.pk}"
    client.force_login(results.users["admin"])
    response = client.get(region_url(results, "province"))
    assert response.status_code == 302
    assert response["Location"].startswith(PROVINCE_URL)


def test_an_earlier_round_reads_its_own_statistics(client, results):
    _response, data = page_of(
        client, results.users["admin"], region_url(results, "jinan"), round=results.previous.pk
    )
    cards = cards_in(results, results.previous, "jinan")
    assert data.stats.mean_total == mean(c.total for c in cards)


def test_assessors_are_refused(client, results):
    client.force_login(results.users["assessor"])
    assert client.get(PROVINCE_URL).status_code == 403
    assert client.get(region_url(results, "jinan")).status_code == 403


@pytest.mark.parametrize("who", ["admin", "official_jinan"])
def test_queries_do_not_grow_with_the_data(client, results, who):
    client.force_login(results.users[who])
    urls = [PROVINCE_URL, region_url(results, "jinan"), region_url(results, "lixia"),
            f"{region_url(results, 'lixia')}?page=2"]  # fmt: skip
    before = [query_count(client, url) for url in urls]
    grow(results)
    assert [query_count(client, url) for url in urls] == before
