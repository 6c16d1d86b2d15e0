"""Evidence through the page: uploads checked from their content, downloads only for those
who may see the assessment, deletions recorded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Role
from assessments.models import AssessmentEvent, Evidence
from tests.factories import UserFactory, make_assessment, make_community, region_chain

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
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


@pytest.fixture
def setting(framework):
    assessor = UserFactory(role=Role.ASSESSOR)
    street = region_chain("济南市")
    assessment = make_assessment(framework, community=make_community(street), assessors=(assessor,))
    return assessment, assessor


def png(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def add(client, assessment, *files, item="L1P1.1", **extra):
    return client.post(
        reverse("assessments:evidence-add", args=[assessment.pk]),
        {"item": item, "file": list(files), **extra},
        **HTMX,
    )


def files_in(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_several_files_and_a_link_at_once(client, setting, uploads):
    assessment, assessor = setting
    client.force_login(assessor)
    response = add(
        client,
        assessment,
        SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof"),
        SimpleUploadedFile("照片.png", png()),
        SimpleUploadedFile("台账.docx", docx()),
        url="https://e.example/ledger",
        description="台账",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "证明.pdf" in body and "照片.png" in body and "台账.docx" in body and "e.example" in body
    kinds = dict(Evidence.objects.values_list("original_name", "content_type"))
    assert kinds["照片.png"] == "image/png" and kinds["证明.pdf"] == "application/pdf"
    photo = Evidence.objects.get(original_name="照片.png")
    assert photo.thumbnail and photo.file.name.endswith(".png")
    assert AssessmentEvent.objects.filter(kind="evidence_added").count() == 4
    assert len(files_in(uploads)) == 4, "three files and one thumbnail"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("setup.docx", b"MZ\x90\x00" + b"\x00" * 100),
        ("empty.pdf", b""),
    ],
)
def test_files_of_another_kind_are_refused_whatever_their_name(
    client, setting, uploads, name, content
):
    assessment, assessor = setting
    client.force_login(assessor)
    body = add(client, assessment, SimpleUploadedFile(name, content)).content.decode()
    assert name in body
    assert not Evidence.objects.exists() and files_in(uploads) == []


def test_a_file_over_the_limit_is_refused(client, setting, uploads, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    assessment, assessor = setting
    client.force_login(assessor)
    add(client, assessment, SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 2000))
    assert not Evidence.objects.exists() and files_in(uploads) == []


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, setting, uploads, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    assessment, assessor = setting
    client.force_login(assessor)
    bomb = png(4000, 4000)  # 16 million pixels of one colour: a few kilobytes
    assert len(bomb) < 200_000
    body = add(client, assessment, SimpleUploadedFile("bomb.png", bomb)).content.decode()
    assert "bomb.png" in body
    assert not Evidence.objects.exists() and files_in(uploads) == []


def test_a_path_in_the_name_never_reaches_the_disk(client, setting, uploads):
    assessment, assessor = setting
    client.force_login(assessor)
    add(client, assessment, SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4"))
    evidence = Evidence.objects.get()
    assert evidence.original_name == "passwd.pdf"
    assert all(uploads in path.parents for path in files_in(uploads))


def test_downloads_check_who_asks(client, setting, framework):
    assessment, assessor = setting
    client.force_login(assessor)
    add(client, assessment, SimpleUploadedFile("照片.png", png()))
    evidence = Evidence.objects.get()
    file_url = reverse("assessments:evidence-file", args=[evidence.pk])
    thumb_url = reverse("assessments:evidence-thumbnail", args=[evidence.pk])
    response = client.get(file_url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png()
    assert client.get(thumb_url)["Content-Type"] == "image/jpeg"
    strangers = (
        UserFactory(role=Role.ASSESSOR),
        UserFactory(role=Role.OFFICIAL, region=region_chain("青岛市").city),
    )
    for stranger in strangers:
        client.force_login(stranger)
        assert client.get(file_url).status_code == 404
        assert client.get(thumb_url).status_code == 404
    client.logout()
    assert client.get(file_url).status_code == 302


def test_deleting_evidence_is_recorded_and_removes_the_file(
    client, setting, uploads, django_capture_on_commit_callbacks
):
    assessment, assessor = setting
    client.force_login(assessor)
    add(client, assessment, SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof"))
    evidence = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments:evidence-delete", args=[assessment.pk, evidence.pk]), **HTMX
        )
    assert response.status_code == 200
    assert not Evidence.objects.exists() and files_in(uploads) == []
    removed = AssessmentEvent.objects.get(kind="evidence_removed")
    assert (removed.old or {}).get("name") == "证明.pdf" and removed.actor == assessor


def test_another_assessor_cannot_add_or_delete(client, setting):
    assessment, assessor = setting
    client.force_login(assessor)
    add(client, assessment, SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof"))
    evidence = Evidence.objects.get()
    client.force_login(UserFactory(role=Role.ASSESSOR))
    assert add(client, assessment, SimpleUploadedFile("x.pdf", b"%PDF-1.4")).status_code == 404
    delete = reverse("assessments:evidence-delete", args=[assessment.pk, evidence.pk])
    assert client.post(delete).status_code == 404
    assert Evidence.objects.count() == 1
