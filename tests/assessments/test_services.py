"""Writes through the services: validation first, all or nothing, workflow rules."""

from __future__ import annotations

import hashlib
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from assessments import services
from assessments.choices import AssessmentStatus, RegionLevel, RoundStatus
from assessments.demo.answers import make_answers
from assessments.errors import (
    EvidenceError,
    InvalidAnswersError,
    NotAllowedError,
    StaleVersionError,
    WorkflowError,
)
from assessments.models import Answer, Assessment, Evidence, ReviewDecision
from scoring.engine import score
from tests.factories import UserFactory, make_assessment, make_round, region_chain

pytestmark = pytest.mark.django_db
Change = services.AnswerChange


@pytest.fixture
def assessor():
    return UserFactory(role=Role.ASSESSOR)


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMINISTRATOR)


@pytest.fixture
def assessment(framework, assessor):
    return make_assessment(framework, assessors=(assessor,))


def full_answers(spec, quality=0.9, seed=1):
    return {code: Change(v) for code, v in make_answers(spec, quality, random.Random(seed)).items()}


def add_evidence_for_scored_items(assessment, actor, spec):
    answers = services.current_engine_answers(assessment)
    services.evidence_add_links(
        actor=actor,
        assessment=assessment,
        links=[
            services.EvidenceLink(item.code, f"https://e.example/{item.code}")
            for ind in score(spec, answers).indicators
            for item in ind.items
            if item.s
        ],
    )


def test_region_create_derives_path_city_and_district():
    street = region_chain()
    district = street.parent
    city = district.parent
    assert street.path == f"370000/{city.code}/{district.code}/{street.code}/"
    assert (street.city, street.district) == (city, district)
    assert (district.city, district.district) == (city, district)
    assert city.city == city and city.district is None


def test_region_must_sit_one_level_below_its_parent():
    province = region_chain().city.parent
    with pytest.raises(WorkflowError):
        services.region_create(code="9", name_zh="x", level=RegionLevel.STREET, parent=province)


def test_answers_save_stores_valid_answers_and_bumps_the_version(assessment, assessor):
    services.answers_save(
        actor=assessor,
        assessment=assessment,
        changes={
            "L1P1.1": Change({"numerator": 980, "denominator": 1000}, note="运营商证明"),
            "L1P7.2": Change({"na": True}),
        },
        expected_version=1,
    )
    assessment.refresh_from_db()
    assert assessment.version == 2
    a = Answer.objects.get(assessment=assessment, item__code="L1P1.1")
    assert a.value == {"numerator": 980, "denominator": 1000}
    assert a.note == "运营商证明" and a.updated_by == assessor
    assert Answer.objects.get(assessment=assessment, item__code="L1P7.2").not_applicable


def test_answers_save_is_all_or_nothing_and_names_every_bad_item(assessment, assessor):
    with pytest.raises(InvalidAnswersError) as caught:
        services.answers_save(
            actor=assessor,
            assessment=assessment,
            changes={
                "L1P1.1": Change({"numerator": 980, "denominator": 1000}),
                "L1P3.1": Change({"numerator": 5, "denominator": 0}),
                "L2P1.1": Change({"count": 2.5}),
                "L1P1.2": Change({"na": True}),
                "L9P9.9": Change({"value": True}),
            },
        )
    items = sorted(e.item for e in caught.value.errors)
    assert items == ["L1P1.2", "L1P3.1", "L2P1.1", "L9P9.9"]
    assert Answer.objects.filter(assessment=assessment).count() == 0
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_stale_version_is_refused(assessment, assessor):
    change = {"L1P1.2": Change({"value": True})}
    services.answers_save(actor=assessor, assessment=assessment, changes=change, expected_version=1)
    with pytest.raises(StaleVersionError):
        services.answers_save(
            actor=assessor, assessment=assessment, changes=change, expected_version=1
        )


def test_clearing_an_answer_removes_it(assessment, assessor):
    services.answers_save(
        actor=assessor, assessment=assessment, changes={"L1P1.2": Change({"value": True})}
    )
    services.answers_save(actor=assessor, assessment=assessment, changes={"L1P1.2": Change(None)})
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_an_unassigned_assessor_cannot_save(assessment):
    other = UserFactory(role=Role.ASSESSOR)
    with pytest.raises(NotAllowedError):
        services.answers_save(
            actor=other, assessment=assessment, changes={"L1P1.2": Change({"value": True})}
        )


def test_officials_can_never_write(assessment):
    official = UserFactory(role=Role.OFFICIAL)
    with pytest.raises(NotAllowedError):
        services.answers_save(
            actor=official, assessment=assessment, changes={"L1P1.2": Change({"value": True})}
        )


def test_closed_round_refuses_changes(framework, assessor):
    round_ = make_round(framework, status=RoundStatus.CLOSED)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    with pytest.raises(WorkflowError):
        services.answers_save(
            actor=assessor, assessment=assessment, changes={"L1P1.2": Change({"value": True})}
        )


def test_submit_refuses_assessment_with_unanswered_items(assessment, assessor, spec):
    answers = full_answers(spec)
    answers.pop("L2P3.1")
    services.answers_save(actor=assessor, assessment=assessment, changes=answers)
    with pytest.raises(WorkflowError) as caught:
        services.assessment_submit(actor=assessor, assessment=assessment)
    assert any("L2P3.1" in m for m in caught.value.messages)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


def test_submit_needs_evidence_for_items_that_score(assessment, assessor, spec):
    services.answers_save(actor=assessor, assessment=assessment, changes=full_answers(spec))
    with pytest.raises(WorkflowError) as caught:
        services.assessment_submit(actor=assessor, assessment=assessment)
    assert len(caught.value.messages) > 10
    add_evidence_for_scored_items(assessment, assessor, spec)
    services.assessment_submit(actor=assessor, assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


def test_round_without_evidence_requirement_submits_without_evidence(framework, assessor, spec):
    round_ = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    services.answers_save(actor=assessor, assessment=assessment, changes=full_answers(spec))
    services.assessment_submit(actor=assessor, assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.SUBMITTED


@pytest.fixture
def submitted(framework, assessor, spec):
    round_ = make_round(framework, evidence_required=False)
    assessment = make_assessment(framework, assessors=(assessor,), round=round_)
    services.answers_save(actor=assessor, assessment=assessment, changes=full_answers(spec))
    return services.assessment_submit(actor=assessor, assessment=assessment)


def test_submitted_assessment_is_locked_for_assessors(submitted, assessor):
    with pytest.raises(WorkflowError):
        services.answers_save(
            actor=assessor, assessment=submitted, changes={"L1P1.2": Change({"value": False})}
        )


def test_return_needs_a_reason_and_reopens_editing(submitted, assessor, admin):
    with pytest.raises(WorkflowError):
        services.assessment_return(actor=admin, assessment=submitted, comment="  ")
    services.assessment_return(actor=admin, assessment=submitted, comment="补充材料")
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.RETURNED
    services.answers_save(
        actor=assessor, assessment=submitted, changes={"L1P1.2": Change({"value": False})}
    )
    actions = list(
        ReviewDecision.objects.filter(assessment=submitted).values_list(
            "action", "from_status", "to_status"
        )
    )
    assert actions == [("submit", "draft", "submitted"), ("return", "submitted", "returned")]


def test_only_administrators_review(submitted, assessor, admin):
    with pytest.raises(NotAllowedError):
        services.assessment_approve(actor=assessor, assessment=submitted)
    services.assessment_approve(actor=admin, assessment=submitted)
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.APPROVED and submitted.approved_at
    with pytest.raises(WorkflowError):
        services.assessment_approve(actor=admin, assessment=submitted)


def test_reopen_takes_an_approved_assessment_back(submitted, admin):
    services.assessment_approve(actor=admin, assessment=submitted)
    services.assessment_reopen(actor=admin, assessment=submitted, comment="复核")
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.RETURNED and submitted.approved_at is None


def test_item_review_rejection_needs_a_reason(submitted, admin):
    with pytest.raises(WorkflowError):
        services.item_review_set(
            actor=admin, assessment=submitted, item_code="L1P1.1", status="rejected"
        )
    review = services.item_review_set(
        actor=admin, assessment=submitted, item_code="L1P1.1", status="rejected", comment="证明过期"
    )
    assert review.item.code == "L1P1.1"


def test_evidence_file_is_stored_with_hash_and_size(assessment, assessor, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = services.evidence_add_file(
        actor=assessor, assessment=assessment, item_code="L1P1.1", upload=upload
    )
    assert evidence.size == 13
    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    assert evidence.original_name == "证明.pdf"
    assert not evidence.file.name.endswith("证明.pdf")
    assert (tmp_path / evidence.file.name).read_bytes() == b"%PDF-1.4 test"


def test_evidence_of_a_forbidden_type_or_size_is_refused(assessment, assessor, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(EvidenceError):
        services.evidence_add_file(
            actor=assessor,
            assessment=assessment,
            item_code="L1P1.1",
            upload=SimpleUploadedFile("run.exe", b"MZ"),
        )
    with pytest.raises(EvidenceError):
        services.evidence_add_file(
            actor=assessor,
            assessment=assessment,
            item_code="L1P1.1",
            upload=SimpleUploadedFile("big.pdf", b"x" * 11),
        )
    with pytest.raises(EvidenceError):
        services.evidence_add_link(
            actor=assessor, assessment=assessment, item_code="L1P1.1", url="javascript:alert(1)"
        )
    assert not Evidence.objects.exists()


def test_saving_no_changes_changes_nothing(assessment, assessor):
    services.answers_save(actor=assessor, assessment=assessment, changes={})
    assessment.refresh_from_db()
    assert assessment.version == 1


def test_a_file_whose_row_cannot_be_saved_is_not_left_behind(
    assessment, assessor, settings, tmp_path, monkeypatch
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_bump", fail)
    with pytest.raises(RuntimeError):
        services.evidence_add_file(
            actor=assessor,
            assessment=assessment,
            item_code="L1P1.1",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
