"""A community's scorecard page: who sees it, figures as stored, points item by item,
history across rounds, empty states and constant queries."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from indicators.specs import framework_catalog
from reports.attainment import percent_of
from reports.points import split_points
from scoring.models import AreaStats, IndicatorScore, RankRange, ScoreCard, StabilityRun
from scoring.services import ranks_refresh, scorecards_compute
from tests.results import COMMUNITIES

from .community_helpers import in_english, new_community, scored_assessment, third_round

pytestmark = pytest.mark.django_db

NAMES = [row[0] for row in COMMUNITIES]


def url(results: Any, name: str, round_: Any = None) -> str:
    path = reverse("dashboard:community", args=[results.communities[name].pk])
    return f"{path}?round={round_.pk}" if round_ is not None else path


def card_of(results: Any, year: str, name: str) -> ScoreCard:
    return ScoreCard.objects.get(assessment=results.assessment(year, name))


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("admin", "庚社区", 200),
        ("official", "辛社区", 200),
        ("official_jinan", "己社区", 200),
        ("official_jinan", "庚社区", 404),
        ("official_lixia", "丙社区", 200),
        ("official_lixia", "戊社区", 404),
        ("assessor", "甲社区", 403),
    ],
)
def test_who_may_open_the_page(client, results, who, name, status):
    client.force_login(results.users[who])
    assert client.get(url(results, name)).status_code == status


def test_anonymous_readers_are_sent_to_log_in(client, results):
    assert client.get(url(results, "甲社区")).status_code == 302


def test_an_unknown_community_is_a_404(client, results):
    client.force_login(results.users["admin"])
    assert client.get(reverse("dashboard:community", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_figures_are_the_stored_ones(client, results, name):
    client.force_login(results.users["admin"])
    response = client.get(url(results, name))
    page = response.context["page"]
    card = card_of(results, "2026", name)
    assert page.card == card and page.card.total == card.total
    stats = {s.region_id: s for s in AreaStats.objects.filter(round=results.current)}
    peers = ScoreCard.objects.filter(round=results.current, peer_group=card.peer_group).count()
    assert [(p.rank, p.of) for p in page.placings] == [
        (card.rank, stats[None].scored),
        (card.rank_in_city, stats[card.city_id].scored),
        (card.rank_in_district, stats[card.district_id].scored),
        (card.rank_in_peer_group, peers),
    ]
    stored = {
        row.indicator.code: row
        for row in IndicatorScore.objects.filter(scorecard=card).select_related("indicator")
    }
    lines = [ind for p in page.primaries for ind in p.indicators]
    assert len(lines) == 24
    for line in lines:
        row = stored[line.indicator.code]
        assert (line.score, line.weight, line.met) == (row.score, row.weight, row.met)
        assert line.percent == percent_of(row.score, row.weight)
    assert [str(p.score) for p in page.primaries] == [card.primaries[c] for c in card.primaries]
    body = response.content.decode()
    assert str(card.total) in body and f"/ {stats[None].scored}" in body


def test_the_radar_sets_the_community_against_its_city_and_the_province(client, results):
    card = card_of(results, "2026", "甲社区")
    city = AreaStats.objects.get(round=results.current, region=results.regions["jinan"])
    province = AreaStats.objects.get(round=results.current, region=None)
    client.force_login(results.users["official_lixia"])
    in_english(client)
    page = client.get(url(results, "甲社区")).context["page"]
    radar = page.charts[0]
    names = [entry["name"] for entry in radar.option["series"][0]["data"]]
    assert names == ["甲社区", "济南市 average", "Province average"]
    primaries = framework_catalog(results.current.framework).primaries
    expected = [
        [float(percent_of(source[p.code], p.weight)) for p in primaries]
        for source in (card.primaries, city.primary_means, province.primary_means)
    ]
    assert [entry["value"] for entry in radar.option["series"][0]["data"]] == expected


@pytest.mark.parametrize("year", ["2025", "2026"])
def test_points_of_the_items_add_up_to_each_indicator_score(client, results, year):
    client.force_login(results.users["admin"])
    round_ = results.previous if year == "2025" else results.current
    for name in NAMES:
        page = client.get(url(results, name, round_)).context["page"]
        for ind in (ind for p in page.primaries for ind in p.indicators):
            applicable = [line for line in ind.items if line.share is not None]
            assert sum(line.points for line in applicable) == ind.score, (name, ind.indicator)
            for line in applicable:  # share x s (the share shown is rounded to 0.01)
                exact = Fraction(line.share) * Fraction(Decimal(line.s))
                assert abs(Fraction(line.points) - exact) < Fraction(15, 1000)


def test_split_points_keeps_each_part_close_and_the_sum_exact():
    parts = [Fraction(5, 3), Fraction(5, 3), Fraction(5, 3)]
    expected = [Decimal("1.67"), Decimal("1.67"), Decimal("1.66")]
    assert split_points(parts, Decimal("5.00")) == expected
    assert split_points([Fraction(0), Fraction(3, 2)], Decimal("1.50")) == [
        Decimal("0.00"),
        Decimal("1.50"),
    ]


def item_lines(response: Any) -> dict[str, Any]:
    return {
        line.item.code: line
        for p in response.context["page"].primaries
        for ind in p.indicators
        for line in ind.items
    }


def test_rejected_evidence_scores_nothing_and_says_why(client, results):
    assessment = results.assessment("2026", "乙社区")  # submitted: its evidence can be judged
    services.item_review_set(
        actor=results.users["admin"],
        assessment=assessment,
        item_code="L1P1.2",
        status="rejected",
        comment="照片不清晰",
    )
    scorecards_compute(assessment_ids=[assessment.pk])
    ranks_refresh()
    client.force_login(results.users["admin"])
    in_english(client)
    response = client.get(url(results, "乙社区"))
    line = item_lines(response)["L1P1.2"]
    assert line.status == "rejected" and line.points == Decimal("0.00") and line.met is False
    body = response.content.decode()
    assert "Evidence rejected by the reviewer" in body and "照片不清晰" in body


def test_a_not_applicable_item_is_left_out_and_its_share_goes_to_the_others(client, results):
    assessment = results.assessment("2026", "丁社区")  # a draft: answers can change
    services.answers_save(
        actor=results.users["assessor"], assessment=assessment, values={"L1P7.2": {"na": True}}
    )
    scorecards_compute(assessment_ids=[assessment.pk])
    ranks_refresh()
    client.force_login(results.users["admin"])
    in_english(client)
    response = client.get(url(results, "丁社区"))
    lines = item_lines(response)
    assert lines["L1P7.2"].status == "na" and lines["L1P7.2"].points is None
    assert lines["L1P7.1"].share == Decimal("2.00")  # the whole weight of L1P7
    assert "Not applicable: left out" in response.content.decode()


def test_links_lead_to_the_evidence_and_for_administrators_to_the_review(client, results):
    assessment = results.assessment("2026", "甲社区")
    page_link = reverse("assessments:page", args=[assessment.pk]) + "#L1P8"
    review_link = reverse("assessments:review", args=[assessment.pk]) + "#L1P8"
    client.force_login(results.users["admin"])
    body = client.get(url(results, "甲社区")).content.decode()
    assert page_link in body and review_link in body
    client.force_login(results.users["official_jinan"])
    body = client.get(url(results, "甲社区")).content.decode()
    assert page_link in body and review_link not in body
    assert client.get(page_link.split("#")[0]).status_code == 200  # readable by the official


def test_history_lists_every_round_with_a_link_to_it(client, results):
    client.force_login(results.users["official_jinan"])
    response = client.get(url(results, "戊社区"))
    page = response.context["page"]
    assert [line.round for line in page.history] == [results.previous, results.current]
    assert [line.card.total for line in page.history] == [
        card_of(results, "2025", "戊社区").total,
        card_of(results, "2026", "戊社区").total,
    ]
    trend = page.charts[1]
    assert trend.option["xAxis"]["data"] == [results.previous.name, results.current.name]
    assert url(results, "戊社区", results.previous) in response.content.decode()
    older = client.get(url(results, "戊社区", results.previous)).context["page"]
    assert older.card == card_of(results, "2025", "戊社区")


def test_rank_ranges_are_shown_when_a_stability_run_stored_them(client, results):
    card = card_of(results, "2026", "丙社区")
    run = StabilityRun.objects.create(
        round=results.current, draws=10, spread=Decimal("0.1"), seed=1, scores_version=1
    )
    RankRange.objects.create(scorecard=card, run=run, overall_low=3, overall_high=7)
    client.force_login(results.users["admin"])
    in_english(client)
    body = client.get(url(results, "丙社区")).content.decode()
    assert "rank range 3–7" in body


def test_a_community_scored_only_in_another_round_gets_an_empty_state(client, results, spec):
    community = new_community(results, "新社区")
    scored_assessment(results, spec, results.previous, community, 0.5)
    client.force_login(results.users["official_lixia"])
    in_english(client)
    response = client.get(reverse("dashboard:community", args=[community.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "has no assessment in" in body
    assert f"?round={results.previous.pk}" in body


def test_a_community_without_any_visible_assessment_is_a_404(client, results):
    community = new_community(results, "空社区")
    client.force_login(results.users["admin"])
    assert client.get(reverse("dashboard:community", args=[community.pk])).status_code == 404


def test_an_assessment_not_scored_yet_shows_its_progress(client, results):
    community = new_community(results, "未评分社区")
    services.assessment_create(round=results.current, community=community)
    client.force_login(results.users["admin"])
    in_english(client)
    response = client.get(reverse("dashboard:community", args=[community.pk]))
    assert response.status_code == 200 and response.context["page"].card is None
    assert "has no score yet" in response.content.decode()


def test_odd_round_values_fall_back_to_the_newest_round(client, results):
    client.force_login(results.users["admin"])
    for value in ("²", "-1", "99999999999999999999999", "x" * 5000):
        response = client.get(url(results, "甲社区"), {"round": value})
        assert response.status_code == 200
        assert response.context["page"].round == results.current


def test_queries_do_not_grow_with_rounds_or_communities(client, results, spec):
    client.force_login(results.users["official_jinan"])
    target = url(results, "甲社区")
    client.get(target)
    with CaptureQueriesContext(connection) as before:
        client.get(target)
    third_round(results, spec)
    for n in range(3):
        scored_assessment(results, spec, results.current, new_community(results, f"加{n}"), 0.6)
    client.get(target)
    with CaptureQueriesContext(connection) as after:
        response = client.get(target)
    assert len(response.context["page"].history) == 3
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
