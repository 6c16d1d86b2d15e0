"""Rules the database itself holds: each constraint refuses a bad row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments.choices import AssessmentStatus, RegionLevel, ReviewAction
from assessments.models import (
    Answer,
    Assessment,
    Community,
    Evidence,
    ItemReview,
    Region,
    ReviewDecision,
    Round,
)
from tests.factories import make_assessment, make_community, region_chain

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_one_answer_per_item_and_value_xor_not_applicable(framework):
    assessment = make_assessment(framework)
    item = framework.items.get(code="L1P7.2")
    Answer.objects.create(assessment=assessment, item=item, value={"value": True})
    refused(lambda: Answer.objects.create(assessment=assessment, item=item, value={"value": 1}))
    other = framework.items.get(code="L1P1.2")
    refused(lambda: Answer.objects.create(assessment=assessment, item=other, value=None))
    refused(
        lambda: Answer.objects.create(
            assessment=assessment, item=other, value={"value": True}, not_applicable=True
        )
    )
    Answer.objects.create(assessment=assessment, item=other, value=None, not_applicable=True)


def test_one_assessment_per_community_and_round(framework):
    assessment = make_assessment(framework)
    refused(
        lambda: Assessment.objects.create(round=assessment.round, community=assessment.community)
    )


def test_approved_assessment_has_an_approval_time_and_status_is_valid(framework):
    assessment = make_assessment(framework)
    refused(
        lambda: Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.APPROVED)
    )
    refused(lambda: Assessment.objects.filter(pk=assessment.pk).update(status="done"))
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.APPROVED, approved_at=timezone.now()
    )


def test_evidence_is_a_file_or_a_link_never_both_or_neither(framework):
    assessment = make_assessment(framework)
    item = framework.items.first()
    refused(lambda: Evidence.objects.create(assessment=assessment, item=item))
    refused(
        lambda: Evidence.objects.create(
            assessment=assessment,
            item=item,
            url="https://a.example",
            file="x.pdf",
            sha256="0" * 64,
            size=1,
        )
    )
    refused(lambda: Evidence.objects.create(assessment=assessment, item=item, file="x.pdf"))
    Evidence.objects.create(assessment=assessment, item=item, url="https://a.example")
    Evidence.objects.create(
        assessment=assessment, item=item, file="y.pdf", sha256="a" * 64, size=10
    )


def test_community_needs_at_least_as_many_residents_as_households():
    street = region_chain()
    refused(lambda: Community.objects.create(name="x", region=street, households=10, residents=9))
    make_community(street, name="ok")
    refused(lambda: Community.objects.create(name="ok", region=street, households=1, residents=1))


def test_round_dates_are_ordered(framework):
    def round_with(**dates):
        base = {
            "period_start": dt.date(2026, 1, 1),
            "period_end": dt.date(2026, 12, 31),
            "submission_deadline": dt.date(2026, 6, 1),
            "review_deadline": dt.date(2026, 7, 1),
        }
        return Round.objects.create(name=str(dates), framework=framework, **{**base, **dates})

    refused(lambda: round_with(period_end=dt.date(2025, 1, 1)))
    refused(lambda: round_with(review_deadline=dt.date(2026, 5, 1)))
    round_with()


def test_returning_needs_a_reason_and_rejecting_evidence_too(framework):
    assessment = make_assessment(framework)
    refused(
        lambda: ReviewDecision.objects.create(
            assessment=assessment,
            action=ReviewAction.RETURN,
            from_status="submitted",
            to_status="returned",
        )
    )
    refused(
        lambda: ItemReview.objects.create(
            assessment=assessment, item=framework.items.first(), status="rejected"
        )
    )


def test_only_the_province_is_a_root_region():
    refused(lambda: Region.objects.create(code="1", name_zh="x", level=RegionLevel.CITY, path="1/"))


def test_only_officials_carry_a_region():
    street = region_chain()
    refused(lambda: User.objects.create(username="a", role=Role.ASSESSOR, region=street))
    User.objects.create(username="b", role=Role.OFFICIAL, region=street)
