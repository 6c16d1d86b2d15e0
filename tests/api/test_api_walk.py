"""Every API URL pattern, read by every kind of user with a real token: the expected status,
an answer in JSON (or the file asked for), never a 500, also with odd query parameters. A new
endpoint joins the walk by existing; one with parameters in its path needs a sample here."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.test_url_walk import ODD, ROLES, people  # noqa: F401  (the walk's cast)

pytestmark = pytest.mark.django_db

#: Who sees the walk's assessment (assessor_a's, in official_city's city).
IN_SCOPE = {"administrator", "assessor_a", "official_province", "official_city"}
READERS = {"administrator", "official_province", "official_city", "official_district"}
FILES = {"api:evidence-file": "application/pdf"}


def api_patterns(resolver: URLResolver | None = None, prefix: str = "", inside: bool = False):
    """(name, route) of every named pattern in the ``api`` namespace."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found.extend(api_patterns(entry, route, inside or entry.namespace == "api"))
        elif isinstance(entry, URLPattern) and entry.name and inside:
            found.append((f"api:{entry.name}", route))
    return found


def samples(people: dict[str, Any]) -> dict[str, dict[str, Any]]:  # noqa: F811
    a = people["a"]
    return {
        "api:framework-detail": {"pk": a.round.framework_id},
        "api:region-detail": {"pk": a.community.region_id},
        "api:community-detail": {"pk": a.community_id},
        "api:community-by-code": {"code": a.community.code},
        "api:round-detail": {"pk": a.round_id},
        **{
            f"api:{name}": {"pk": a.pk}
            for name in (
                "assessment-detail", "assessment-answers", "assessment-preview",
                "assessment-history", "assessment-evidence", "assessment-submit",
                "assessment-return", "assessment-approve", "assessment-reopen",
                "assessment-scorecard", "assessment-scorecard-pdf",
            )
        },
        "api:assessment-item-review": {"pk": a.pk, "code": "L1P8.1"},
        "api:evidence-detail": {"evidence_id": people["evidence"].pk},
        "api:evidence-file": {"evidence_id": people["evidence"].pk},
    }  # fmt: skip


def expected(name: str, role: str) -> set[int]:
    """What a GET answers ``role``; an operation without GET answers 405 to everyone who
    is signed in."""
    if name in ("api:root", "api:schema", "api:docs"):
        return {200}
    if role == "anonymous":
        return {401}
    scoped = 200 if role in IN_SCOPE else 404
    results = 200 if role in READERS else 403
    posts = 405
    table = {
        "api:framework-list": {200},
        "api:framework-detail": {200},
        "api:me": {200},
        "api:region-list": {200},
        "api:region-detail": {200},
        "api:region-tree": {200},
        "api:community-list": {200},
        "api:community-detail": {scoped},
        "api:community-by-code": {scoped},
        "api:round-list": {200},
        "api:round-detail": {200},
        "api:assessment-list": {200},
        "api:assessment-detail": {scoped},
        "api:assessment-answers": {scoped},
        "api:assessment-preview": {scoped},
        "api:assessment-history": {scoped},
        "api:assessment-evidence": {scoped},
        "api:evidence-detail": {scoped},
        "api:evidence-file": {scoped},
        # not scored in the walk's data: nothing to show, for anyone who may look
        "api:assessment-scorecard": {404},
        # printed results are for readers: the assessor of it is refused, others not told
        "api:assessment-scorecard-pdf": {403 if role == "assessor_a" else 404},
        "api:assessment-submit": {posts},
        "api:assessment-return": {posts},
        "api:assessment-approve": {posts},
        "api:assessment-reopen": {posts},
        "api:assessment-item-review": {posts},
        "api:assessments-bulk-approve": {posts},
        "api:answers-import": {posts},
        "api:ranking": {results},
        "api:dashboard-overview": {results},
        "api:summary-pdf": {results},
    }
    return table[name]


@pytest.fixture
def unthrottled(monkeypatch):
    """The walk sends hundreds of requests per role (throttling is tested on its own)."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "token": "100000/minute"}
    )


def test_every_endpoint_answers_each_role_as_it_should(people, api_client_for, unthrottled):  # noqa: F811
    found = api_patterns()
    sample = samples(people)
    missing = [name for name, route in found if "<" in route and name not in sample]
    assert not missing, f"add samples for {missing}"
    clients = {
        role: api_client_for(None if role == "anonymous" else people[role]) for role in ROLES
    }
    unknown, failures = [], []
    for role, client in clients.items():
        for name, _route in found:
            try:
                wanted = expected(name, role)
            except KeyError:
                unknown.append(name)
                continue
            url = reverse(name, kwargs=sample.get(name))
            answer = client.get(url)
            if answer.status_code not in wanted:
                failures.append(f"{role} {url}: {answer.status_code}, expected {wanted}")
            kind = answer.get("Content-Type", "")
            if name not in ("api:docs", "api:schema") and answer.status_code != 200:
                if kind != "application/json":
                    failures.append(f"{role} {url}: {answer.status_code} as {kind}")
                elif set(answer.json()) < {"code", "message", "details"}:
                    failures.append(f"{role} {url}: error without the error shape")
            for param, values in ODD.items():
                for value in values:
                    status = client.get(url, {param: value}).status_code
                    if status >= 500 or status not in wanted | {400, 404}:
                        failures.append(f"{role} {url}?{param}={value[:20]!r}: {status}")
    assert not unknown, f"say what each role gets from {sorted(set(unknown))}"
    assert not failures, "\n".join(failures)
