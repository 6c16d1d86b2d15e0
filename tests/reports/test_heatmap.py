"""Heat maps: communities and areas by indicator, scoped per reader, cells as stored,
sorting through the indicator rows, filters, links, paging and constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reports.selectors import heatmap as selectors
from scoring.models import AreaStats, IndicatorScore, ScoreCard
from tests.reports.expected import cards_in, grow, query_count, rounded

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:heatmap")
AREAS_URL = reverse("dashboard:heatmap-regions")
SCOPES = [
    ("admin", None),
    ("official", None),
    ("official_jinan", "jinan"),
    ("official_lixia", "lixia"),
]


def heatmap_of(client, user, url=URL, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, response.context["map"]


def names(heat):
    return [row.card.assessment.community.name for row in heat.rows]


def scores_of(indicator_code, cards):
    """Scorecard id -> the indicator's score, for ``cards``."""
    return dict(
        IndicatorScore.objects.filter(
            scorecard__in=cards, indicator__code=indicator_code
        ).values_list("scorecard_id", "score")
    )


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_each_reader_sees_the_communities_of_their_scope(client, results, who, region):
    _response, heat = heatmap_of(client, results.users[who])
    expected = set(results.communities) if region is None else results.in_region(region)
    assert set(names(heat)) == expected
    assert heat.page.paginator.count == len(expected)


def test_cells_are_the_share_of_each_indicator_weight(client, results):
    _response, heat = heatmap_of(client, results.users["admin"])
    codes = [column.code for group in heat.groups for column in group.columns]
    assert len(codes) == 24
    assert [len(g.columns) for g in heat.groups] == [8, 10, 5, 1]
    for row in heat.rows:
        stored = {
            r.indicator.code: r
            for r in IndicatorScore.objects.filter(scorecard=row.card).select_related("indicator")
        }
        for code, cell in zip(codes, row.cells, strict=True):
            expected = rounded(stored[code].score * 100 / stored[code].weight, "1")
            assert cell.value == expected, code
            assert cell.step == min(4, int(expected // 20))


def test_default_order_is_by_total_best_first(client, results):
    _response, heat = heatmap_of(client, results.users["admin"])
    totals = [row.card.total for row in heat.rows]
    assert totals == sorted(totals, reverse=True)
    _response, heat = heatmap_of(client, results.users["admin"], sort="total", dir="asc")
    assert [row.card.total for row in heat.rows] == sorted(totals)


@pytest.mark.parametrize(
    ("code", "direction"), [("L1P8", "desc"), ("L2P3", "asc"), ("L4P1", "desc")]
)
def test_sorting_by_an_indicator_orders_by_its_score(client, results, code, direction):
    _response, heat = heatmap_of(client, results.users["admin"], sort=code, dir=direction)
    cards = cards_in(results, results.current, None)
    scores = scores_of(code, cards)
    expected = sorted(
        cards, key=lambda c: (-scores[c.pk] if direction == "desc" else scores[c.pk], c.pk)
    )
    assert [row.card.pk for row in heat.rows] == [c.pk for c in expected]
    assert heat.headings[code].aria_sort == ("descending" if direction == "desc" else "ascending")


def test_sorting_by_an_indicator_stays_in_scope_and_pages_in_order(client, results, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    cards = cards_in(results, results.current, "jinan")
    scores = scores_of("L1P1", cards)
    expected = [c.pk for c in sorted(cards, key=lambda c: (-scores[c.pk], c.pk))]
    seen: list[int] = []
    for page in (1, 2, 3):
        _response, heat = heatmap_of(
            client, results.users["official_jinan"], sort="L1P1", page=page
        )
        seen.extend(row.card.pk for row in heat.rows)
    assert seen == expected
    assert heat.page.paginator.num_pages == 3


def test_sorting_by_name(client, results):
    by_name = list(  # in the database's collation
        ScoreCard.objects.filter(round=results.current)
        .order_by("assessment__community__name", "pk")
        .values_list("assessment__community__name", flat=True)
    )
    _response, heat = heatmap_of(client, results.users["admin"], sort="name")
    assert names(heat) == by_name
    _response, heat = heatmap_of(client, results.users["admin"], sort="name", dir="desc")
    assert names(heat) == by_name[::-1]


def test_filters_use_the_ranking_parameters(client, results):
    admin = results.users["admin"]
    regions = results.regions
    current = ScoreCard.objects.filter(round=results.current)
    checks = [
        ({"city": regions["qingdao"].pk}, current.filter(city=regions["qingdao"])),
        ({"city": regions["jinan"].pk, "district": regions["lixia"].pk},
         current.filter(district=regions["lixia"])),
        ({"grade": "needs_improvement"}, current.filter(grade="needs_improvement")),
        ({"area": "rural"}, current.filter(assessment__community__area_type="rural")),
        ({"peer": "urban-m"}, current.filter(peer_group="urban-m")),
        ({"q": "甲"}, current.filter(assessment__community__name__contains="甲")),
    ]  # fmt: skip
    for params, expected in checks:
        _response, heat = heatmap_of(client, admin, **params)
        assert {row.card.pk for row in heat.rows} == set(expected.values_list("pk", flat=True))
        _response, heat = heatmap_of(client, admin, sort="L3P1", **params)
        assert {row.card.pk for row in heat.rows} == set(expected.values_list("pk", flat=True))


def test_a_filter_cannot_reach_outside_the_scope(client, results):
    lixia = results.users["official_lixia"]
    for sort in ("total", "L1P2"):
        _response, heat = heatmap_of(client, lixia, city=results.regions["qingdao"].pk, sort=sort)
        assert heat.rows == []
        _response, heat = heatmap_of(
            client, lixia, district=results.regions["shinan_district"].pk, sort=sort
        )
        assert heat.rows == []


def test_rows_link_to_the_community_and_the_matrix_export_keeps_the_filters(client, results):
    city = results.regions["jinan"].pk
    response, heat = heatmap_of(client, results.users["admin"], city=city, grade="pass")
    body = response.content.decode()
    for row in heat.rows:
        community = row.card.assessment.community_id
        assert (
            row.url
            == f"{reverse('dashboard:community', args=[community])}?round={results.current.pk}"
        )
    export = reverse("dashboard:matrix-export")
    for fmt in ("xlsx", "csv"):
        assert (
            f"{export}?round={results.current.pk}&amp;city={city}&amp;grade=pass&amp;format={fmt}"
            in body
        )
    assert 'class="att att-' in body


def test_odd_parameters_fall_back_to_defaults(client, results):
    odd = {"sort": "L9P9", "dir": "sideways", "city": "²", "grade": "\x00", "peer": "x" * 5000,
           "area": "moon", "page": "last", "q": "\x00"}  # fmt: skip
    _response, heat = heatmap_of(client, results.users["admin"], **odd)
    assert heat.sorting == selectors.Sorting("total", True)
    assert len(heat.rows) == len(results.communities)


@pytest.mark.parametrize(
    ("who", "level", "areas"),
    [
        ("admin", "city", {"jinan", "qingdao"}),
        ("admin", "district", {"lixia", "shizhong_district", "shinan_district"}),
        ("official_jinan", "district", {"lixia", "shizhong_district"}),
        ("official_jinan", "city", {"lixia", "shizhong_district"}),
        ("official_lixia", "district", {"lixia"}),
    ],
)
def test_area_map_shows_the_areas_of_the_scope_from_their_statistics(
    client, results, who, level, areas
):
    _response, heat = heatmap_of(client, results.users[who], AREAS_URL, level=level)
    assert {row.region.pk for row in heat.rows} == {results.regions[k].pk for k in areas}
    codes = [column.code for group in heat.groups for column in group.columns]
    for row in heat.rows:
        stats = AreaStats.objects.get(round=results.current, region=row.region)
        weights = dict(
            IndicatorScore.objects.filter(round=results.current)
            .values_list("indicator__code", "weight")
            .distinct()
        )
        expected = [
            rounded(Decimal(stats.indicator_means[code]) * 100 / weights[code], "1")
            for code in codes
        ]
        assert [cell.value for cell in row.cells] == expected
        assert row.url.startswith(reverse("dashboard:region", args=[row.region.pk]))
    own = results.users[who].region
    assert heat.average.region == own
    assert heat.average.scored == AreaStats.objects.get(round=results.current, region=own).scored


def test_area_map_sorts_by_an_indicator(client, results):
    for direction in ("desc", "asc"):
        _response, heat = heatmap_of(
            client, results.users["admin"], AREAS_URL, level="district", sort="L2P1", dir=direction
        )
        index = [c.code for g in heat.groups for c in g.columns].index("L2P1")
        values = [row.cells[index].value for row in heat.rows]
        assert values == sorted(values, reverse=direction == "desc")


def test_assessors_are_refused(client, results):
    client.force_login(results.users["assessor"])
    assert client.get(URL).status_code == 403
    assert client.get(AREAS_URL).status_code == 403


def test_the_legend_explains_the_colours(client, results):
    with translation.override("en"):
        response, _heat = heatmap_of(client, results.users["admin"])
    body = response.content.decode()
    assert "att att-0 swatch" in body and "80–100%" in body


@pytest.mark.parametrize("who", ["admin", "official_jinan"])
def test_queries_do_not_grow_with_the_data(client, results, who):
    client.force_login(results.users[who])
    urls = [
        URL,
        f"{URL}?sort=L1P8",
        f"{URL}?sort=L2P2&dir=asc&grade=needs_improvement",
        f"{URL}?sort=name",
        f"{AREAS_URL}?level=district",
        f"{AREAS_URL}?sort=L4P1",
    ]
    before = [query_count(client, url) for url in urls]
    grow(results)
    assert [query_count(client, url) for url in urls] == before
