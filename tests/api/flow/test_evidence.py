"""Evidence through the API: listed for whoever may view the assessment, files uploaded as
multipart and links as JSON through the services (type from the content, 413 above the
limit), read, deleted while editable, and downloaded with the page's permission."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.choices import EventKind
from assessments.models import Assessment, AssessmentEvent, Evidence

from .helpers import assert_error, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 smart lighting acceptance report"
VIEWERS = ("administrator", "assessor_a", "official_province", "official_city")
OUTSIDERS = ("assessor_b", "official_district")


def evidence_url(assessment) -> str:
    return f"/api/v1/assessments/{assessment.pk}/evidence/"


def upload(client, assessment, content=PDF, name="验收报告.pdf", item="L1P8.1", **extra):
    return client.post(
        evidence_url(assessment),
        {"item": item, "file": SimpleUploadedFile(name, content), **extra},
        format="multipart",
    )


@pytest.fixture
def stored(cast):
    """A file and a link on 甲社区's L1P8.1 and L1P8.2, by its assessor."""
    assessor = cast.users["assessor_a"]
    file = services.evidence_add_file(
        actor=assessor,
        assessment=cast.a,
        item_code="L1P8.1",
        upload=SimpleUploadedFile("验收报告.pdf", PDF),
        description="验收报告",
    )
    link = services.evidence_add_link(
        actor=assessor,
        assessment=cast.a,
        item_code="L1P8.2",
        url="https://e.example/lighting",
    )
    return file, link


@pytest.mark.parametrize("role", VIEWERS)
def test_whoever_may_view_the_assessment_lists_its_evidence(cast, stored, role):
    file, _link = stored
    answer = cast.client(role).get(evidence_url(cast.a))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    first, second = body["results"]
    assert first == {
        "id": file.pk,
        "item": "L1P8.1",
        "kind": "file",
        "original_name": "验收报告.pdf",
        "url": "",
        "description": "验收报告",
        "size": len(PDF),
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "uploaded_by": {
            "id": cast.users["assessor_a"].pk,
            "username": cast.users["assessor_a"].username,
            "display_name": "张一",  # family name first, as the pages write it
        },
        "uploaded_at": first["uploaded_at"],
        "review": None,
        "download_url": f"http://testserver/api/v1/evidence/{file.pk}/file/",
    }
    assert second["kind"] == "link" and second["url"] == "https://e.example/lighting"
    assert second["download_url"] is None and second["size"] is None


@pytest.mark.parametrize("role", OUTSIDERS)
def test_evidence_of_an_assessment_out_of_scope_is_404(cast, stored, role):
    file, link = stored
    client = cast.client(role)
    assert_error(client.get(evidence_url(cast.a)), 404, "not_found")
    assert_error(upload(client, cast.a), 404, "not_found")
    for evidence in (file, link):
        assert_error(client.get(f"/api/v1/evidence/{evidence.pk}/"), 404, "not_found")
        assert_error(client.delete(f"/api/v1/evidence/{evidence.pk}/"), 404, "not_found")
    assert_error(client.get(f"/api/v1/evidence/{file.pk}/file/"), 404, "not_found")
    assert Evidence.objects.filter(assessment=cast.a).count() == 2


def test_anonymous_is_asked_to_authenticate(cast, stored):
    file, _link = stored
    client = cast.client("anonymous")
    assert_error(client.get(evidence_url(cast.a)), 401, "not_authenticated")
    assert_error(upload(client, cast.a), 401, "not_authenticated")
    assert_error(client.get(f"/api/v1/evidence/{file.pk}/file/"), 401, "not_authenticated")
    assert_error(client.delete(f"/api/v1/evidence/{file.pk}/"), 401, "not_authenticated")


def test_the_assessor_uploads_a_file_checked_and_recorded(cast):
    version = cast.a.version
    answer = upload(cast.client("assessor_a"), cast.a, description="照明改造验收报告")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    evidence = Evidence.objects.get(pk=body["id"])
    assert evidence.assessment_id == cast.a.pk and evidence.item.code == "L1P8.1"
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest() == body["sha256"]
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    assert evidence.file.read() == PDF
    assert body["kind"] == "file" and body["description"] == "照明改造验收报告"
    assert body["uploaded_by"]["id"] == cast.users["assessor_a"].pk
    assert Assessment.objects.get(pk=cast.a.pk).version == version + 1
    event = AssessmentEvent.objects.get(assessment=cast.a, kind=EventKind.EVIDENCE_ADDED)
    assert event.target == "L1P8.1" and event.new == services.evidence_record(evidence)


def test_an_administrator_adds_a_link_as_json(cast):
    answer = cast.client("administrator").post(
        evidence_url(cast.a),
        {"item": "L1P8.2", "url": " https://e.example/saving ", "description": "节能统计"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    evidence = Evidence.objects.get(pk=answer.json()["id"])
    assert evidence.url == "https://e.example/saving" and not evidence.file
    assert evidence.uploaded_by == cast.users["administrator"]
    assert answer.json()["kind"] == "link" and answer.json()["download_url"] is None


@pytest.mark.parametrize("role", ["official_province", "official_city"])
def test_officials_may_not_add_or_delete_evidence(cast, stored, role):
    file, _link = stored
    client = cast.client(role)
    assert_error(upload(client, cast.a), 403, "forbidden")
    assert_error(client.post(evidence_url(cast.a), {"item": 1}, format="json"), 403)
    link = client.post(
        evidence_url(cast.a), {"item": "L1P8.1", "url": "https://x.example"}, format="json"
    )
    assert_error(link, 403, "forbidden")
    assert_error(client.delete(f"/api/v1/evidence/{file.pk}/"), 403, "forbidden")
    assert Evidence.objects.filter(assessment=cast.a).count() == 2


@pytest.mark.parametrize(
    ("content", "name", "item", "field"),
    [
        (b"<html><script>alert(1)</script></html>", "报告.pdf", "L1P8.1", "file"),
        (b"", "空.pdf", "L1P8.1", "file"),
        (PDF, "报告.pdf", "L9P9.9", "item"),
        (PDF, "报告.pdf", "", "item"),
    ],
)
def test_a_bad_upload_is_400_naming_the_field(cast, content, name, item, field):
    answer = upload(cast.client("assessor_a"), cast.a, content=content, name=name, item=item)
    body = assert_error(answer, 400)
    assert [d.get("field") for d in body["details"]] == [field]
    assert not Evidence.objects.exists()


def test_the_same_file_twice_on_an_item_is_refused(cast, stored):
    body = assert_error(upload(cast.client("assessor_a"), cast.a), 400, "invalid_evidence")
    assert body["details"][0]["field"] == "file" and "验收报告.pdf" in body["message"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"item": "L1P8.1", "url": "javascript:alert(1)"}, "url"),
        ({"item": "L1P8.1", "url": "https://e.example/" + "x" * 500}, "url"),
        ({"item": "L1P8.1"}, "url"),
        ({"url": "https://e.example/x"}, "item"),
        ({"item": ["L1P8.1"], "url": "https://e.example/x"}, "item"),
    ],
)
def test_a_bad_link_is_400_naming_the_field(cast, data, field):
    answer = cast.client("assessor_a").post(evidence_url(cast.a), data, format="json")
    body = assert_error(answer, 400)
    assert [d.get("field") for d in body["details"]] == [field]
    assert not Evidence.objects.exists()


def test_a_file_above_the_limit_is_413_before_it_is_stored(cast, settings, uploads):
    settings.UPLOAD_MAX_BYTES = 2048
    answer = upload(cast.client("assessor_a"), cast.a, content=PDF + b"0" * 2048)
    body = assert_error(answer, 413, "file_too_large")
    assert body["details"] == [{"message": body["message"], "field": "file"}]
    assert not Evidence.objects.exists()
    assert not [p for p in uploads.rglob("*") if p.is_file()]


def test_a_form_encoded_body_is_415(cast):
    answer = cast.client("assessor_a").post(
        evidence_url(cast.a),
        "item=L1P8.1&url=https://e.example/x",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(answer, 415, "unsupported_media_type")


def test_evidence_of_a_submitted_assessment_cannot_change(cast, spec):
    submit(cast.a, cast.users["assessor_a"], spec)
    client = cast.client("assessor_a")
    assert_error(upload(client, cast.a, item="L1P1.1"), 409, "invalid_state")
    evidence = Evidence.objects.filter(assessment=cast.a).first()
    assert_error(client.delete(f"/api/v1/evidence/{evidence.pk}/"), 409, "invalid_state")
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_piece_of_evidence_is_read_by_id(cast, stored):
    _file, link = stored
    body = cast.client("official_city").get(f"/api/v1/evidence/{link.pk}/").json()
    assert body["id"] == link.pk and body["item"] == "L1P8.2" and body["kind"] == "link"
    for pk in ("987654", "99999999999999999999999"):
        assert_error(cast.client("administrator").get(f"/api/v1/evidence/{pk}/"), 404)


def test_the_assessor_deletes_evidence_recorded_in_the_history(cast, stored):
    file, _link = stored
    answer = cast.client("assessor_a").delete(f"/api/v1/evidence/{file.pk}/")
    assert answer.status_code == 204 and answer.content == b""
    assert not Evidence.objects.filter(pk=file.pk).exists()
    event = AssessmentEvent.objects.get(assessment=cast.a, kind=EventKind.EVIDENCE_REMOVED)
    assert event.target == "L1P8.1" and event.old == services.evidence_record(file)


def test_the_file_downloads_with_the_pages_headers(cast, stored):
    file, link = stored
    for role in VIEWERS:
        answer = cast.client(role).get(f"/api/v1/evidence/{file.pk}/file/")
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == PDF
        assert answer["Content-Type"] == "application/pdf"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in answer["Cache-Control"]
    binary = cast.client("assessor_a").get(
        f"/api/v1/evidence/{file.pk}/file/", HTTP_ACCEPT="application/octet-stream"
    )
    assert binary.status_code == 200 and b"".join(binary.streaming_content) == PDF
    assert_error(cast.client("assessor_a").get(f"/api/v1/evidence/{link.pk}/file/"), 404)


def test_the_list_shows_the_reviewers_verdict_per_item(cast, spec):
    submit(cast.a, cast.users["assessor_a"], spec)
    code = Evidence.objects.filter(assessment=cast.a).order_by("pk").first().item.code
    services.item_review_set(
        actor=cast.users["administrator"],
        assessment=cast.a,
        item_code=code,
        status="rejected",
        comment="未盖章",
    )
    results = cast.client("assessor_a").get(evidence_url(cast.a), {"page_size": 100}).json()
    verdicts = {e["item"]: e["review"] for e in results["results"]}
    assert verdicts.pop(code) == "rejected"
    assert set(verdicts.values()) == {None}


def test_the_list_costs_the_same_queries_for_5_or_30_rows(
    cast, spec, django_assert_max_num_queries
):
    items = list(spec.items)[:30]
    services.evidence_links_import(
        actor=cast.users["assessor_a"],
        links={
            cast.a.pk: [services.EvidenceLink(code, f"https://e.example/{code}") for code in items]
        },
    )
    client = cast.client("official_city")
    with django_assert_max_num_queries(6) as small:
        assert len(client.get(evidence_url(cast.a), {"page_size": 5}).json()["results"]) == 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(evidence_url(cast.a), {"page_size": 30}).json()
    assert len(body["results"]) == 30 and body["count"] == 30
