"""POST /api/v1/imports/answers/: many communities' answers in one request, all or
nothing, every problem named with its community, item and field."""

from __future__ import annotations

import pytest

from assessments import services
from assessments.choices import RoundStatus
from assessments.models import Assessment, AssessmentEvent
from tests.factories import make_assessment, make_community

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/answers/"


def stored(assessment) -> dict:
    return services.current_engine_answers(assessment)


def versions(*assessments) -> list[int]:
    return [Assessment.objects.get(pk=a.pk).version for a in assessments]


@pytest.fixture
def third(cast, framework):
    """A third assessment of assessor A in the same round and city."""
    return make_assessment(
        framework,
        round=cast.round,
        community=make_community(cast.a.community.region, "丙社区"),
        assessors=(cast.users["assessor_a"],),
    )


def post(client, body):
    return client.post(URL, body, format="json")


def test_an_import_saves_every_community_and_reports_the_versions(cast, third):
    services.answers_save(
        actor=cast.users["assessor_a"], assessment=third, values={"L1P1.2": {"value": True}}
    )
    answer = post(
        cast.client("assessor_a"),
        {
            "round": cast.round.pk,
            "assessments": [
                {
                    "community": cast.a.community.code,
                    "version": 1,
                    "answers": {
                        "L1P8.1": {"numerator": 480, "denominator": 1000},
                        "L1P2.2": {"checked": ["a", "b", "c"]},
                    },
                    "notes": {"L1P8": "路灯台账"},
                },
                {"community": third.community.code, "answers": {"L1P1.2": {"value": True}}},
            ],
        },
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "changed": 1,
        "unchanged": 1,
        "dry_run": False,
        "assessments": [
            {"community": cast.a.community.code, "id": cast.a.pk, "version": 2},
            {"community": third.community.code, "id": third.pk, "version": 2},
        ],
    }
    assert stored(cast.a) == {
        "L1P8.1": {"numerator": 480, "denominator": 1000},
        "L1P2.2": {"checked": ["a", "b", "c"]},
    }
    assert cast.a.notes.get().text == "路灯台账"
    assert AssessmentEvent.objects.filter(assessment=cast.a).count() == 3


def test_null_clears_an_item_in_an_import(cast):
    services.answers_save(
        actor=cast.users["assessor_a"], assessment=cast.a, values={"L1P7.2": {"na": True}}
    )
    answer = post(
        cast.client("assessor_a"),
        {"round": cast.round.pk,
         "assessments": [{"community": cast.a.community.code, "answers": {"L1P7.2": None}}]},
    )  # fmt: skip
    assert answer.status_code == 200
    assert stored(cast.a) == {}


def test_one_bad_value_saves_nothing_for_any_community(cast, third):
    answer = post(
        cast.client("assessor_a"),
        {
            "round": cast.round.pk,
            "assessments": [
                {"community": cast.a.community.code, "answers": {"L1P1.2": {"value": True}}},
                {
                    "community": third.community.code,
                    "answers": {
                        "L1P8.1": {"numerator": 480, "denominator": 0},
                        "L4P1.1": {"level": 7},
                    },
                },
            ],
        },
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert [(d["community"], d["item"], d.get("field")) for d in body["details"]] == [
        (third.community.code, "L1P8.1", "denominator"),
        (third.community.code, "L4P1.1", "level"),
    ]
    assert stored(cast.a) == {} and stored(third) == {}
    assert versions(cast.a, third) == [1, 1]


def test_every_problem_is_reported_with_its_community(cast, third):
    code_a, code_b = cast.a.community.code, cast.b.community.code
    answer = post(
        cast.client("assessor_a"),
        {
            "round": cast.round.pk,
            "assessments": [
                {"community": code_a, "answers": {"L1P8.1": {"numerator": "x", "denominator": 9}}},
                {"community": "NO-SUCH-CODE", "answers": {}},
                {"community": code_b, "answers": {"L1P1.2": {"value": True}}},
                {"community": code_a, "answers": {}},
                {"community": third.community.code, "notes": {"L1P8": "字" * 2001}},
            ],
        },
    )
    assert answer.status_code == 400
    details = answer.json()["details"]
    assert [
        (d["community"], d.get("item"), d.get("indicator"), d.get("field")) for d in details
    ] == [
        (code_a, None, None, "assessments.3.community"),
        (code_a, "L1P8.1", None, "numerator"),
        ("NO-SUCH-CODE", None, None, "assessments.1.community"),
        (code_b, None, None, "assessments.2.community"),
        (third.community.code, None, "L1P8", None),
    ]
    assert all(d["message"] for d in details)
    assert stored(cast.b) == {}


def test_a_community_without_an_assessment_in_the_round_is_a_problem(cast, framework):
    lone = make_community(cast.a.community.region, "丁社区")
    answer = post(
        cast.client("administrator"),
        {"round": cast.round.pk, "assessments": [{"community": lone.code, "answers": {}}]},
    )
    assert answer.status_code == 400
    (detail,) = answer.json()["details"]
    assert detail["community"] == lone.code


def test_a_dry_run_reports_as_a_real_run_and_saves_nothing(cast, third):
    body = {
        "round": cast.round.pk,
        "dry_run": True,
        "assessments": [
            {"community": cast.a.community.code, "answers": {"L1P1.2": {"value": True}}},
            {"community": third.community.code, "answers": {"L1P1.2": {"value": False}}},
        ],
    }
    answer = post(cast.client("assessor_a"), body)
    assert answer.status_code == 200
    assert answer.json() == {
        "changed": 2,
        "unchanged": 0,
        "dry_run": True,
        "assessments": [
            {"community": cast.a.community.code, "id": cast.a.pk, "version": 2},
            {"community": third.community.code, "id": third.pk, "version": 2},
        ],
    }
    assert stored(cast.a) == {} and stored(third) == {}
    assert versions(cast.a, third) == [1, 1]
    assert not AssessmentEvent.objects.filter(assessment__in=[cast.a, third]).exists()
    body["assessments"][1]["answers"] = {"L1P1.2": {"value": "no"}}
    refused = post(cast.client("assessor_a"), body)
    assert refused.status_code == 400
    assert refused.json()["details"][0]["item"] == "L1P1.2"


def test_a_stale_version_answers_409_and_saves_nothing(cast, third):
    services.answers_save(
        actor=cast.users["administrator"], assessment=third, values={"L1P1.2": {"value": True}}
    )
    answer = post(
        cast.client("assessor_a"),
        {
            "round": cast.round.pk,
            "assessments": [
                {"community": cast.a.community.code, "version": 1,
                 "answers": {"L1P1.2": {"value": True}}},
                {"community": third.community.code, "version": 1,
                 "answers": {"L1P1.2": {"value": False}}},
            ],
        },
    )  # fmt: skip
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "invalid_state"
    (detail,) = body["details"]
    assert detail["community"] == third.community.code
    assert stored(cast.a) == {}
    assert stored(third) == {"L1P1.2": {"value": True}}


def payload_for(cast, assessment) -> dict:
    return {
        "round": cast.round.pk,
        "assessments": [{"community": assessment.community.code,
                         "answers": {"L1P1.2": {"value": False}}}],
    }  # fmt: skip


def test_a_submitted_assessment_answers_409(cast, submit):
    submit(cast.a, cast.users["assessor_a"])
    before = stored(cast.a)
    answer = post(cast.client("assessor_a"), payload_for(cast, cast.a))
    assert answer.status_code == 409
    (detail,) = answer.json()["details"]
    assert detail["community"] == cast.a.community.code
    assert stored(cast.a) == before


def test_a_closed_round_answers_409(cast):
    services.round_update(round=cast.round, status=RoundStatus.CLOSED)
    answer = post(cast.client("assessor_a"), payload_for(cast, cast.a))
    assert answer.status_code == 409
    assert answer.json()["details"][0]["community"] == cast.a.community.code
    assert stored(cast.a) == {}


@pytest.mark.parametrize("role", ["official_province", "official_city"])
def test_officials_may_not_import(cast, role):
    answer = post(
        cast.client(role),
        {"round": cast.round.pk,
         "assessments": [{"community": cast.a.community.code,
                          "answers": {"L1P1.2": {"value": True}}}]},
    )  # fmt: skip
    assert answer.status_code == 403
    assert stored(cast.a) == {}


def test_anonymous_is_refused_with_401(cast):
    answer = post(cast.client("anonymous"), {"round": cast.round.pk, "assessments": []})
    assert answer.status_code == 401


def test_an_assessor_cannot_import_into_another_assessors_community(cast):
    """The community answers as an unknown code would: its existence does not leak."""
    code = cast.a.community.code
    answer = post(
        cast.client("assessor_b"),
        {"round": cast.round.pk,
         "assessments": [{"community": code, "answers": {"L1P1.2": {"value": True}}},
                         {"community": "NO-SUCH-CODE"}]},
    )  # fmt: skip
    assert answer.status_code == 400
    hidden, unknown = answer.json()["details"]
    assert (hidden["community"], hidden["field"]) == (code, "assessments.0.community")
    assert hidden["message"].replace(code, "NO-SUCH-CODE") == unknown["message"]
    assert stored(cast.a) == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assessments": [{"community": "x"}]}, "round"),
        ({"round": "three", "assessments": [{"community": "x"}]}, "round"),
        ({"round": 10**30, "assessments": [{"community": "x"}]}, "round"),
        ({"round": "ROUND"}, "assessments"),
        ({"round": "ROUND", "assessments": []}, "assessments"),
        ({"round": "ROUND", "assessments": {"x": 1}}, "assessments"),
        ({"round": "ROUND", "assessments": [{"answers": {}}]}, "assessments.0.community"),
        ({"round": "ROUND", "assessments": [{"community": "x", "answers": []}]},
         "assessments.0.answers"),
        ({"round": "ROUND", "assessments": [{"community": "x", "version": "v"}]},
         "assessments.0.version"),
        ({"round": "ROUND", "dry_run": "maybe", "assessments": [{"community": "x"}]}, "dry_run"),
    ],
)  # fmt: skip
def test_a_body_of_the_wrong_shape_answers_400_naming_the_field(cast, body, field):
    if body.get("round") == "ROUND":
        body = {**body, "round": cast.round.pk}
    answer = post(cast.client("assessor_a"), body)
    assert answer.status_code == 400, answer.json()
    assert field in [d.get("field") for d in answer.json()["details"]]


def test_an_unknown_round_answers_400_at_the_round(cast):
    answer = post(
        cast.client("assessor_a"),
        {"round": cast.round.pk + 1000, "assessments": [{"community": cast.a.community.code}]},
    )
    assert answer.status_code == 400
    assert [d["field"] for d in answer.json()["details"]] == ["round"]


def test_at_most_2000_communities_in_one_request(cast):
    entries = [{"community": f"C{n}"} for n in range(2001)]
    answer = post(cast.client("assessor_a"), {"round": cast.round.pk, "assessments": entries})
    assert answer.status_code == 400
    assert [d["field"] for d in answer.json()["details"]] == ["assessments"]
