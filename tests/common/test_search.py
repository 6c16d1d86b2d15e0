"""Search conditions: Chinese text matches without case folding, Latin text ignoring case,
both finding the same rows as a case-insensitive match would."""

from __future__ import annotations

import pytest

from assessments.models import Community
from common.search import contains, starts_with
from tests.factories import make_community, region_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def communities():
    street = region_chain()
    for name in ("阳光社区", "阳光花园", "和平社区", "Sunny Garden 社区", "SUNRISE 社区"):
        make_community(street, name)


def names(condition) -> set[str]:
    return set(Community.objects.filter(condition).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("阳光", {"阳光社区", "阳光花园"}),
        ("社区", {"阳光社区", "和平社区", "Sunny Garden 社区", "SUNRISE 社区"}),
        ("sun", {"Sunny Garden 社区", "SUNRISE 社区"}),
        ("GARDEN", {"Sunny Garden 社区"}),
        ("月亮", set()),
    ],
)
def test_contains_finds_what_a_case_insensitive_match_finds(communities, text, expected):
    assert names(contains("name", text)) == expected
    assert names(contains("name", text)) == names(contains("name", text.swapcase()))


def test_starts_with_ignores_case_only_where_there_is_case(communities):
    assert names(starts_with("name", "阳光")) == {"阳光社区", "阳光花园"}
    assert names(starts_with("name", "sunr")) == {"SUNRISE 社区"}
    assert names(starts_with("name", "光")) == set()


def test_chinese_text_is_matched_without_case_folding():
    assert contains("name", "阳光").children == [("name__contains", "阳光")]
    assert contains("name", "阳光1号").children == [("name__contains", "阳光1号")]
    assert contains("name", "Sun 阳光").children == [("name__icontains", "Sun 阳光")]
    assert starts_with("code", "3701").children == [("code__startswith", "3701")]
