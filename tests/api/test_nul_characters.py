"""NUL characters wherever a client can put text: PostgreSQL refuses them in any query or
stored text, so each must be refused as bad input (400/404), never reach the database."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_url_walk import people  # noqa: F401  (the walk's cast)

pytestmark = pytest.mark.django_db

NUL = "\x00"


def test_nul_characters_in_paths_and_bodies_are_refused_as_bad_input(
    people,  # noqa: F811
    api_client_for,
):
    client = api_client_for(people["administrator"])
    a = people["a"].pk
    gets = [
        f"/api/v1/communities/by-code/{NUL}x/",
        f"/api/v1/communities/by-code/x{NUL}/",
    ]
    for url in gets:
        assert client.get(url).status_code in (400, 404), url
    writes = [
        ("put", f"/api/v1/assessments/{a}/item-reviews/L1P8.1{NUL}/", {"status": "accepted"}),
        ("post", f"/api/v1/assessments/{a}/return/", {"reasons": {f"L1P8{NUL}": "原因"}}),
        ("post", f"/api/v1/assessments/{a}/return/", {"reasons": {"L1P8": f"原因{NUL}"}}),
        ("post", f"/api/v1/assessments/{a}/reopen/", {"comment": f"{NUL}"}),
        ("post", f"/api/v1/assessments/{a}/evidence/", {"item": "L1P8.1", "url": f"https://a.cn/{NUL}"}),
        ("post", f"/api/v1/assessments/{a}/preview/", {"answers": {f"L1{NUL}": None}}),
        ("post", "/api/v1/imports/answers/", {"round": people["a"].round_id, "assessments": [
            {"community": f"X{NUL}", "answers": {}}]}),
        ("post", "/api/v1/assessments/bulk-approve/", {"ids": [a], "comment": NUL}),
    ]  # fmt: skip
    for method, url, body in writes:
        answer = getattr(client, method)(url, body, format="json")
        assert answer.status_code in (400, 403, 404, 409), (url, body, answer.status_code)
    upload = SimpleUploadedFile(f"证明{NUL}.pdf", b"%PDF-1.4 proof")
    answer = client.post(
        f"/api/v1/assessments/{a}/evidence/",
        {"item": "L1P8.1", "file": upload, "description": "台账"},
        format="multipart",
    )
    assert answer.status_code in (201, 400), answer.status_code
    if answer.status_code == 201:
        assert NUL not in answer.json()["original_name"]
