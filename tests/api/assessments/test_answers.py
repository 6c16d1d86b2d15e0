"""GET and PATCH /api/v1/assessments/<id>/answers/: the answers and notes, changed through
the same service as the assessment page, with lost-update protection by version."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Answer, AssessmentEvent, IndicatorNote
from scoring.engine import score

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/answers/"


def stored(assessment) -> dict:
    return services.current_engine_answers(assessment)


def patch(client, assessment, body):
    return client.patch(url(assessment), body, format="json")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("assessor_a", 200),
        ("official_province", 200),
        ("official_city", 200),
        ("assessor_b", 404),
        ("official_district", 404),
        ("anonymous", 401),
    ],
)
def test_who_reads_the_answers(cast, role, status):
    services.answers_save(
        actor=cast.users["assessor_a"],
        assessment=cast.a,
        values={"L1P1.2": {"value": True}},
        notes={"L1P1": "两家运营商"},
    )
    answer = cast.client(role).get(url(cast.a))
    assert answer.status_code == status
    if status == 200:
        assert answer.json() == {
            "version": 2,
            "answers": {"L1P1.2": {"value": True}},
            "notes": {"L1P1": "两家运营商"},
        }


def test_an_assessor_saves_answers_of_four_types_and_a_note(cast, spec):
    answers = {
        "L1P8.1": {"numerator": 480, "denominator": 1000},
        "L1P1.2": {"value": True},
        "L1P2.2": {"checked": ["a", "b"]},
        "L4P1.1": {"level": 3},
    }
    answer = patch(
        cast.client("assessor_a"),
        cast.a,
        {"version": 1, "answers": answers, "notes": {"L1P8": "路灯台账"}},
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["version"] == 2
    assert body["answers"] == answers
    assert body["notes"] == {"L1P8": "路灯台账"}
    assert stored(cast.a) == answers
    assert IndicatorNote.objects.get(assessment=cast.a).text == "路灯台账"
    assert (
        Answer.objects.filter(assessment=cast.a, updated_by=cast.users["assessor_a"]).count() == 4
    )
    cast.a.refresh_from_db()
    assert (cast.a.version, cast.a.answered_count) == (2, 4)
    assert AssessmentEvent.objects.filter(assessment=cast.a, kind="answer").count() == 4
    preview = body["preview"]
    assert preview["total"] == str(score(spec, answers).total_rounded)
    assert preview["answered"] == 4 and preview["item_count"] == 46
    assert preview["items"]["L1P8.1"] == {
        "code": "L1P8.1",
        "status": "scored",
        "s": "0.8000",
        "achievement": "48.00%",
        "target": "≥ 60%",
        "met": False,
        "missing": preview["items"]["L1P8.1"]["missing"],
        "points": preview["items"]["L1P8.1"]["points"],
    }
    assert preview["items"]["L1P8.1"]["missing"]
    assert preview["items"]["L1P1.2"]["s"] == "1.0000"
    assert preview["items"]["L4P1.1"]["s"] == "0.7500"
    assert preview["items"]["L1P5.1"]["status"] == "missing"


def test_null_clears_an_item_and_items_not_named_keep_their_answers(cast):
    services.answers_save(
        actor=cast.users["assessor_a"],
        assessment=cast.a,
        values={"L1P1.2": {"value": True}, "L1P7.2": {"na": True}},
    )
    answer = patch(
        cast.client("assessor_a"),
        cast.a,
        {"version": 2, "answers": {"L1P7.2": None, "L1P5.1": {"value": False}}},
    )
    assert answer.status_code == 200
    assert stored(cast.a) == {"L1P1.2": {"value": True}, "L1P5.1": {"value": False}}
    assert answer.json()["version"] == 3


def test_an_empty_note_removes_it(cast):
    services.answers_save(actor=cast.users["assessor_a"], assessment=cast.a,
                          notes={"L1P8": "旧说明"})  # fmt: skip
    answer = patch(cast.client("assessor_a"), cast.a, {"version": 2, "notes": {"L1P8": ""}})
    assert answer.status_code == 200
    assert not IndicatorNote.objects.filter(assessment=cast.a).exists()
    assert answer.json()["notes"] == {}


def test_an_administrator_may_write_any_assessment(cast):
    answer = patch(
        cast.client("administrator"),
        cast.b,
        {"version": 1, "answers": {"L1P1.2": {"value": 1 == 1}}},
    )
    assert answer.status_code == 200
    assert stored(cast.b) == {"L1P1.2": {"value": True}}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("official_province", 403),
        ("official_city", 403),
        ("assessor_b", 404),
        ("official_district", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_not_write(cast, role, status):
    answer = patch(
        cast.client(role), cast.a, {"version": 1, "answers": {"L1P1.2": {"value": True}}}
    )
    assert answer.status_code == status
    assert set(answer.json()) == {"code", "message", "details"}
    assert stored(cast.a) == {}


@pytest.mark.parametrize(
    ("answers", "item", "field"),
    [
        ({"L1P8.1": {"numerator": 480, "denominator": 0}}, "L1P8.1", "denominator"),
        ({"L1P8.1": {"numerator": 1200, "denominator": 1000}}, "L1P8.1", "numerator"),
        ({"L1P8.1": {"numerator": "480", "denominator": 1000}}, "L1P8.1", "numerator"),
        ({"L1P8.1": {"numerator": -1, "denominator": 1000}}, "L1P8.1", "numerator"),
        ({"L1P8.1": {"numerator": 480}}, "L1P8.1", "denominator"),
        ({"L1P2.2": {"checked": ["a", "z"]}}, "L1P2.2", "checked"),
        ({"L1P2.2": {"checked": "a"}}, "L1P2.2", "checked"),
        ({"L4P1.1": {"level": 9}}, "L4P1.1", "level"),
        ({"L4P1.1": {"level": 2.5}}, "L4P1.1", "level"),
        ({"L1P1.2": {"value": "yes"}}, "L1P1.2", "value"),
        ({"L1P1.2": "yes"}, "L1P1.2", None),
        ({"L9P9.9": {"value": True}}, "L9P9.9", None),
    ],
)
def test_invalid_answers_answer_400_naming_item_and_field_and_save_nothing(
    cast, answers, item, field
):
    answer = patch(cast.client("assessor_a"), cast.a, {"version": 1, "answers": answers})
    assert answer.status_code == 400, answer.json()
    error = answer.json()
    assert error["code"] == "invalid_answers"
    (detail,) = error["details"]
    assert detail["item"] == item
    assert detail.get("field") == field
    assert detail["message"]
    assert stored(cast.a) == {}
    cast.a.refresh_from_db()
    assert cast.a.version == 1


def test_every_invalid_item_is_reported_at_once(cast):
    answer = patch(
        cast.client("assessor_a"),
        cast.a,
        {
            "version": 1,
            "answers": {
                "L1P8.1": {"numerator": 1, "denominator": 0},
                "L4P1.1": {"level": -1},
                "L1P1.2": {"value": True},
            },
        },
    )
    assert answer.status_code == 400
    assert {d["item"] for d in answer.json()["details"]} == {"L1P8.1", "L4P1.1"}
    assert stored(cast.a) == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {}}, "version"),
        ({"version": "one", "answers": {}}, "version"),
        ({"version": 0}, "version"),
        ({"version": 10**30}, "version"),
        ({"version": 1, "answers": [1, 2]}, "answers"),
        ({"version": 1, "answers": "L1P8.1"}, "answers"),
        ({"version": 1, "notes": ["x"]}, "notes"),
        ({"version": 1, "notes": {"L1P8": None}}, "notes.L1P8"),
    ],
)
def test_wrong_json_types_answer_400_naming_the_field(cast, body, field):
    answer = patch(cast.client("assessor_a"), cast.a, body)
    assert answer.status_code == 400, answer.json()
    assert field in [d.get("field") for d in answer.json()["details"]]


def test_a_number_too_large_for_any_float_answers_400_at_the_item(cast):
    raw = '{"version": 1, "answers": {"L1P8.1": {"numerator": 1e400, "denominator": 1000}}}'
    answer = cast.client("assessor_a").patch(url(cast.a), raw, content_type="application/json")
    assert answer.status_code == 400
    assert [d["field"] for d in answer.json()["details"]] == ["answers.L1P8.1"]
    assert stored(cast.a) == {}


@pytest.mark.parametrize("raw", ["[1, 2]", "not json", '"text"', "{"])
def test_a_body_that_is_not_a_json_object_answers_400(cast, raw):
    answer = cast.client("assessor_a").patch(url(cast.a), raw, content_type="application/json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"code", "message", "details"}


def test_a_note_too_long_answers_400_at_the_indicator(cast):
    answer = patch(
        cast.client("assessor_a"), cast.a, {"version": 1, "notes": {"L1P8": "字" * 2001}}
    )
    assert answer.status_code == 400
    (detail,) = answer.json()["details"]
    assert detail["indicator"] == "L1P8"


def test_a_stale_version_gets_409_with_the_current_values_and_the_unseen_changes(cast):
    other = cast.users["administrator"]
    services.answers_save(
        actor=other,
        assessment=cast.a,
        values={"L1P8.1": {"numerator": 600, "denominator": 1000}},
        notes={"L1P8": "管理员更正"},
    )
    answer = patch(
        cast.client("assessor_a"),
        cast.a,
        {"version": 1, "answers": {"L1P8.1": {"numerator": 480, "denominator": 1000}}},
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "stale_version"
    assert body["message"] and body["details"]
    assert body["current"] == {
        "version": 2,
        "answers": {"L1P8.1": {"numerator": 600, "denominator": 1000}},
        "notes": {"L1P8": "管理员更正"},
    }
    (change,) = body["changes"]  # the note was not named in this save
    assert change["kind"] == "answer"
    assert change["target"] == "L1P8.1"
    assert change["old"] is None
    assert change["new"] == {"numerator": 600, "denominator": 1000}
    assert change["version"] == 2
    assert change["actor"] == {
        "id": other.pk,
        "username": other.username,
        "display_name": other.display_name,
    }
    assert change["summary"]["what"].startswith("L1P8.1 ")
    assert stored(cast.a) == {"L1P8.1": {"numerator": 600, "denominator": 1000}}


def test_a_stale_version_is_accepted_when_nothing_it_overwrites_changed(cast):
    services.answers_save(
        actor=cast.users["administrator"], assessment=cast.a, values={"L1P1.2": {"value": True}}
    )
    answer = patch(
        cast.client("assessor_a"),
        cast.a,
        {"version": 1, "answers": {"L1P8.1": {"numerator": 480, "denominator": 1000}}},
    )
    assert answer.status_code == 200
    assert answer.json()["version"] == 3
    assert stored(cast.a) == {
        "L1P1.2": {"value": True},
        "L1P8.1": {"numerator": 480, "denominator": 1000},
    }


def test_a_submitted_assessment_answers_409(cast, submit):
    submit(cast.a, cast.users["assessor_a"])
    cast.a.refresh_from_db()
    before = stored(cast.a)
    answer = patch(
        cast.client("assessor_a"),
        cast.a,
        {"version": cast.a.version, "answers": {"L1P1.2": {"value": False}}},
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "invalid_state"
    assert stored(cast.a) == before


def test_a_returned_assessment_changes_only_in_the_indicators_returned(cast, submit):
    submit(cast.a, cast.users["assessor_a"])
    services.assessment_return(
        actor=cast.users["administrator"],
        assessment=cast.a,
        reasons={"L1P8": "照明台账缺页"},
        comment="请修改",
    )
    cast.a.refresh_from_db()
    client = cast.client("assessor_a")
    closed = patch(client, cast.a, {"version": cast.a.version,
                                    "answers": {"L1P1.2": {"value": False}}})  # fmt: skip
    assert closed.status_code == 409
    assert closed.json()["code"] == "invalid_state"
    opened = patch(
        client,
        cast.a,
        {"version": cast.a.version, "answers": {"L1P8.1": {"numerator": 1, "denominator": 2}}},
    )
    assert opened.status_code == 200
    assert stored(cast.a)["L1P8.1"] == {"numerator": 1, "denominator": 2}


def test_a_note_on_an_unknown_indicator_answers_400_naming_it(cast):
    answer = patch(cast.client("assessor_a"), cast.a, {"version": 1, "notes": {"L9P9": "x"}})
    assert answer.status_code == 400
    (detail,) = answer.json()["details"]
    assert "L9P9" in detail["message"]
    assert not IndicatorNote.objects.filter(assessment=cast.a).exists()


def test_a_browser_session_must_send_the_csrf_token_to_write(cast):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.users["assessor_a"])
    assert client.get(url(cast.a)).status_code == 200
    refused = patch(client, cast.a, {"version": 1, "answers": {"L1P1.2": {"value": True}}})
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert stored(cast.a) == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        # a stale version with such a key once reached a query, which PostgreSQL refused
        ({"version": 9, "notes": {"\x00L1P8": "台账"}}, "notes.\x00L1P8"),
        ({"version": 1, "answers": {"L1P8.1 OR 1=1": {"numerator": 1}}}, "answers.L1P8.1 OR 1=1"),
        ({"version": 1, "answers": {"L4P1.1": {"level": 2, "applications": [
            {"name": "平台\x00"}]}}}, "answers.L4P1.1"),
        ({"version": 1, "notes": {"L1P8": "台账\x00"}}, "notes.L1P8"),
    ],
)  # fmt: skip
def test_codes_and_text_that_no_database_can_hold_answer_400_and_save_nothing(cast, body, field):
    answer = patch(cast.client("assessor_a"), cast.a, body)
    assert answer.status_code == 400
    assert field in [d.get("field") for d in answer.json()["details"]]
    assert stored(cast.a) == {} and not IndicatorNote.objects.filter(assessment=cast.a).exists()
