"""GET /api/v1/frameworks/: the framework as loaded, for every signed-in user."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.ASSESSOR, Role.OFFICIAL])
def test_every_role_reads_the_framework_tree(api_client_for, framework, role):
    client = api_client_for(UserFactory(role=role))
    listed = client.get("/api/v1/frameworks/")
    assert listed.status_code == 200
    assert [f["code"] for f in listed.json()] == [framework.code]
    detail = client.get(f"/api/v1/frameworks/{framework.pk}/").json()
    primaries = detail["primaries"]
    assert [p["code"] for p in primaries] == ["L1", "L2", "L3", "L4"]
    assert sum(len(p["indicators"]) for p in primaries) == 24
    items = [i for p in primaries for ind in p["indicators"] for i in ind["items"]]
    assert len(items) == 46
    ratio = next(i for i in items if i["code"] == "L1P8.1")
    assert ratio["type"] == "ratio"


def test_the_tree_costs_the_same_queries_however_many_items(
    api_client_for, framework, django_assert_max_num_queries
):
    client = api_client_for(UserFactory(role=Role.ASSESSOR))
    # token look-up and its last-use note, then the framework and four prefetches
    with django_assert_max_num_queries(8):
        assert client.get(f"/api/v1/frameworks/{framework.pk}/").status_code == 200


def test_anonymous_is_asked_for_a_token_in_the_error_shape(client, framework):
    answer = client.get("/api/v1/frameworks/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    body = answer.json()
    assert body["code"] == "not_authenticated"
    assert body["message"] and body["details"] == []


def test_an_unknown_api_path_answers_json_not_html(client):
    answer = client.get("/api/v1/no-such-thing/")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["code"] == "not_found"
