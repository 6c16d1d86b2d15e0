"""The path to the next grade: unmet items by the points meeting them adds, each with the
smallest change that meets it, and the step at which each higher grade is reached."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.specs import framework_catalog, grade_band_specs
from reports.next_grade import plan_next_grade
from scoring.engine import (
    FrameworkSpec,
    GapKind,
    GradeBand,
    IndicatorSpec,
    ItemSpec,
    PrimarySpec,
    round_score,
    score,
)
from scoring.models import ScoreCard
from tests.results import COMMUNITIES

from .community_helpers import apply_gap, in_english, new_community, scored_assessment, third_round

NAMES = [row[0] for row in COMMUNITIES]


def small_spec() -> FrameworkSpec:
    """Two indicators; A.1 asks for more than 100% of a bounded ratio: no answer meets it."""
    return FrameworkSpec(
        code="T",
        version="1",
        primaries=(
            PrimarySpec(
                "P",
                100,
                (
                    IndicatorSpec(
                        "A",
                        60,
                        (
                            ItemSpec("A.1", "ratio", target="1", comparator="gt", bounded=True),
                            ItemSpec("A.2", "boolean"),
                        ),
                    ),
                    IndicatorSpec(
                        "B",
                        40,
                        (ItemSpec("B.1", "count_min", target=3), ItemSpec("B.2", "boolean")),
                    ),
                ),
            ),
        ),
        grade_bands=(GradeBand("top", 90), GradeBand("mid", 50), GradeBand("low", 0)),
    )


# --- the plan (pure) -------------------------------------------------------------------------


def test_steps_go_by_gain_with_unanswered_items_as_unmet_and_unreachable_ones_last():
    answers = {"A.1": {"numerator": 5, "denominator": 10}, "A.2": {"value": False},
               "B.1": {"count": 1}}  # fmt: skip
    plan = plan_next_grade(small_spec(), answers)
    assert plan.total == Fraction(65, 3) and plan.grade == "low"
    assert [s.code for s in plan.steps] == ["A.2", "B.2", "B.1", "A.1"]
    assert [s.gain for s in plan.steps[:3]] == [30, 20, Fraction(40, 3)]
    assert plan.steps[1].unanswered and plan.steps[1].gap.kind == GapKind.UNANSWERED
    last = plan.steps[-1]
    assert not last.reachable and last.running_total is None
    assert [s.running_total for s in plan.steps[:3]] == [Fraction(155, 3), Fraction(215, 3), 85]
    assert [(m.band.code, m.steps) for m in plan.milestones] == [("mid", 1), ("top", None)]


def test_the_top_grade_has_no_milestone_left():
    answers = {"A.1": {"numerator": 10, "denominator": 10}, "A.2": {"value": True},
               "B.1": {"count": 3}, "B.2": {"value": True}}  # fmt: skip
    plan = plan_next_grade(small_spec(), answers)
    assert plan.grade == "top" and plan.next_milestone is None
    assert [s.code for s in plan.steps] == ["A.1"]  # met by score, but "more than 100%" is not


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_each_change_meets_its_item_and_the_running_total_is_the_engines(results, spec, name):
    answers = dict(results.answers[("2026", name)])
    bands = grade_band_specs(results.current.framework.grade_bands)
    plan = plan_next_grade(spec, answers, bands=bands)
    card = ScoreCard.objects.get(assessment=results.assessment("2026", name))
    assert round_score(plan.total) == card.total and plan.grade == card.grade
    gains = [step.gain for step in plan.reachable]
    assert gains == sorted(gains, reverse=True) and plan.reachable == list(plan.steps)
    changed = dict(answers)
    for step in plan.steps:
        alone = score(spec, {**answers, step.code: apply_gap(answers[step.code], step.gap)})
        (item,) = [i for ind in alone.indicators for i in ind.items if i.code == step.code]
        assert item.met, f"{name}: {step.code} {step.gap}"
        changed[step.code] = apply_gap(answers[step.code], step.gap)
        assert score(spec, changed, grade_bands=bands).total == step.running_total


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_next_grade_is_reached_exactly_where_the_plan_says(results, spec, name):
    answers = dict(results.answers[("2026", name)])
    bands = grade_band_specs(results.current.framework.grade_bands)
    plan = plan_next_grade(spec, answers, bands=bands)
    for milestone in plan.milestones:
        if milestone.steps is None:
            continue
        minimum = milestone.band.minimum
        before = dict(answers)
        for step in plan.steps[: milestone.steps - 1]:
            before[step.code] = apply_gap(answers[step.code], step.gap)
        assert score(spec, before, grade_bands=bands).total_rounded < minimum
        last = plan.steps[milestone.steps - 1]
        before[last.code] = apply_gap(answers[last.code], last.gap)
        assert score(spec, before, grade_bands=bands).total_rounded >= minimum


@pytest.mark.django_db
def test_unanswered_items_count_as_unmet_with_their_whole_share(results, spec):
    answers = dict(results.answers[("2026", "丙社区")])
    for code in ("L1P8.1", "L4P1.1", "L2P6.2"):
        answers.pop(code)
    plan = plan_next_grade(spec, answers)
    found = {step.code: step for step in plan.steps}
    assert found["L4P1.1"].gain == 10 and found["L4P1.1"].unanswered
    assert found["L1P8.1"].gain == Fraction(5, 2) and found["L2P6.2"].gain == 3


# --- the page --------------------------------------------------------------------------------


def url(results, name: str) -> str:
    return reverse("dashboard:next-grade", args=[results.communities[name].pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("admin", "庚社区", 200),
        ("official", "庚社区", 200),
        ("official_jinan", "戊社区", 200),
        ("official_jinan", "庚社区", 404),
        ("official_lixia", "甲社区", 200),
        ("official_lixia", "戊社区", 404),
        ("assessor", "甲社区", 403),
    ],
)
def test_who_may_open_the_page(client, results, who, name, status):
    client.force_login(results.users[who])
    assert client.get(url(results, name)).status_code == status


@pytest.mark.django_db
def test_the_page_lists_the_plan_of_the_current_answers(client, results, spec):
    client.force_login(results.users["official_lixia"])
    in_english(client)
    response = client.get(url(results, "丁社区"))
    page = response.context["page"]
    plan = plan_next_grade(
        spec,
        results.answers[("2026", "丁社区")],
        bands=grade_band_specs(results.current.framework.grade_bands),
    )
    assert [line.item.code for line in page.lines] == [s.code for s in plan.reachable]
    assert [line.gain for line in page.lines] == [round_score(s.gain) for s in plan.reachable]
    card = ScoreCard.objects.get(assessment=results.assessment("2026", "丁社区"))
    assert page.total == card.total
    body = response.content.decode()
    first = plan.next_milestone
    assert first is not None and first.steps is not None
    assert f"Meeting the first {first.steps} items below reaches" in body
    catalog = framework_catalog(results.current.framework)
    top = page.lines[0]
    assert top.indicator.requirement_en in body
    assert catalog.items[top.item.code].name_en in body
    assert all(line.change for line in page.lines)


@pytest.mark.django_db
def test_rejected_evidence_is_a_step_with_its_whole_share(client, results):
    from assessments import services
    from scoring.services import ranks_refresh, scorecards_compute

    assessment = results.assessment("2026", "乙社区")  # submitted: its evidence can be judged
    services.item_review_set(
        actor=results.users["admin"], assessment=assessment, item_code="L4P1.1",
        status="rejected", comment="无实测数据",
    )  # fmt: skip
    scorecards_compute(assessment_ids=[assessment.pk])
    ranks_refresh()
    client.force_login(results.users["official_lixia"])
    in_english(client)
    page = client.get(url(results, "乙社区")).context["page"]
    (line,) = [line for line in page.lines if line.item.code == "L4P1.1"]
    assert line.step.rejected and line.gain == 10
    assert line.change.startswith("The evidence was rejected")
    card = ScoreCard.objects.get(assessment=assessment)
    assert page.total == card.total


@pytest.mark.django_db
def test_a_community_without_a_score_in_the_round_gets_an_empty_state(client, results, spec):
    community = new_community(results, "新社区")
    scored_assessment(results, spec, results.previous, community, 0.5)
    client.force_login(results.users["admin"])
    in_english(client)
    response = client.get(reverse("dashboard:next-grade", args=[community.pk]))
    assert response.status_code == 200 and response.context["page"].plan is None
    body = response.content.decode()
    assert "has no assessment in" in body and f"?round={results.previous.pk}" in body


@pytest.mark.django_db
def test_queries_do_not_grow_with_rounds(client, results, spec):
    client.force_login(results.users["admin"])
    target = url(results, "甲社区")
    client.get(target)
    with CaptureQueriesContext(connection) as before:
        client.get(target)
    third_round(results, spec)
    client.get(target)
    with CaptureQueriesContext(connection) as after:
        client.get(target)
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
