"""Evidence: files kept privately with their hash, links, and no file without its row."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from assessments import services
from assessments.errors import EvidenceError
from assessments.models import Evidence
from assessments.signals import assessments_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def files_in(root):
    return [path for path in root.rglob("*") if path.is_file()]


def test_evidence_file_is_stored_with_hash_and_size(assessment, assessor, uploads):
    upload = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = services.evidence_add_file(
        actor=assessor, assessment=assessment, item_code="L1P1.1", upload=upload
    )
    assert evidence.size == 13
    assert evidence.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()
    assert evidence.original_name == "证明.pdf"
    assert not evidence.file.name.endswith("证明.pdf")
    assert (uploads / evidence.file.name).read_bytes() == b"%PDF-1.4 test"
    assessment.refresh_from_db()
    assert assessment.evidenced_count == 1


def test_the_same_file_twice_on_one_item_is_refused_but_fine_on_another(
    assessment, assessor, uploads
):
    def add(name, item_code):
        upload = SimpleUploadedFile(name, b"%PDF-1.4 ledger", content_type="application/pdf")
        return services.evidence_add_file(
            actor=assessor, assessment=assessment, item_code=item_code, upload=upload
        )

    add("台账.pdf", "L1P8.1")
    with pytest.raises(EvidenceError) as caught:
        add("台账-副本.pdf", "L1P8.1")
    assert "台账.pdf" in caught.value.messages[0] and caught.value.problems[0].field == "file"
    add("台账.pdf", "L1P8.2")
    assert Evidence.objects.filter(assessment=assessment).count() == 2
    assert len(files_in(uploads)) == 2


def test_a_path_in_the_file_name_is_dropped(assessment, assessor, uploads):
    upload = SimpleUploadedFile(
        "..\\..\\etc/passwd.pdf", b"%PDF-1.4", content_type="application/pdf"
    )
    evidence = services.evidence_add_file(
        actor=assessor, assessment=assessment, item_code="L1P1.1", upload=upload
    )
    assert evidence.original_name == "passwd.pdf"
    assert [p.parent.parent for p in files_in(uploads)] == [uploads / "evidence"]


def test_evidence_of_a_forbidden_type_or_size_is_refused(assessment, assessor, settings, uploads):
    settings.UPLOAD_MAX_BYTES = 10
    for upload in (SimpleUploadedFile("run.exe", b"MZ"), SimpleUploadedFile("big.pdf", b"x" * 11)):
        with pytest.raises(EvidenceError):
            services.evidence_add_file(
                actor=assessor, assessment=assessment, item_code="L1P1.1", upload=upload
            )
    with pytest.raises(EvidenceError):
        services.evidence_add_link(
            actor=assessor, assessment=assessment, item_code="L1P1.1", url="javascript:alert(1)"
        )
    assert not Evidence.objects.exists()
    assert files_in(uploads) == []


def test_a_file_whose_row_cannot_be_saved_is_not_left_behind(
    assessment, assessor, uploads, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.evidence, "bump", fail)
    with pytest.raises(RuntimeError):
        services.evidence_add_file(
            actor=assessor,
            assessment=assessment,
            item_code="L1P1.1",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )
    assert not Evidence.objects.exists()
    assert files_in(uploads) == []


def test_a_file_left_by_a_rollback_further_out_is_swept(assessment, assessor, uploads):
    def upload_then_fail():
        with transaction.atomic():
            services.evidence_add_file(
                actor=assessor,
                assessment=assessment,
                item_code="L1P1.1",
                upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
            )
            raise RuntimeError("the caller failed after the upload")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    (orphan,) = files_in(uploads)
    assert services.evidence_orphans_sweep() == [], "young files are left alone"
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    kept = services.evidence_add_file(
        actor=assessor,
        assessment=assessment,
        item_code="L1P1.1",
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4"),
    )
    os.utime(uploads / kept.file.name, (old, old))
    assert services.evidence_orphans_sweep() == [str(orphan.relative_to(uploads))]
    assert files_in(uploads) == [uploads / kept.file.name]


def test_deleting_evidence_removes_its_file_after_the_commit(
    assessment, assessor, uploads, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add_file(
        actor=assessor,
        assessment=assessment,
        item_code="L1P1.1",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(actor=assessor, evidence=evidence)
    assert not Evidence.objects.exists()
    assert files_in(uploads) == []
    assessment.refresh_from_db()
    assert assessment.evidenced_count == 0


def test_change_events_are_sent_once_per_transaction(
    assessment, assessor, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(sender, assessment_ids, **kwargs):
        sent.append(assessment_ids)

    assessments_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for n in range(3):
                services.evidence_add_link(
                    actor=assessor,
                    assessment=assessment,
                    item_code="L1P1.1",
                    url=f"https://e.example/{n}",
                )
    finally:
        assessments_changed.disconnect(receiver)
    assert sent == [[assessment.pk]]
