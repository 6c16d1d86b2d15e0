"""GET /api/v1/assessments/: the assessments each role may see, filtered and paginated, in
a number of queries that does not grow with the page size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.choices import AssessmentStatus
from tests.factories import make_assessment, make_community

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("administrator", {"甲社区", "乙社区"}),
        ("assessor_a", {"甲社区"}),
        ("assessor_b", {"乙社区"}),
        ("official_province", {"甲社区", "乙社区"}),
        ("official_city", {"甲社区"}),
        ("official_district", {"乙社区"}),
    ],
)
def test_each_role_lists_only_the_assessments_in_its_scope(cast, role, expected):
    answer = cast.client(role).get(URL)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == len(expected)
    assert {row["community"]["name"] for row in body["results"]} == expected


def test_anonymous_is_refused_with_401_in_the_error_shape(cast):
    answer = cast.client("anonymous").get(URL)
    assert answer.status_code == 401
    assert answer.json()["code"] == "not_authenticated"


def test_a_row_carries_round_community_regions_assessors_and_counts(cast, spec):
    services.answers_save(
        actor=cast.users["assessor_a"],
        assessment=cast.a,
        values={"L1P8.1": {"numerator": 480, "denominator": 1000}, "L1P1.2": {"value": True}},
    )
    body = cast.client("assessor_a").get(URL).json()
    (row,) = body["results"]
    a = cast.a
    a.refresh_from_db()
    community = a.community
    assert row["id"] == a.pk
    assert row["url"] == "http://testserver" + reverse("api:assessment-detail", args=[a.pk])
    assert row["status"] == "draft"
    assert row["version"] == 2
    assert row["round"] == {"id": cast.round.pk, "name": cast.round.name}
    assert row["community"] == {
        "id": community.pk,
        "code": community.code,
        "name": "甲社区",
        "city": {"id": community.city_id, "code": community.city.code, "name": "济南市"},
        "district": {"id": community.district_id, "code": community.district.code,
                     "name": "历下区"},
    }  # fmt: skip
    assessor = cast.users["assessor_a"]
    assert row["assessors"] == [
        {"id": assessor.pk, "username": assessor.username, "display_name": "李明"}
    ]
    assert row["answered_count"] == 2
    assert row["evidenced_count"] == 0
    assert row["item_total"] == len(spec.items) == 46
    assert row["submission_deadline"] == "2026-12-15"
    assert row["submitted_at"] is None and row["approved_at"] is None
    assert row["updated_at"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"city": "a.city"}, {"甲社区"}),
        ({"district": "b.district"}, {"乙社区"}),
        ({"assessor": "assessor_b"}, {"乙社区"}),
        ({"community": "a.code"}, {"甲社区"}),
        ({"q": "乙社"}, {"乙社区"}),
        ({"q": "八大关"}, {"乙社区"}),
        ({"q": "a.code"}, {"甲社区"}),
        ({"status": "submitted"}, {"甲社区"}),
        ({"status": "draft"}, {"乙社区"}),
        ({"round": "round"}, {"甲社区", "乙社区"}),
    ],
)
def test_filters_narrow_the_list(cast, submit, params, expected):
    submit(cast.a, cast.users["assessor_a"])
    values = {
        "a.city": cast.a.community.city_id,
        "b.district": cast.b.community.district_id,
        "assessor_b": cast.users["assessor_b"].pk,
        "a.code": cast.a.community.code,
        "round": cast.round.pk,
    }
    query = {key: values.get(value, value) for key, value in params.items()}
    body = cast.client("administrator").get(URL, query).json()
    assert {row["community"]["name"] for row in body["results"]} == expected


def test_a_round_filter_of_another_round_finds_nothing(cast, framework):
    other = make_assessment(framework, community=cast.a.community)
    body = cast.client("administrator").get(URL, {"round": other.round_id}).json()
    assert [row["id"] for row in body["results"]] == [other.pk]


def test_filters_do_not_widen_the_scope(cast):
    body = cast.client("assessor_a").get(URL, {"q": "乙社区"}).json()
    assert body["count"] == 0
    body = cast.client("official_city").get(URL, {"district": cast.b.community.district_id})
    assert body.json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"round": "abc"}, "round"),
        ({"round": "-1"}, "round"),
        ({"city": "²"}, "city"),
        ({"assessor": "1.5"}, "assessor"),
        ({"status": "bogus"}, "status"),
        ({"q": "x" * 5000}, "q"),
        ({"community": "x" * 40}, "community"),
    ],
)
def test_an_invalid_filter_value_answers_400_naming_the_parameter(cast, params, field):
    answer = cast.client("administrator").get(URL, params)
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert [d["field"] for d in body["details"]] == [field]


def test_numbers_beyond_any_id_and_nul_characters_are_dropped_not_a_500(cast):
    client = cast.client("administrator")
    assert client.get(URL, {"round": "9" * 30}).json()["count"] == 2
    assert client.get(URL, {"q": "甲\x00"}).json()["count"] == 1


def test_a_page_beyond_the_last_answers_404_in_the_error_shape(cast):
    answer = cast.client("administrator").get(URL, {"page": "99"})
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_pages_have_counts_and_links(cast):
    body = cast.client("administrator").get(URL, {"page_size": 1}).json()
    assert body["count"] == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert len(body["results"]) == 1


def test_the_list_costs_the_same_queries_for_5_rows_as_for_30(
    cast, framework, django_assert_max_num_queries
):
    street = cast.a.community.region
    extra = cast.users["assessor_b"]
    for n in range(30):
        make_assessment(
            framework,
            round=cast.round,
            community=make_community(street, f"丙社区{n}"),
            assessors=(cast.users["assessor_a"], extra),
        )
    client = cast.client("administrator")
    client.get(URL)  # the token notes its first use once
    counts = []
    for size in (5, 30):
        with django_assert_max_num_queries(20) as captured:
            answer = client.get(URL, {"page_size": size})
        assert len(answer.json()["results"]) == size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_statuses_are_the_assessment_statuses(cast, submit):
    submit(cast.b, cast.users["assessor_b"])
    rows = cast.client("administrator").get(URL).json()["results"]
    assert {row["status"] for row in rows} == {AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED}
