"""Reviewing through the pages: the queue, evidence verdicts, returns with reasons, the
diff after a resubmission, approval one by one and together; for administrators only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessments import services
from assessments.models import Assessment, ItemReview
from tests.factories import (
    UserFactory,
    add_evidence_for_scored_items,
    full_answers,
    make_assessment,
    make_community,
    make_round,
    region_chain,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(framework, spec):
    """Two submitted assessments (in two cities) with their assessors and an administrator."""
    round_ = make_round(framework)
    assessor = UserFactory(role=Role.ASSESSOR)
    made = []
    for city, name in (("济南市", "甲社区"), ("青岛市", "乙社区")):
        assessment = make_assessment(
            framework,
            round=round_,
            community=make_community(region_chain(city), name),
            assessors=(assessor,),
        )
        services.answers_save(actor=assessor, assessment=assessment, values=full_answers(spec))
        add_evidence_for_scored_items(assessment, assessor, spec)
        services.assessment_submit(actor=assessor, assessment=assessment)
        made.append(assessment)
    return made, assessor, UserFactory(role=Role.ADMINISTRATOR, last_name="王", first_name="审")


def test_only_administrators_open_the_queue_and_review_pages(client, submitted):
    (a, _b), assessor, admin = submitted
    for user, status in ((assessor, 403), (UserFactory(role=Role.OFFICIAL), 403), (admin, 200)):
        client.force_login(user)
        assert client.get(reverse("review-queue")).status_code == status
        assert client.get(reverse("assessments:review", args=[a.pk])).status_code == status
    client.force_login(UserFactory(role=Role.ASSESSOR))
    assert client.get(reverse("assessments:review", args=[a.pk])).status_code == 404


def test_the_queue_filters_by_tab_and_city(client, submitted):
    (a, _b), _assessor, admin = submitted
    client.force_login(admin)
    body = client.get(reverse("review-queue")).content.decode()
    assert "甲社区" in body and "乙社区" in body
    city = a.community.city_id
    body = client.get(reverse("review-queue"), {"city": city}).content.decode()
    assert "甲社区" in body and "乙社区" not in body
    body = client.get(reverse("review-queue"), {"tab": "approved"}).content.decode()
    assert "甲社区" not in body
    for odd in ({"city": "²"}, {"tab": "x" * 500}, {"round": "9" * 30}, {"page": "-1"}):
        assert client.get(reverse("review-queue"), odd).status_code == 200


def test_the_queue_runs_the_same_queries_for_more_rows(client, submitted, framework, spec):
    (a, _b), assessor, admin = submitted
    client.force_login(admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("review-queue"))
        return len(queries)

    before = count()
    for n in range(4):
        extra = make_assessment(framework, round=a.round, assessors=(assessor,))
        services.answers_save(actor=assessor, assessment=extra, values=full_answers(spec, seed=n))
        add_evidence_for_scored_items(extra, assessor, spec)
        services.assessment_submit(actor=assessor, assessment=extra)
    assert count() == before


def test_reject_return_fix_resubmit_diff_approve(client, submitted, spec):
    (a, _b), assessor, admin = submitted
    client.force_login(admin)
    reject = client.post(
        reverse("assessments:item-review", args=[a.pk, "L1P8.1"]),
        {"status": "rejected", "comment": "照片看不清"},
        HTTP_HX_REQUEST="true",
    )
    assert "照片看不清" in reject.content.decode()
    assert ItemReview.objects.get(item__code="L1P8.1").status == "rejected"
    client.post(
        reverse("assessments:return", args=[a.pk]),
        {"indicators": ["L1P8"], "reason-L1P8": "补充路灯台账"},
    )
    a.refresh_from_db()
    assert a.status == "returned"

    client.force_login(assessor)
    page = client.get(reverse("assessments:page", args=[a.pk])).content.decode()
    assert "补充路灯台账" in page
    services.answers_save(
        actor=assessor, assessment=a, values={"L1P8.1": {"numerator": 999, "denominator": 1000}}
    )
    services.evidence_add_link(
        actor=assessor, assessment=a, item_code="L1P8.1", url="https://e.example/ledger"
    )
    client.post(reverse("assessments:submit", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "submitted"

    client.force_login(admin)
    review = client.get(reverse("assessments:review", args=[a.pk])).content.decode()
    diff = review[review.index("diff") :]
    assert "999 / 1000" in diff and "https://e.example/ledger" in diff
    client.post(reverse("assessments:item-review", args=[a.pk, "L1P8.1"]), {"status": "accepted"})
    client.post(reverse("assessments:approve", args=[a.pk]), {"comment": "同意"})
    a.refresh_from_db()
    assert a.status == "approved"


def test_a_return_without_reasons_is_refused_on_the_page(client, submitted):
    (a, _b), _assessor, admin = submitted
    client.force_login(admin)
    response = client.post(reverse("assessments:return", args=[a.pk]), {"indicators": ["L1P8"]})
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.status == "submitted"


def test_bulk_approval_confirms_then_approves_all_chosen(client, submitted):
    (a, b), assessor, admin = submitted
    client.force_login(admin)
    url = reverse("assessments:bulk-approve")
    confirm = client.post(url, {"ids": [a.pk, b.pk]})
    assert confirm.status_code == 200 and "甲社区" in confirm.content.decode()
    assert set(Assessment.objects.values_list("status", flat=True)) == {"submitted"}
    client.post(url, {"ids": [a.pk, b.pk], "confirm": "yes"})
    assert set(Assessment.objects.values_list("status", flat=True)) == {"approved"}
    client.force_login(assessor)
    assert client.post(url, {"ids": [a.pk], "confirm": "yes"}).status_code == 403


def test_bulk_approval_of_a_set_that_changed_meanwhile_says_which_and_approves_none(
    client, submitted
):
    (a, b), _assessor, admin = submitted
    services.assessment_return(actor=admin, assessment=b, reasons={"L1P8": "照片不清楚"})
    client.force_login(admin)
    response = client.post(
        reverse("assessments:bulk-approve"), {"ids": [a.pk, b.pk], "confirm": "yes"}, follow=True
    )
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    assert b.community.name in message and a.community.name not in message
    assert Assessment.objects.get(pk=a.pk).status == "submitted"


def test_the_queue_offers_only_submitted_without_rejected_evidence(client, submitted):
    (a, b), _assessor, admin = submitted
    services.item_review_set(
        actor=admin, assessment=b, item_code="L1P8.1", status="rejected", comment="不清楚"
    )
    client.force_login(admin)
    response = client.get(reverse("review-queue"))
    assert response.context["approvable"] == [a.pk]
