"""The ranking stability page: each reader sees the ranges of their scope at their level;
administrators start runs, with odd settings refused at their field."""

from __future__ import annotations

import random

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessment_services
from demo.answers import make_answers
from scoring import services
from scoring.models import RankRange, ScoreCard, StabilityRun

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:stability")
RUN_URL = reverse("dashboard:stability-run")


def run_stability(round_) -> StabilityRun:
    run = services.stability_run_start(round=round_, enqueue_task=False)
    finished = services.stability_run_process(run_id=run.pk)
    assert finished is not None and finished.status == "finished"
    return finished


@pytest.fixture
def ranged(results):
    run_stability(results.current)
    return results


def in_english(client, user) -> None:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page_for(client, user, **params):
    in_english(client, user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def names(response) -> set[str]:
    return {row.card.assessment.community.name for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("who", "region", "level", "rank_field", "low_field"),
    [
        ("admin", None, "overall", "rank", "overall_low"),
        ("official", None, "overall", "rank", "overall_low"),
        ("official_jinan", "jinan", "city", "rank_in_city", "city_low"),
        ("official_lixia", "lixia", "district", "rank_in_district", "district_low"),
    ],
)
def test_each_reader_sees_the_ranges_of_their_scope_at_their_level(
    client, ranged, who, region, level, rank_field, low_field
):
    response = page_for(client, ranged.users[who])
    expected = set(ranged.communities) if region is None else ranged.in_region(region)
    assert names(response) == expected
    assert response.context["level"].key == level
    for row in response.context["rows"]:
        assert row.rank == getattr(row.card, rank_field)
        assert row.low == getattr(row.card.rank_range, low_field)
        assert row.low <= row.rank <= row.high
    ranks = [row.rank for row in response.context["rows"]]
    assert ranks == sorted(ranks)
    chart = response.context["chart"]
    assert [r[0] for r in chart.rows] == [
        row.card.assessment.community.name for row in response.context["rows"]
    ]
    assert response.context["summary"].ranged == len(expected)
    content = response.content.decode()
    assert "Rank ranges of the" in content
    assert ('name="draws"' in content) == (who == "admin"), "only administrators start runs"


def test_the_summary_counts_communities_whose_range_overlaps_a_neighbours(client, ranged):
    response = page_for(client, ranged.users["admin"])
    rows = sorted(
        RankRange.objects.filter(scorecard__round=ranged.current).values_list(
            "scorecard__rank", "scorecard_id", "overall_low", "overall_high"
        )
    )
    overlapping = 0
    for n, (_rank, _pk, low, high) in enumerate(rows):
        neighbours = rows[max(0, n - 1) : n] + rows[n + 1 : n + 2]
        if any(
            other_low <= high and low <= other_high
            for *_ignored, other_low, other_high in neighbours
        ):
            overlapping += 1
    assert response.context["summary"].overlapping == overlapping
    assert f"{overlapping} communit" in response.content.decode()


def test_the_summary_is_the_latest_runs_never_a_kept_earlier_one(client, ranged):
    """The summary is kept between readers; a new run must replace it at once."""
    admin = ranged.users["admin"]
    narrow = page_for(client, admin).context["summary"]
    run = services.stability_run_start(round=ranged.current, spread=0.5, enqueue_task=False)
    services.stability_run_process(run_id=run.pk)
    ranges = RankRange.objects.filter(run=run)
    widest = max(high - low for low, high in ranges.values_list("overall_low", "overall_high"))
    wide = page_for(client, admin).context["summary"]
    assert wide.widest == widest
    assert (wide.widest, wide.mean_width) != (narrow.widest, narrow.mean_width)


def test_the_page_says_what_was_computed_and_when_totals_changed_since(client, ranged, spec):
    admin = ranged.users["admin"]
    content = page_for(client, admin).content.decode()
    assert "The ranks were computed 1000 times" in content
    assert "between 0.8 and 1.2" in content
    assert "may be outdated" not in content

    assessment = ranged.assessment("2026", "丁社区")
    values = make_answers(spec, 0.95, random.Random(5))
    assessment_services.answers_save(actor=admin, assessment=assessment, values=values)
    services.scorecards_compute(assessment_ids=[assessment.pk])
    content = page_for(client, admin).content.decode()
    assert "may be outdated" in content


def test_a_round_without_a_run_says_so(client, results):
    response = page_for(client, results.users["official_jinan"])
    assert "has not been computed for this round yet" in response.content.decode()
    assert response.context["chart"] is None
    assert names(response) == results.in_region("jinan"), "the ranks are listed all the same"


def test_the_previous_round_is_chosen_by_its_parameter(client, ranged):
    response = page_for(client, ranged.users["admin"], round=str(ranged.previous.pk))
    assert response.context["scope"].round == ranged.previous
    assert response.context["runs"].finished is None


def test_odd_parameters_never_break_the_page(client, ranged):
    for value in ("²", "0", "-3", "99999999999999999999", "last", "\x00"):
        response = page_for(client, ranged.users["admin"], page=value)
        assert names(response) == set(ranged.communities)


def test_assessors_get_403(client, ranged):
    client.force_login(ranged.users["assessor"])
    assert client.get(URL).status_code == 403
    assert client.post(RUN_URL, {"draws": 1000, "spread": "0.2"}).status_code == 403


@pytest.mark.parametrize("who", ["official", "official_jinan", "official_lixia"])
def test_officials_may_not_start_runs(client, ranged, who):
    client.force_login(ranged.users[who])
    response = client.post(RUN_URL, {"draws": 1000, "spread": "0.2"})
    assert response.status_code == 403
    assert StabilityRun.objects.count() == 1


def test_an_administrator_starts_a_run_that_completes_without_a_broker(
    client, results, django_capture_on_commit_callbacks
):
    client.force_login(results.users["admin"])
    url = f"{RUN_URL}?round={results.current.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"draws": "300", "spread": "0.1"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?round={results.current.pk}"
    run = StabilityRun.objects.get()
    assert (run.round, run.draws, str(run.spread), run.status) == (
        results.current,
        300,
        "0.100",
        "finished",
    )
    assert (
        RankRange.objects.filter(run=run).count()
        == ScoreCard.objects.filter(round=results.current).count()
    )
    page = client.get(response["Location"])
    assert len(page.context["messages"]) == 1, "the run is reported"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"draws": "99", "spread": "0.2"}, "draws", "greater than or equal to 100"),
        ({"draws": "5001", "spread": "0.2"}, "draws", "less than or equal to 5000"),
        ({"draws": "many", "spread": "0.2"}, "draws", "Enter a whole number"),
        ({"draws": "1000", "spread": "0.04"}, "spread", "greater than or equal to 0.05"),
        ({"draws": "1000", "spread": "0.6"}, "spread", "less than or equal to 0.5"),
        ({"draws": "1000", "spread": ""}, "spread", "This field is required"),
    ],
)
def test_odd_settings_are_refused_at_their_field_and_start_nothing(
    client, ranged, data, field, message
):
    in_english(client, ranged.users["admin"])
    response = client.post(RUN_URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert StabilityRun.objects.count() == 1


def test_field_errors_come_in_the_users_language(client, ranged):
    client.force_login(ranged.users["admin"])
    response = client.post(RUN_URL, {"draws": "99", "spread": "0.2"})
    assert response.status_code == 400
    assert "100" in response.context["form"].errors["draws"][0]
    assert "确保" in response.context["form"].errors["draws"][0]


def test_a_second_run_while_one_is_under_way_is_refused_above_the_form(client, ranged):
    services.stability_run_start(round=ranged.current, enqueue_task=False)
    in_english(client, ranged.users["admin"])
    response = client.post(RUN_URL, {"draws": "1000", "spread": "0.2"})
    assert response.status_code == 409
    assert "under way" in response.context["form"].non_field_errors()[0]
    assert "A run is under way" in response.content.decode()
    assert StabilityRun.objects.count() == 2


def test_the_query_count_does_not_grow_with_the_number_of_communities(
    client, ranged, framework, spec
):
    admin = ranged.users["admin"]
    client.force_login(admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page_for(client, admin)
        return len(queries)

    count()  # the first view of a run works out its summary; later views reuse it
    before = count()
    street = ranged.regions["jiefang"]
    ids = []
    for n in range(12):
        community = assessment_services.community_create(
            data=assessment_services.CommunityData(
                code=f"X{n:04d}", name=f"新社区{n}", region=street, households=900, residents=2000
            )
        )
        assessment = assessment_services.assessment_create(
            round=ranged.current, community=community
        )
        values = make_answers(spec, 0.6, random.Random(n))
        assessment_services.answers_save(actor=admin, assessment=assessment, values=values)
        ids.append(assessment.pk)
    services.scorecards_compute(assessment_ids=ids)
    services.ranks_refresh()
    run_stability(ranged.current)
    count()  # the first view after a change refreshes the standings and the summary
    assert count() == before
