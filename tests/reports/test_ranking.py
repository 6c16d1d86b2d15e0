"""The ranking page: each reader's scope, shared ranks, the rank of the filtered area,
filters, sorting, paging, rank ranges, the thin-evidence marker, constant queries."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Assessment, Community
from reports.views import ranking as ranking_view
from scoring.models import RankRange, ScoreCard, StabilityRun
from scoring.services import scores_changed

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:ranking")


def open_page(client: Any, user: Any, **params: Any) -> Any:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def names(response: Any) -> list[str]:
    return names_of(response.context["rows"])


def names_of(rows: list[Any]) -> list[str]:
    return [row.community.name for row in rows]


def cards_of(results: Any) -> dict[str, ScoreCard]:
    cards = ScoreCard.objects.filter(round=results.current).select_related("assessment__community")
    return {card.assessment.community.name: card for card in cards}


@pytest.mark.parametrize(
    ("who", "region"),
    [("admin", None), ("official", None), ("official_jinan", "jinan"), ("official_lixia", "lixia")],
)
def test_each_reader_sees_exactly_the_communities_of_their_area(client, results, who, region):
    response = open_page(client, results.users[who])
    expected = set(results.communities) if region is None else results.in_region(region)
    assert set(names(response)) == expected
    body = response.content.decode()
    for name in set(results.communities) - expected:
        assert name not in body


def test_assessors_get_no_ranking(client, results):
    client.force_login(results.users["assessor"])
    assert client.get(URL).status_code == 403


def test_the_table_is_best_first_with_the_stored_ranks(client, results):
    rows = open_page(client, results.users["admin"]).context["rows"]
    totals = [row.card.total for row in rows]
    assert totals == sorted(totals, reverse=True)
    assert [row.rank for row in rows] == [row.card.rank for row in rows]
    assert rows[0].rank == 1


def test_equal_totals_share_a_rank_and_the_next_is_skipped(client, results, settings):
    settings.STANDINGS_MAX_LAG_SECONDS = 0  # as without a broker: the page re-ranks first
    cards = sorted(cards_of(results).values(), key=lambda c: c.total, reverse=True)
    ScoreCard.objects.filter(pk=cards[2].pk).update(total=cards[1].total)
    scores_changed(round_ids=[results.current.pk])
    rows = open_page(client, results.users["admin"]).context["rows"]
    assert [row.rank for row in rows[:4]] == [1, 2, 2, 4]


@pytest.mark.parametrize(
    ("params", "field", "label"),
    [
        ({}, "rank", "Rank in province"),
        ({"city": "jinan"}, "rank_in_city", "Rank in city"),
        ({"city": "jinan", "district": "lixia"}, "rank_in_district", "Rank in district"),
        ({"peer": "urban-m"}, "rank_in_peer_group", "Rank in peer group"),
    ],
)
def test_the_ranked_column_follows_the_filter(client, results, params, field, label):
    query = {key: results.regions[value].pk for key, value in params.items() if key != "peer"}
    query.update({key: value for key, value in params.items() if key == "peer"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = open_page(client, results.users["admin"], **query)
    rows = response.context["rows"]
    assert rows
    assert [row.rank for row in rows] == [getattr(row.card, field) for row in rows]
    assert f">{label}</a>" in response.content.decode()


def test_ranks_in_a_city_start_at_one(client, results):
    response = open_page(client, results.users["admin"], city=results.regions["qingdao"].pk)
    assert [row.rank for row in response.context["rows"]] == [1, 2]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "approved"}, {"甲社区", "丙社区", "庚社区"}),
        ({"status": "draft"}, {"丁社区", "己社区"}),
        ({"area": "rural"}, {"丁社区", "己社区", "辛社区"}),
        ({"q": "乙"}, {"乙社区"}),
        ({"q": "R0006"}, {"庚社区"}),
        ({"q": "r000"}, None),  # codes match from their start, in any case
    ],
)
def test_filters_narrow_the_table(client, results, params, expected):
    response = open_page(client, results.users["admin"], **params)
    assert set(names(response)) == (expected or set(results.communities))


def test_region_and_grade_filters(client, results):
    admin = results.users["admin"]
    jinan = open_page(client, admin, city=results.regions["jinan"].pk)
    assert set(names(jinan)) == results.in_region("jinan")
    lixia = open_page(
        client, admin, city=results.regions["jinan"].pk, district=results.regions["lixia"].pk
    )
    assert set(names(lixia)) == results.in_region("lixia")
    grade = cards_of(results)["甲社区"].grade
    graded = open_page(client, admin, grade=grade)
    assert set(names(graded)) == {n for n, c in cards_of(results).items() if c.grade == grade}
    peer = cards_of(results)["乙社区"].peer_group
    peers = open_page(client, admin, peer=peer)
    assert set(names(peers)) == {n for n, c in cards_of(results).items() if c.peer_group == peer}


def test_a_district_of_another_city_is_ignored(client, results):
    response = open_page(
        client,
        results.users["admin"],
        city=results.regions["qingdao"].pk,
        district=results.regions["lixia"].pk,
    )
    assert set(names(response)) == results.in_region("qingdao")
    assert response.context["filters"].district is None


def test_officials_choose_only_within_their_area(client, results):
    lixia = results.users["official_lixia"]
    response = open_page(client, lixia, city=results.regions["qingdao"].pk)
    assert set(names(response)) == results.in_region("lixia")
    regions = response.context["regions"]
    assert regions.cities == [results.regions["jinan"]]
    jinan = open_page(client, lixia, city=results.regions["jinan"].pk)
    assert jinan.context["regions"].districts == [results.regions["lixia"]]
    city_official = open_page(
        client, results.users["official_jinan"], city=results.regions["jinan"].pk
    )
    assert {d.pk for d in city_official.context["regions"].districts} == {
        results.regions["lixia"].pk,
        results.regions["shizhong_district"].pk,
    }


@pytest.mark.parametrize("sort", ["name", "-name", "L1", "-L1", "coverage", "-rank"])
def test_sorting(client, results, sort):
    rows = open_page(client, results.users["admin"], sort=sort).context["rows"]
    key = sort.removeprefix("-")
    backwards = sort.startswith("-")
    if key == "name":
        by_name = list(Community.objects.order_by("name").values_list("name", flat=True))
        assert names_of(rows) == (by_name[::-1] if backwards else by_name)
    elif key == "L1":
        values: list[Any] = [Decimal(row.card.primaries["L1"]) for row in rows]
        assert values == sorted(values, reverse=not backwards)
    elif key == "coverage":
        values = [(row.assessment.evidenced_count, row.assessment.answered_count) for row in rows]
        assert values == sorted(values, reverse=True)
    else:
        values = [row.card.total for row in rows]
        assert values == sorted(values)


def test_primary_headers_name_their_weight_and_sort(client, results):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = open_page(client, results.users["admin"], sort="L2")
    body = response.content.decode()
    primaries = response.context["columns"].primaries
    for primary in primaries:
        assert primary.name in body
    assert "weight 29" in body
    assert 'aria-sort="descending"><a class="sort-link" href="?round=' in body
    assert "sort=-L2" in body  # a second click reverses


def test_pages_keep_every_filter(client, results, monkeypatch):
    monkeypatch.setattr(ranking_view, "PAGE_SIZE", 2)
    response = open_page(client, results.users["admin"], area="urban", sort="name", page="2")
    urban = list(
        Community.objects.filter(area_type="urban").order_by("name").values_list("name", flat=True)
    )
    assert names(response) == urban[2:4]
    body = response.content.decode()
    assert "area=urban" in body and "sort=name" in body
    assert "page=3" in body and "page=1" in body
    odd = open_page(client, results.users["admin"], page="²")
    assert odd.context["page"].number == 1


def test_rows_open_the_community_and_can_be_compared(client, results):
    body = open_page(client, results.users["admin"]).content.decode()
    community = results.communities["甲社区"]
    url = reverse("dashboard:community", args=[community.pk])
    assert f'href="{url}?round={results.current.pk}"' in body
    assert f'name="c" value="{community.pk}" form="compare-form"' in body
    assert f'action="{reverse("dashboard:compare")}"' in body


def test_export_links_keep_the_filters(client, results):
    response = open_page(client, results.users["admin"], area="rural", q="社区")
    body = response.content.decode()
    query = response.context["query"]
    assert "area=rural" in query and "q=" in query
    for name in ("dashboard:ranking-export", "dashboard:matrix-export"):
        for fmt in ("xlsx", "csv"):
            assert f"{reverse(name)}?{escape(query)}&amp;format={fmt}" in body


def test_rank_range_is_shown_when_a_stability_run_covers_the_community(client, results):
    card = cards_of(results)["乙社区"]
    run = StabilityRun.objects.create(
        round=results.current,
        status=StabilityRun.Status.FINISHED,
        draws=100,
        spread=Decimal("0.2"),
        seed=1,
        scores_version=1,
    )
    RankRange.objects.create(
        scorecard=card, run=run, overall_low=3, overall_high=7, city_low=2, city_high=4
    )
    rows = {r.community.name: r for r in open_page(client, results.users["admin"]).context["rows"]}
    assert rows["乙社区"].rank_range == (3, 7)
    assert rows["甲社区"].rank_range is None
    body = open_page(client, results.users["admin"]).content.decode()
    assert "3–7" in body
    in_city = open_page(client, results.users["admin"], city=results.regions["jinan"].pk)
    assert {r.community.name: r for r in in_city.context["rows"]}["乙社区"].rank_range == (2, 4)


def test_high_scores_on_thin_evidence_are_marked(client, results):
    cards = cards_of(results)
    good = Decimal(75)
    high = [name for name, card in cards.items() if card.total >= good]
    assert high, "the fixture has communities graded good or better"
    rows = {r.community.name: r for r in open_page(client, results.users["admin"]).context["rows"]}
    # No evidence anywhere in the fixture: every high score is thin, no low one is marked.
    assert {name for name, row in rows.items() if row.thin_evidence} == set(high)
    backed = results.assessment("2026", high[0])
    Assessment.objects.filter(pk=backed.pk).update(evidenced_count=backed.answered_count // 2)
    rows = {r.community.name: r for r in open_page(client, results.users["admin"]).context["rows"]}
    assert not rows[high[0]].thin_evidence
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = open_page(client, results.users["admin"]).content.decode()
    assert "thin evidence" in body and "fewer than half of the answered items" in body


@pytest.mark.parametrize(
    "params",
    [
        {"city": "²"},
        {"city": "99999999999999999999"},
        {"district": "-1"},
        {"grade": "\x00"},
        {"status": "bogus"},
        {"area": "x" * 5000},
        {"peer": "urban-xl"},
        {"sort": "L9"},
        {"sort": "--rank"},
        {"sort": "primaries"},
        {"q": "%_'\""},
        {"page": "last"},
    ],
)
def test_odd_parameters_are_ignored(client, results, params):
    response = open_page(client, results.users["admin"], **params)
    assert set(names(response)) <= set(results.communities)


def _add_communities(results: Any, count: int) -> None:
    from assessments import services
    from demo.answers import make_answers
    from indicators.specs import framework_spec
    from scoring.services import scorecards_compute

    spec = framework_spec(results.current.framework)
    assessor = results.users["assessor"]
    ids = []
    for n in range(count):
        community = services.community_create(
            data=services.CommunityData(
                code=f"X{n:04d}",
                name=f"新增{n}社区",
                region=results.regions["qianfo"],
                households=1500,
                residents=4000,
                area_type="urban",
            )
        )
        assessment = services.assessment_create(
            round=results.current, community=community, assessors=(assessor,)
        )
        services.answers_save(
            actor=assessor,
            assessment=assessment,
            values=make_answers(spec, 0.7, random.Random(n)),
        )
        ids.append(assessment.pk)
    scorecards_compute(assessment_ids=ids)


def _queries(client: Any, params: dict[str, Any]) -> int:
    client.get(URL, params)  # brings ranks up to date after a change
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params", [{}, {"city": "jinan", "district": "lixia", "sort": "L3", "q": "社区"}]
)
def test_the_number_of_queries_does_not_grow_with_the_communities(client, results, params):
    params = {
        k: results.regions[v].pk if k in ("city", "district") else v for k, v in params.items()
    }
    client.force_login(results.users["official_jinan"])
    before = _queries(client, params)
    _add_communities(results, 12)
    after = _queries(client, params)
    assert len(client.get(URL, params).context["rows"]) > 8
    assert after == before, (before, after)
