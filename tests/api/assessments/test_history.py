"""GET /api/v1/assessments/<id>/history/: every change, newest first, paginated."""

from __future__ import annotations

import pytest

from assessments import services
from tests.factories import full_answers

pytestmark = pytest.mark.django_db


def url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/history/"


@pytest.fixture
def changed(cast):
    assessor = cast.users["assessor_a"]
    services.answers_save(actor=assessor, assessment=cast.a, values={"L1P1.2": {"value": True}})
    services.answers_save(
        actor=assessor,
        assessment=cast.a,
        values={"L1P1.2": {"value": False}},
        notes={"L1P1": "只有一家运营商"},
    )
    return cast.a


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
def test_who_reads_the_history(cast, changed, role, status):
    answer = cast.client(role).get(url(changed))
    assert answer.status_code == status
    if status == 200:
        assert answer.json()["count"] == 3


def test_entries_are_newest_first_with_values_actor_version_and_words(cast, changed):
    body = cast.client("official_city").get(url(changed)).json()
    assessor = cast.users["assessor_a"]
    entries = body["results"]
    assert [(e["kind"], e["target"], e["version"]) for e in entries] == [
        ("note", "L1P1", 3),
        ("answer", "L1P1.2", 3),
        ("answer", "L1P1.2", 2),
    ]
    note, answer, first = entries
    assert (note["old"], note["new"]) == (None, "只有一家运营商")
    assert (answer["old"], answer["new"]) == ({"value": True}, {"value": False})
    assert first["old"] is None
    assert answer["actor"] == {
        "id": assessor.pk,
        "username": assessor.username,
        "display_name": "李明",
    }
    assert answer["summary"]["what"].startswith("L1P1.2 ")
    assert answer["summary"]["before"] and answer["summary"]["after"]
    assert answer["summary"]["before"] != answer["summary"]["after"]
    assert note["summary"]["after"] == "只有一家运营商"
    assert answer["at"] and answer["comment"] == ""


def test_the_history_is_paginated(cast, changed):
    body = cast.client("assessor_a").get(url(changed), {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    rest = cast.client("assessor_a").get(url(changed), {"page_size": 2, "page": 2}).json()
    assert [e["version"] for e in rest["results"]] == [2]


def test_a_deleted_actor_shows_as_null(cast, changed):
    cast.users["assessor_a"].delete()
    body = cast.client("administrator").get(url(changed)).json()
    assert {e["actor"] for e in body["results"]} == {None}


@pytest.mark.parametrize("page", ["0", "abc", "99"])
def test_a_bad_page_answers_404_in_the_error_shape(cast, changed, page):
    answer = cast.client("administrator").get(url(changed), {"page": page})
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_the_history_costs_the_same_queries_for_5_entries_as_for_30(
    cast, spec, django_assert_max_num_queries
):
    values = dict(list(full_answers(spec).items())[:30])
    services.answers_save(actor=cast.users["assessor_a"], assessment=cast.a, values=values)
    client = cast.client("administrator")
    client.get(url(cast.a))  # the token notes its first use once
    counts = []
    for size in (5, 30):
        with django_assert_max_num_queries(20) as captured:
            answer = client.get(url(cast.a), {"page_size": size})
        assert len(answer.json()["results"]) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
