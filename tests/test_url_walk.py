"""Every URL pattern, opened by every kind of user: the expected answer, never a 500, also
with odd query parameters. A new page joins the walk by existing; one with parameters in
its path needs a sample in SAMPLES (the test says which)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from indicators.models import Framework
from tests.factories import UserFactory, make_assessment, make_community, make_round, region_chain

pytestmark = pytest.mark.django_db

ODD = {
    "round": ["²", "99999999999999999999999", "-1", "1" * 5000],
    "status": ["\x00", "bogus" * 1000],
    "q": ["\x00", "x" * 5000, "%", "'; DROP TABLE x; --", "12345678901234567890123"],
    "page": ["²", "99999999999999999999", "0", "last"],
    "next": ["//evil.example/", "https://evil.example/"],
}
ROLES = (
    "anonymous",
    "administrator",
    "assessor_a",
    "assessor_b",
    "official_province",
    "official_city",
    "official_district",
)


@pytest.fixture
def people(framework):
    street_a = region_chain("济南市", "历下区", "解放路街道")
    street_b = region_chain("青岛市", "市南区", "八大关街道")
    round_ = make_round(framework)
    users = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True),
        "assessor_a": UserFactory(role=Role.ASSESSOR),
        "assessor_b": UserFactory(role=Role.ASSESSOR),
        "official_province": UserFactory(role=Role.OFFICIAL),
        "official_city": UserFactory(role=Role.OFFICIAL, region=street_a.city),
        "official_district": UserFactory(role=Role.OFFICIAL, region=street_b.district),
    }
    make_assessment(
        framework,
        round=round_,
        community=make_community(street_a, "甲社区"),
        assessors=(users["assessor_a"],),
    )
    make_assessment(
        framework,
        round=round_,
        community=make_community(street_b, "乙社区"),
        assessors=(users["assessor_b"],),
    )
    return users


def samples() -> dict[str, dict[str, Any]]:
    """Arguments for the patterns with parameters in their path, by URL name."""
    return {"framework-detail": {"pk": Framework.objects.order_by("pk").first().pk}}


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, str]]:
    """(name, route) of every named pattern outside the admin (walked in its own test)."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                found.extend(patterns(entry, route))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((entry.name, route))
    return found


def expected(name: str, role: str) -> set[int]:
    signed_in = role != "anonymous"
    return {
        "home": {200} if signed_in else {302},
        "framework-list": {200} if signed_in else {302},
        "framework-detail": {200} if signed_in else {302},
        "login": {302} if signed_in else {200},
        "logout": {200} if signed_in else {302},
        "set_language": {302},
        "healthz": {200},
    }[name]


def test_every_page_answers_each_role_as_it_should(client, people):
    found = patterns()
    missing = [name for name, route in found if "<" in route and name not in samples()]
    assert not missing, f"add samples for {missing}"
    unknown = []
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        for name, _route in found:
            try:
                wanted = expected(name, role)
            except KeyError:
                unknown.append(name)
                continue
            url = reverse(name, kwargs=samples().get(name))
            status = client.get(url).status_code
            if status not in wanted:
                failures.append(f"{role} {url}: {status}, expected {wanted}")
            for param, values in ODD.items():
                for value in values:
                    status = client.get(url, {param: value}).status_code
                    if status >= 500 or status not in wanted | {400, 404}:
                        failures.append(f"{role} {url}?{param}={value[:20]!r}: {status}")
    assert not unknown, f"say what each role gets from {sorted(set(unknown))}"
    assert not failures, "\n".join(failures)


def test_a_framework_that_does_not_exist_is_a_404(client, people):
    client.force_login(people["assessor_a"])
    assert client.get("/frameworks/99999999999999999999/").status_code == 404
    assert client.get("/frameworks/0/").status_code == 404


def test_the_admin_is_for_administrators_only(client, people):
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        status = client.get(reverse("admin:index")).status_code
        assert status == (200 if role == "administrator" else 302), role
