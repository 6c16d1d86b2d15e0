"""GET /api/v1/assessments/<id>/: one assessment with its answers, notes, status, version
and what the user may do with it; outside the user's scope it does not exist."""

from __future__ import annotations

import pytest

from assessments import services

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/"


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
def test_who_sees_the_assessment(cast, role, status):
    answer = cast.client(role).get(url(cast.a))
    assert answer.status_code == status
    if status != 200:
        assert set(answer.json()) == {"code", "message", "details"}


def test_the_detail_has_answers_keyed_by_item_code_and_notes_by_indicator(cast):
    services.answers_save(
        actor=cast.users["assessor_a"],
        assessment=cast.a,
        values={
            "L1P8.1": {"numerator": 480, "denominator": 1000},
            "L1P2.2": {"checked": ["a", "c"]},
            "L1P7.2": {"na": True},
        },
        notes={"L1P8": "路灯台账"},
    )
    body = cast.client("assessor_a").get(url(cast.a)).json()
    assert body["id"] == cast.a.pk
    assert body["version"] == 2
    assert body["status"] == "draft"
    assert body["answered_count"] == 3
    assert body["answers"] == {
        "L1P8.1": {"numerator": 480, "denominator": 1000},
        "L1P2.2": {"checked": ["a", "c"]},
        "L1P7.2": {"na": True},
    }
    assert body["notes"] == {"L1P8": "路灯台账"}
    assert body["editable"] is True
    assert body["available_actions"] == ["submit"]
    assert body["open_indicators"] is None
    assert body["return_reasons"] == {}
    assert body["community"]["name"] == "甲社区"


def test_an_official_sees_but_may_not_edit(cast):
    body = cast.client("official_city").get(url(cast.a)).json()
    assert body["editable"] is False
    assert body["available_actions"] == []


def test_after_a_return_the_detail_names_the_open_indicators_and_reasons(cast, submit):
    submit(cast.a, cast.users["assessor_a"])
    admin_view = cast.client("administrator").get(url(cast.a)).json()
    assert admin_view["status"] == "submitted"
    assert admin_view["editable"] is False
    assert set(admin_view["available_actions"]) == {"return", "approve"}
    assert admin_view["submitted_at"] is not None
    services.assessment_return(
        actor=cast.users["administrator"],
        assessment=cast.a,
        reasons={"L1P8": "照明台账缺页", "L2P1": "请补充照片"},
        comment="请修改",
    )
    body = cast.client("assessor_a").get(url(cast.a)).json()
    assert body["status"] == "returned"
    assert body["editable"] is True
    assert body["open_indicators"] == ["L1P8", "L2P1"]
    assert body["return_reasons"] == {"L1P8": "照明台账缺页", "L2P1": "请补充照片"}
    assert body["available_actions"] == ["submit"]
    # an official sees the same open indicators and reasons
    official = cast.client("official_city").get(url(cast.a)).json()
    assert official["open_indicators"] == ["L1P8", "L2P1"]
    assert official["editable"] is False


@pytest.mark.parametrize("pk", ["999999", "0"])
def test_an_unknown_id_answers_404_in_the_error_shape(cast, pk):
    answer = cast.client("administrator").get(f"/api/v1/assessments/{pk}/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_a_huge_or_non_numeric_id_is_a_404_not_a_500(cast):
    client = cast.client("administrator")
    assert client.get("/api/v1/assessments/" + "9" * 40 + "/").status_code == 404
    assert client.get("/api/v1/assessments/abc/").status_code == 404
