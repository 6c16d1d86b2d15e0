"""Workflow actions through the API: submit, return, approve, reopen, item reviews and
approval in bulk, all through the workflow services. 409 names every problem, a reviewer
action by anyone but an administrator is 403, an assessment out of scope 404."""

from __future__ import annotations

import pytest

from assessments import services
from assessments.choices import AssessmentStatus, ReviewAction
from assessments.models import Assessment, ItemReview, ReviewDecision
from assessments.selectors import assessment_for_user

from .helpers import assert_error, complete, submit

pytestmark = pytest.mark.django_db

REVIEW_REFUSED = {  # who may see the assessment but not review it, and who may not see it
    "assessor_a": 403,
    "official_province": 403,
    "official_city": 403,
    "assessor_b": 404,
    "official_district": 404,
    "anonymous": 401,
}


def act(client, assessment, action, body=None):
    return client.post(f"/api/v1/assessments/{assessment.pk}/{action}/", body, format="json")


def review_item(client, assessment, code, body):
    return client.put(
        f"/api/v1/assessments/{assessment.pk}/item-reviews/{code}/", body, format="json"
    )


def status_of(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


@pytest.fixture
def submitted(cast, spec):
    submit(cast.a, cast.users["assessor_a"], spec)
    cast.a.refresh_from_db()
    return cast.a


def test_the_assessor_submits_a_complete_assessment(cast, spec):
    complete(cast.a, cast.users["assessor_a"], spec)
    version = Assessment.objects.get(pk=cast.a.pk).version
    answer = act(cast.client("assessor_a"), cast.a, "submit", {"version": version})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "id": cast.a.pk,
        "status": "submitted",
        "version": version + 1,
        "available_actions": [],
    }
    stored = Assessment.objects.get(pk=cast.a.pk)
    assert stored.status == AssessmentStatus.SUBMITTED and stored.submitted_at is not None
    assert stored.submissions.count() == 1


def test_an_administrator_submits_without_a_version(cast, spec):
    complete(cast.a, cast.users["assessor_a"], spec)
    answer = act(cast.client("administrator"), cast.a, "submit")
    assert answer.status_code == 200
    assert answer.json()["available_actions"] == ["return", "approve"]


def test_an_incomplete_submission_is_409_naming_every_item(cast, spec):
    services.answers_save(
        actor=cast.users["assessor_a"],
        assessment=cast.a,
        values={"L1P8.1": {"numerator": 480, "denominator": 1000}},
    )
    body = assert_error(act(cast.client("assessor_a"), cast.a, "submit"), 409, "invalid_state")
    items = [d["item"] for d in body["details"]]
    assert len(items) == len(spec.items)  # 45 unanswered, and L1P8.1 scores with no evidence
    assert "L1P8.1" in items and "L1P1.1" in items
    assert all(d["message"] for d in body["details"])
    assert status_of(cast.a) == AssessmentStatus.DRAFT


def test_a_stale_version_is_409(cast, spec):
    complete(cast.a, cast.users["assessor_a"], spec)
    answer = act(cast.client("assessor_a"), cast.a, "submit", {"version": 1})
    assert_error(answer, 409, "stale_version")
    assert status_of(cast.a) == AssessmentStatus.DRAFT


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("official_city", 403),
        ("official_province", 403),
        ("assessor_b", 404),
        ("official_district", 404),
        ("anonymous", 401),
    ],
)
def test_only_editors_submit(cast, spec, role, status):
    complete(cast.a, cast.users["assessor_a"], spec)
    assert_error(act(cast.client(role), cast.a, "submit"), status)
    assert status_of(cast.a) == AssessmentStatus.DRAFT


@pytest.mark.parametrize("body", [{"version": "abc"}, {"version": 0}, {"version": [1]}])
def test_a_bad_submit_body_is_400_naming_the_field(cast, body):
    answer = assert_error(act(cast.client("assessor_a"), cast.a, "submit", body), 400, "invalid")
    assert [d["field"] for d in answer["details"]] == ["version"]


def test_an_administrator_returns_with_reasons_and_opens_only_those(cast, submitted):
    reasons = {"L1P8": "智能照明安装率的分母应为公共照明设备总数。"}
    answer = act(cast.client("administrator"), submitted, "return", {"reasons": reasons})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "returned"
    assert answer.json()["available_actions"] == ["submit"]
    decision = ReviewDecision.objects.filter(assessment=submitted).latest("pk")
    assert decision.action == ReviewAction.RETURN and decision.reasons == reasons
    assert status_of(submitted) == AssessmentStatus.RETURNED
    _assessment, access = assessment_for_user(user=cast.users["assessor_a"], pk=submitted.pk)
    assert access.open_indicators == frozenset({"L1P8"})


@pytest.mark.parametrize("action", ["return", "approve", "reopen"])
@pytest.mark.parametrize(("role", "status"), sorted(REVIEW_REFUSED.items()))
def test_reviewer_actions_are_refused_to_others(cast, submitted, action, role, status):
    body = {"reasons": {"L1P8": "x"}, "comment": "x"}
    assert_error(act(cast.client(role), submitted, action, body), status)
    assert status_of(submitted) == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reasons"),
        ({"reasons": ["L1P8"]}, "reasons"),
        ({"reasons": {"L1P8": ["x"]}}, "reasons.L1P8"),
        ({"reasons": {"L1P8": "x"}, "comment": ["x"]}, "comment"),
    ],
)
def test_a_bad_return_body_is_400_naming_the_field(cast, submitted, body, field):
    answer = act(cast.client("administrator"), submitted, "return", body)
    assert [d["field"] for d in assert_error(answer, 400, "invalid")["details"]] == [field]
    assert status_of(submitted) == AssessmentStatus.SUBMITTED


def test_a_return_the_service_refuses_is_409_with_every_problem(cast, submitted):
    body = {"reasons": {"L1P8": " ", "L9P9": "x"}}
    answer = assert_error(
        act(cast.client("administrator"), submitted, "return", body), 409, "invalid_state"
    )
    assert {(d.get("item"), d.get("field")) for d in answer["details"]} == {
        (None, "reasons"),
        ("L1P8", "reason"),
    }
    empty = act(cast.client("administrator"), submitted, "return", {"reasons": {}})
    assert assert_error(empty, 409)["details"][0]["field"] == "reasons"


def test_a_draft_cannot_be_returned_or_approved(cast):
    client = cast.client("administrator")
    assert_error(act(client, cast.a, "return", {"reasons": {"L1P8": "x"}}), 409, "invalid_state")
    assert_error(act(client, cast.a, "approve"), 409, "invalid_state")
    assert_error(act(client, cast.a, "reopen", {"comment": "x"}), 409, "invalid_state")


def test_an_administrator_approves_then_reopens_with_a_reason(cast, submitted):
    client = cast.client("administrator")
    approved = act(client, submitted, "approve", {"comment": "材料齐全，同意通过。"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["available_actions"] == ["reopen"]
    stored = Assessment.objects.get(pk=submitted.pk)
    assert stored.approved_at is not None and stored.version == approved.json()["version"]
    assert_error(act(client, submitted, "reopen", {}), 400, "invalid")
    refused = assert_error(act(client, submitted, "reopen", {"comment": "  "}), 409)
    assert refused["details"][0]["field"] == "comment"
    reopened = act(client, submitted, "reopen", {"comment": "L1P8.1 的数据来源需重新核实。"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "returned"
    stored = Assessment.objects.get(pk=submitted.pk)
    assert stored.status == AssessmentStatus.RETURNED and stored.approved_at is None
    decision = ReviewDecision.objects.filter(assessment=submitted).latest("pk")
    assert decision.comment == "L1P8.1 的数据来源需重新核实。"


def test_an_administrator_judges_an_items_evidence(cast, submitted):
    client = cast.client("administrator")
    accepted = review_item(client, submitted, "L1P8.1", {"status": "accepted"})
    assert accepted.status_code == 200, accepted.content
    version = Assessment.objects.get(pk=submitted.pk).version
    assert accepted.json() == {
        "item": "L1P8.1",
        "status": "accepted",
        "comment": "",
        "version": version,
    }
    rejected = review_item(
        client, submitted, "L1P8.1", {"status": "rejected", "comment": "验收报告未盖章。"}
    )
    assert rejected.json()["status"] == "rejected"
    review = ItemReview.objects.get(assessment=submitted, item__code="L1P8.1")
    assert review.status == "rejected" and review.comment == "验收报告未盖章。"
    assert review.reviewer == cast.users["administrator"]


@pytest.mark.parametrize(
    ("code", "body", "field"),
    [
        ("L1P8.1", {"status": "maybe"}, "status"),
        ("L1P8.1", {}, "status"),
        ("L1P8.1", {"status": "rejected"}, "comment"),  # the service asks why
        ("L9P9.9", {"status": "accepted"}, "item"),
    ],
)
def test_a_bad_item_review_is_400_naming_the_field(cast, submitted, code, body, field):
    answer = review_item(cast.client("administrator"), submitted, code, body)
    assert [d["field"] for d in assert_error(answer, 400)["details"]] == [field]
    assert not ItemReview.objects.exists()


@pytest.mark.parametrize(("role", "status"), sorted(REVIEW_REFUSED.items()))
def test_item_reviews_are_refused_to_others(cast, submitted, role, status):
    assert_error(
        review_item(cast.client(role), submitted, "L1P8.1", {"status": "accepted"}), status
    )
    assert not ItemReview.objects.exists()


def test_a_draft_has_no_item_reviews(cast):
    answer = review_item(cast.client("administrator"), cast.a, "L1P8.1", {"status": "accepted"})
    assert_error(answer, 409, "invalid_state")


BULK = "/api/v1/assessments/bulk-approve/"


def test_an_administrator_approves_many_at_once(cast, spec, submitted):
    submit(cast.b, cast.users["assessor_b"], spec)
    ids = [cast.a.pk, cast.b.pk]
    answer = cast.client("administrator").post(
        BULK, {"ids": [*ids, cast.a.pk], "comment": "同意"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["approved"] == 2
    assert sorted(a["id"] for a in body["assessments"]) == sorted(ids)
    assert {a["status"] for a in body["assessments"]} == {"approved"}
    assert set(Assessment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        AssessmentStatus.APPROVED
    }


def test_a_bulk_approval_is_all_or_nothing_naming_the_community(cast, submitted):
    answer = cast.client("administrator").post(BULK, {"ids": [cast.a.pk, cast.b.pk]}, format="json")
    body = assert_error(answer, 409, "invalid_state")
    assert [d.get("community") for d in body["details"]] == [cast.b.community.code]
    assert "乙社区" in body["details"][0]["message"]
    assert status_of(cast.a) == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("assessor_a", 403),
        ("official_city", 403),
        ("official_province", 403),
        ("assessor_b", 404),
        ("official_district", 404),
        ("anonymous", 401),
    ],
)
def test_bulk_approval_is_refused_to_others(cast, submitted, role, status):
    assert_error(cast.client(role).post(BULK, {"ids": [cast.a.pk]}, format="json"), status)
    assert status_of(cast.a) == AssessmentStatus.SUBMITTED


def test_unknown_ids_in_a_bulk_approval_are_404(cast, submitted):
    answer = cast.client("administrator").post(BULK, {"ids": [cast.a.pk, 987654]}, format="json")
    assert "987654" in assert_error(answer, 404, "not_found")["message"]
    assert status_of(cast.a) == AssessmentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "ids"),
        ({"ids": []}, "ids"),
        ({"ids": "1,2"}, "ids"),
        ({"ids": ["x"]}, "ids.0"),
        ({"ids": [1], "comment": "x" * 2001}, "comment"),
    ],
)
def test_a_bad_bulk_body_is_400_naming_the_field(cast, body, field):
    answer = cast.client("administrator").post(BULK, body, format="json")
    assert [d["field"] for d in assert_error(answer, 400, "invalid")["details"]] == [field]
