"""The overview: each reader's scope, figures as stored, the weakest indicators, coverage,
links onwards, an empty round, and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.choices import AssessmentStatus
from assessments.models import Assessment
from indicators.specs import framework_catalog
from tests.reports.expected import (
    cards_in,
    grow,
    indicator_means,
    mean,
    median,
    query_count,
    rounded,
)

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:overview")
SCOPES = [
    ("admin", None),
    ("official", None),
    ("official_jinan", "jinan"),
    ("official_lixia", "lixia"),
]


def overview_of(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.context["data"]


def assessments_in(results, region_key):
    found = Assessment.objects.filter(round=results.current)
    if region_key is not None:
        found = found.filter(community__region__path__startswith=results.regions[region_key].path)
    return list(found)


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_each_reader_sees_status_and_scores_of_their_scope(client, results, who, region):
    _response, data = overview_of(client, results.users[who])
    assessments = assessments_in(results, region)
    for status in data.statuses:
        assert status.count == sum(a.status == status.value for a in assessments), status.value
    assert data.assessments == len(assessments)
    cards = cards_in(results, results.current, region)
    totals = [c.total for c in cards]
    assert data.stats.scored == len(cards)
    assert data.stats.mean_total == mean(totals)
    assert data.stats.median_total == median(totals)
    assert {g.code: g.count for g in data.grades if g.count} == {
        grade: sum(c.grade == grade for c in cards) for grade in {c.grade for c in cards}
    }
    assert (data.province is None) == (region is None)


@pytest.mark.parametrize(
    ("who", "areas"),
    [
        ("admin", {"jinan", "qingdao"}),
        ("official_jinan", {"lixia", "shizhong_district"}),
        ("official_lixia", {"lixia"}),
    ],
)
def test_coverage_is_by_city_then_by_district(client, results, who, areas):
    _response, data = overview_of(client, results.users[who])
    items = len(framework_catalog(results.current.framework).spec.items)
    assert {row.region.pk for row in data.coverage} == {results.regions[k].pk for k in areas}
    for row in data.coverage:
        mine = assessments_in(results, next(k for k in areas if results.regions[k] == row.region))
        done = [
            a for a in mine if a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)
        ]
        assert row.assessments == len(mine)
        assert row.done == len(done)
        assert row.done_share == rounded(Decimal(100 * len(done)) / len(mine), "0.1")
        evidenced = sum(a.evidenced_count for a in mine)
        assert row.evidenced_share == rounded(Decimal(100 * evidenced) / (len(mine) * items), "0.1")
        assert row.url.startswith(reverse("dashboard:region", args=[row.region.pk]))


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_the_weakest_five_indicators_are_those_with_the_lowest_share_of_weight(
    client, results, who, region
):
    _response, data = overview_of(client, results.users[who])
    means = indicator_means(cards_in(results, results.current, region))
    order = [ind.code for p in framework_catalog(results.current.framework).primaries
             for ind in p.indicators.all()]  # fmt: skip
    expected = sorted(order, key=lambda code: means[code][0] / means[code][1])[:5]
    assert [ind.code for ind in data.weakest] == expected
    for ind in data.weakest:
        assert ind.mean == means[ind.code][0]
        assert f"sort={ind.code}" in ind.url and "dir=asc" in ind.url
        assert ind.url.startswith(reverse("dashboard:heatmap"))


def test_primary_bars_are_the_mean_share_of_each_primary_weight(client, results):
    _response, data = overview_of(client, results.users["admin"])
    cards = cards_in(results, results.current, None)
    for primary in data.primaries:
        expected = mean(c.primaries[primary.code] for c in cards)
        assert primary.mean == expected
        assert primary.share == rounded(expected * 100 / primary.weight, "0.1")


def test_the_page_shows_charts_with_tables_and_links_onwards(client, results):
    with translation.override("en"):
        response, data = overview_of(client, results.users["admin"])
    body = response.content.decode()
    assert 'data-chart="grades"' in body and 'data-chart="primaries"' in body
    assert body.count('class="chart-data"') == 2, "every chart has its data table"
    for grade in data.grades:
        assert f"grade={grade.code}" in grade.url
        assert grade.url.startswith(reverse("dashboard:ranking"))
    assert f"{reverse('dashboard:regions')}?round={results.current.pk}" in body
    assert reverse("dashboard:trends") in body
    assert 'id="weakest"' in body, "the five weakest indicators are listed"


def test_an_earlier_round_shows_its_own_figures(client, results):
    _response, data = overview_of(client, results.users["admin"], round=results.previous.pk)
    cards = cards_in(results, results.previous, None)
    assert data.stats.mean_total == mean(c.total for c in cards)
    assert data.statuses[-1].count == len(cards), "every 2025 assessment was approved"


def test_a_round_without_scores_shows_an_empty_state(client, results):
    empty = services.round_create(
        name="2027年度评估",
        framework=results.current.framework,
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        submission_deadline=dt.date(2027, 12, 15),
        review_deadline=dt.date(2027, 12, 31),
    )
    with translation.override("en"):
        response, data = overview_of(client, results.users["admin"], round=empty.pk)
    assert data.stats is None and data.charts == [] and data.weakest == []
    with translation.override("zh-hans"):
        expected = translation.gettext("No scores in your scope for this round yet.")
    assert expected in response.content.decode()


def test_assessors_are_refused_and_visitors_sent_to_log_in(client, results):
    client.force_login(results.users["assessor"])
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("who", ["admin", "official_jinan"])
def test_queries_do_not_grow_with_the_data(client, results, who):
    client.force_login(results.users[who])
    before = query_count(client, URL)
    grow(results)
    assert query_count(client, URL) == before
