"""The OpenAPI document describes the assessments, answers and imports endpoints fully:
summaries, tags, request bodies with examples, and the error answers."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/assessments/", "get"): "assessments",
    ("/api/v1/assessments/{id}/", "get"): "assessments",
    ("/api/v1/assessments/{id}/history/", "get"): "assessments",
    ("/api/v1/assessments/{id}/answers/", "get"): "answers",
    ("/api/v1/assessments/{id}/answers/", "patch"): "answers",
    ("/api/v1/assessments/{id}/preview/", "get"): "answers",
    ("/api/v1/assessments/{id}/preview/", "post"): "answers",
    ("/api/v1/imports/answers/", "post"): "imports",
}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/schema/").content)


def test_every_operation_has_a_summary_a_tag_and_its_answers(schema):
    for (path, method), tag in OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["summary"], (path, method)
        assert operation["tags"] == [tag], (path, method)
        assert {"200", "400", "401", "403", "404", "429"} <= set(operation["responses"])


def test_the_writes_show_an_example_body_with_four_item_types(schema):
    for path, method in (
        ("/api/v1/assessments/{id}/answers/", "patch"),
        ("/api/v1/assessments/{id}/preview/", "post"),
        ("/api/v1/imports/answers/", "post"),
    ):
        body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
        (example,) = body["examples"].values()
        text = str(example["value"])
        for code in ("L1P8.1", "L1P1.2", "L1P2.2", "L4P1.1"):
            assert code in text, (path, code)
        assert "409" in schema["paths"][path][method]["responses"] or method == "post"


def test_the_list_documents_its_filters_and_pagination(schema):
    operation = schema["paths"]["/api/v1/assessments/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"round", "status", "city", "district", "assessor", "community", "q", "page",
            "page_size"} <= names  # fmt: skip
    status = next(p for p in operation["parameters"] if p["name"] == "status")
    assert set(status["schema"]["enum"]) == {"draft", "submitted", "returned", "approved"}
    assert next(p for p in operation["parameters"] if p["name"] == "round")["schema"]["type"] == (
        "integer"
    )


def test_a_stale_version_is_documented_with_the_current_values(schema):
    response = schema["paths"]["/api/v1/assessments/{id}/answers/"]["patch"]["responses"]["409"]
    ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"code", "message", "details", "current", "changes"} <= set(
        schema["components"]["schemas"][ref]["properties"]
    )
