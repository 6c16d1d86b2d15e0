"""Saving answers and notes: validation first, all or nothing, set / clear / leave alone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import Role
from assessments import services
from assessments.answers import CLEAR, merge_answers
from assessments.choices import RoundStatus
from assessments.errors import (
    InvalidAnswersError,
    NotAllowedError,
    StaleVersionError,
    ValidationFailed,
    WorkflowError,
)
from assessments.models import Answer, Assessment, IndicatorNote
from tests.factories import UserFactory, full_answers, make_assessment, make_round

pytestmark = pytest.mark.django_db


def stored(assessment):
    return services.current_engine_answers(assessment)


def test_answers_save_stores_valid_answers_and_bumps_the_version(assessment, assessor):
    services.answers_save(
        actor=assessor,
        assessment=assessment,
        values={"L1P1.1": {"numerator": 980, "denominator": 1000}, "L1P7.2": {"na": True}},
        notes={"L1P1": "运营商证明"},
        expected_version=1,
    )
    assessment.refresh_from_db()
    assert assessment.version == 2
    assert assessment.answered_count == 2
    a = Answer.objects.get(assessment=assessment, item__code="L1P1.1")
    assert a.value == {"numerator": 980, "denominator": 1000} and a.updated_by == assessor
    na = Answer.objects.get(assessment=assessment, item__code="L1P7.2")
    assert (na.value, na.not_applicable) == (None, True)
    note = IndicatorNote.objects.get(assessment=assessment)
    assert (note.indicator.code, note.text, note.updated_by) == ("L1P1", "运营商证明", assessor)


def test_a_value_is_set_cleared_or_left_alone(assessment, assessor):
    services.answers_save(
        actor=assessor,
        assessment=assessment,
        values={"L1P1.2": {"value": True}, "L1P5.1": {"value": False}},
    )
    services.answers_save(
        actor=assessor, assessment=assessment, values={"L1P1.2": CLEAR, "L1P6.1": {"value": True}}
    )
    assert stored(assessment) == {"L1P5.1": {"value": False}, "L1P6.1": {"value": True}}
    assessment.refresh_from_db()
    assert assessment.answered_count == 2


def test_a_note_changes_without_touching_any_value(assessment, assessor):
    services.answers_save(actor=assessor, assessment=assessment, values={"L1P8.1": {
        "numerator": 480, "denominator": 1000}})  # fmt: skip
    before = Answer.objects.get(assessment=assessment).updated_at
    services.answers_save(actor=assessor, assessment=assessment, notes={"L1P8": "路灯台账"})
    assert Answer.objects.get(assessment=assessment).updated_at == before
    assert stored(assessment) == {"L1P8.1": {"numerator": 480, "denominator": 1000}}
    services.answers_save(actor=assessor, assessment=assessment, notes={"L1P8": ""})
    assert not IndicatorNote.objects.filter(assessment=assessment).exists()


def test_saving_what_is_stored_changes_nothing(assessment, assessor):
    values = {"L1P1.2": {"value": True}}
    services.answers_save(actor=assessor, assessment=assessment, values=values)
    assessment.refresh_from_db()
    version = assessment.version
    with CaptureQueriesContext(connection) as queries:
        services.answers_save(actor=assessor, assessment=assessment, values=values)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assessment.refresh_from_db()
    assert assessment.version == version


def test_an_empty_save_changes_nothing(assessment, assessor):
    services.answers_save(actor=assessor, assessment=assessment, values={})
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_merge_keeps_unmentioned_answers_and_drops_cleared_ones():
    before = {"a": 1, "b": 2, "c": 3}
    assert merge_answers(before, {"a": CLEAR, "b": 20, "d": 4}) == {"b": 20, "c": 3, "d": 4}
    assert before == {"a": 1, "b": 2, "c": 3}, "the stored answers are not changed in place"


def test_answers_save_is_all_or_nothing_and_names_every_bad_field(assessment, assessor):
    with pytest.raises(InvalidAnswersError) as caught:
        services.answers_save(
            actor=assessor,
            assessment=assessment,
            values={
                "L1P1.1": {"numerator": 980, "denominator": 1000},
                "L1P3.1": {"numerator": 5, "denominator": 0},
                "L2P1.1": {"count": 2.5},
                "L1P1.2": {"na": True},
                "L9P9.9": {"value": True},
            },
        )
    problems = sorted(
        (p.field, e.code) for p, e in zip(caught.value.problems, caught.value.errors, strict=True)
    )
    assert problems == [
        ("L1P1.2.not_applicable", "na_not_allowed"),
        ("L1P3.1.denominator", "denominator_not_positive"),
        ("L2P1.1.count", "not_an_integer"),
        ("L9P9.9", "unknown_item"),
    ]
    assert Answer.objects.filter(assessment=assessment).count() == 0
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_answer_errors_read_in_the_users_language(assessment, assessor):
    bad = {"L1P3.1": {"numerator": 5, "denominator": 0}}
    with translation.override("zh-hans"), pytest.raises(InvalidAnswersError) as zh:
        services.answers_save(actor=assessor, assessment=assessment, values=bad)
    with translation.override("en"), pytest.raises(InvalidAnswersError) as en:
        services.answers_save(actor=assessor, assessment=assessment, values=bad)
    assert zh.value.messages == ["L1P3.1：分母必须大于0"]
    assert en.value.messages == ["L1P3.1: denominator must be greater than 0"]


def test_unknown_indicator_in_notes_is_refused(assessment, assessor):
    with pytest.raises(ValidationFailed):
        services.answers_save(actor=assessor, assessment=assessment, notes={"L9P9": "x"})
    assert not IndicatorNote.objects.exists()


def test_stale_version_is_refused(assessment, assessor):
    change = {"L1P1.2": {"value": True}}
    services.answers_save(actor=assessor, assessment=assessment, values=change, expected_version=1)
    with pytest.raises(StaleVersionError) as caught:
        services.answers_save(
            actor=assessor,
            assessment=assessment,
            values={"L1P1.2": {"value": False}},
            expected_version=1,
        )
    assert caught.value.current == 2
    assert stored(assessment) == change


def test_an_unassigned_assessor_cannot_save(assessment):
    other = UserFactory(role=Role.ASSESSOR)
    with pytest.raises(NotAllowedError):
        services.answers_save(
            actor=other, assessment=assessment, values={"L1P1.2": {"value": True}}
        )


def test_officials_can_never_write(assessment):
    official = UserFactory(role=Role.OFFICIAL)
    with pytest.raises(NotAllowedError):
        services.answers_save(
            actor=official, assessment=assessment, values={"L1P1.2": {"value": True}}
        )


def test_closed_round_refuses_changes(framework, assessor):
    round_ = make_round(framework, status=RoundStatus.CLOSED)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    with pytest.raises(WorkflowError):
        services.answers_save(
            actor=assessor, assessment=assessment, values={"L1P1.2": {"value": True}}
        )


def test_answers_import_saves_many_or_none_and_names_each_assessment(framework, spec, assessor):
    round_ = make_round(framework)
    first = make_assessment(framework, round=round_, assessors=(assessor,))
    second = make_assessment(framework, round=round_, assessors=(assessor,))
    foreign = make_assessment(framework, round=round_)
    good = full_answers(spec)
    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.answers_import(
            actor=assessor,
            answers={first.pk: good, foreign.pk: good},
            labels={first.pk: "A", foreign.pk: "X"},
        )
    assert refused.value.messages == ["X: not found or not yours."]
    with pytest.raises(ValidationFailed) as invalid:
        services.answers_import(
            actor=assessor,
            answers={first.pk: good, second.pk: {"L2P1.1": {"count": -1}}},
            labels={first.pk: "A", second.pk: "B"},
        )
    assert [p.field for p in invalid.value.problems] == ["L2P1.1.count"]
    assert invalid.value.messages[0].startswith("B: L2P1.1")
    assert not Answer.objects.exists()

    assert services.answers_import(actor=assessor, answers={first.pk: good, second.pk: good}) == 2
    assert stored(first) == good and stored(second) == good
    assert set(Assessment.objects.values_list("answered_count", flat=True)) == {0, 46}


# -- imports by registry code ----------------------------------------------------------------


def test_an_import_by_code_saves_each_community_and_a_dry_run_keeps_nothing(framework, assessor):
    first = make_assessment(framework, assessors=(assessor,))
    second = make_assessment(framework, assessors=(assessor,), round=first.round)
    entries = [
        services.CommunityAnswers(
            community=a.community.code,
            answers={"L1P8.1": {"numerator": 48 + n, "denominator": 100}},
            notes={"L1P8": "台账"} if n == 0 else {},
        )
        for n, a in enumerate((first, second))
    ]
    dry = services.answers_import_by_code(
        actor=assessor, round_id=first.round_id, entries=entries, dry_run=True
    )
    assert dry.changed == 2
    assert stored(first) == {} and stored(second) == {}
    done = services.answers_import_by_code(actor=assessor, round_id=first.round_id, entries=entries)
    assert done.assessments == {
        first.community.code: (first.pk, 2),
        second.community.code: (second.pk, 2),
    }
    assert stored(second) == {"L1P8.1": {"numerator": 49, "denominator": 100}}
    assert dict(first.notes.values_list("indicator__code", "text")) == {"L1P8": "台账"}


def test_an_import_by_code_names_every_community_it_cannot_take_and_saves_nothing(
    framework, assessor
):
    mine = make_assessment(framework, assessors=(assessor,))
    other = make_assessment(framework, round=mine.round)  # not assigned to this assessor
    code = mine.community.code
    entries = [
        services.CommunityAnswers(code, {"L1P8.1": {"numerator": 1, "denominator": 0}}, {}),
        services.CommunityAnswers("NO-SUCH", {}, {}),
        services.CommunityAnswers(other.community.code, {}, {}),
        services.CommunityAnswers(code, {}, {}),
    ]
    with pytest.raises(ValidationFailed) as refused:
        services.answers_import_by_code(
            actor=assessor, round_id=mine.round_id, entries=entries, entries_field="rows"
        )
    found = [(p.subject, p.field) for p in refused.value.problems]
    assert found == [
        (code, "rows.3.community"),
        (code, "L1P8.1.denominator"),
        ("NO-SUCH", "rows.1.community"),
        (other.community.code, "rows.2.community"),
    ]
    assert stored(mine) == {}


def test_an_import_by_code_into_a_round_the_user_cannot_see_is_refused(framework, assessor):
    hidden = make_round(framework)
    with pytest.raises(ValidationFailed) as refused:
        services.answers_import_by_code(actor=assessor, round_id=hidden.pk, entries=[])
    assert [p.field for p in refused.value.problems] == ["round"]


def test_an_import_names_the_bad_answers_of_others_beside_an_assessment_it_cannot_change(
    framework, assessor, admin
):
    fixed = make_assessment(framework, assessors=(assessor,))
    fixed.round.status = RoundStatus.CLOSED
    fixed.round.save()
    open_round = make_round(framework)
    other = make_assessment(framework, assessors=(assessor,), round=open_round)
    with pytest.raises(WorkflowError) as refused:
        services.answers_import(
            actor=assessor,
            answers={
                fixed.pk: {"L1P8.1": {"numerator": 1, "denominator": 2}},
                other.pk: {"L1P8.1": {"numerator": 1, "denominator": 0}},
            },
            labels={fixed.pk: "甲", other.pk: "乙"},
        )
    assert [(p.subject, p.field) for p in refused.value.problems] == [
        ("甲", None),
        ("乙", "L1P8.1.denominator"),
    ]
    assert refused.value.problems[1].message.startswith("乙: ")
    assert stored(fixed) == {} and stored(other) == {}
