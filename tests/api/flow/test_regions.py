"""GET /api/v1/regions/, /regions/<id>/ and /regions/tree/: public reference data for
every signed-in user, filtered, nested in a fixed number of queries."""

from __future__ import annotations

import pytest

from assessments import services
from assessments.choices import RegionLevel
from assessments.models import Region
from tests.factories import region_chain

from .conftest import ROLES
from .helpers import assert_error

pytestmark = pytest.mark.django_db

LIST = "/api/v1/regions/"
TREE = "/api/v1/regions/tree/"


def region(name: str) -> Region:
    return Region.objects.get(name_zh=name)


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_all_regions(cast, role):
    answer = cast.client(role).get(LIST, {"page_size": 100})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == Region.objects.count() == 7
    names = [r["name_zh"] for r in body["results"]]
    assert names[0] == "山东省" and {"解放路街道", "八大关街道"} <= set(names)


def test_a_region_lists_its_links_and_path(cast):
    street = region("解放路街道")
    body = cast.client("assessor_b").get(LIST, {"q": "解放路"}).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": street.pk,
        "code": street.code,
        "name_zh": "解放路街道",
        "name_en": "",
        "level": "street",
        "parent": street.parent_id,
        "path": street.path,
        "city": region("济南市").pk,
        "district": region("历下区").pk,
    }


def test_anonymous_is_asked_to_authenticate(cast):
    assert_error(cast.client("anonymous").get(LIST), 401, "not_authenticated")
    assert_error(cast.client("anonymous").get(TREE), 401)


def test_filters_by_level_parent_city_and_text(cast):
    client = cast.client("official_district")
    jinan = region("济南市")

    def names(**params):
        return sorted(r["name_zh"] for r in client.get(LIST, params).json()["results"])

    assert names(level="city") == ["济南市", "青岛市"]
    assert names(parent=jinan.pk) == ["历下区"]
    assert names(city=jinan.pk) == ["历下区", "济南市", "解放路街道"]
    assert names(city=jinan.pk, level="street") == ["解放路街道"]
    assert names(q="shandong") == ["山东省"]  # the English name, ignoring case
    assert names(q=region("市南区").code) == ["八大关街道", "市南区"]  # a part of the code
    assert names(parent=987654) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "county"}, "level"),
        ({"parent": "abc"}, "parent"),
        ({"city": "1.5"}, "city"),
        ({"parent": "-3"}, "parent"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_a_bad_filter_is_400_naming_it(cast, params, field):
    body = assert_error(cast.client("assessor_a").get(LIST, params), 400, "invalid")
    assert [d["field"] for d in body["details"]] == [field]


def test_odd_text_never_fails(cast):
    for q in ("\x00", "%", "'; DROP TABLE x; --"):
        assert cast.client("assessor_a").get(LIST, {"q": q}).status_code == 200


def test_the_list_costs_the_same_queries_for_5_or_30_rows(cast, django_assert_max_num_queries):
    district = region("历下区")
    for n in range(30):
        services.region_create(
            code=f"{district.code}{n:02d}",
            name_zh=f"街道{n}",
            level=RegionLevel.STREET,
            parent=district,
        )
    client = cast.client("assessor_a")
    with django_assert_max_num_queries(4) as small:
        assert len(client.get(LIST, {"page_size": 5}).json()["results"]) == 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(LIST, {"page_size": 30}).json()["results"]) == 30


def test_a_region_comes_with_its_ancestors_and_children(cast):
    lixia = region("历下区")
    body = cast.client("official_city").get(f"{LIST}{lixia.pk}/").json()
    assert body["name_zh"] == "历下区" and body["level"] == "district"
    assert [a["name_zh"] for a in body["ancestors"]] == ["山东省", "济南市"]
    assert [c["name_zh"] for c in body["children"]] == ["解放路街道"]
    assert set(body["children"][0]) == {"id", "code", "name_zh", "name_en", "level"}
    province = cast.client("assessor_a").get(f"{LIST}{region('山东省').pk}/").json()
    assert province["ancestors"] == []
    assert [c["name_zh"] for c in province["children"]] == ["济南市", "青岛市"]


@pytest.mark.parametrize("pk", ["987654", "99999999999999999999999"])
def test_an_unknown_region_is_404(cast, pk):
    assert_error(cast.client("administrator").get(f"{LIST}{pk}/"), 404, "not_found")


def _shape(nodes):
    return [(n["name_zh"], _shape(n["children"])) for n in nodes]


def test_the_tree_reaches_districts_by_default(cast):
    answer = cast.client("assessor_a").get(TREE)
    assert answer.status_code == 200
    assert _shape(answer.json()) == [
        ("山东省", [("济南市", [("历下区", [])]), ("青岛市", [("市南区", [])])])
    ]
    node = answer.json()[0]
    assert set(node) == {"id", "code", "name_zh", "name_en", "level", "children"}
    assert node["level"] == "province" and node["name_en"] == "Shandong"


def test_the_tree_from_a_root_to_a_depth(cast):
    client = cast.client("official_province")
    assert _shape(client.get(TREE, {"depth": 4}).json())[0][1][0] == (
        "济南市",
        [("历下区", [("解放路街道", [])])],
    )
    assert _shape(client.get(TREE, {"depth": 1}).json()) == [("山东省", [])]
    jinan = region("济南市")
    assert _shape(client.get(TREE, {"root": jinan.pk}).json()) == [("济南市", [("历下区", [])])]
    assert _shape(client.get(TREE, {"root": jinan.pk, "depth": 1}).json()) == [("济南市", [])]
    street = region("八大关街道")
    assert _shape(client.get(TREE, {"root": street.pk}).json()) == [("八大关街道", [])]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"depth": "5"}, "depth"),
        ({"depth": "0"}, "depth"),
        ({"root": "abc"}, "root"),
        ({"root": "987654"}, "root"),
        ({"root": "²"}, "root"),
    ],
)
def test_a_bad_tree_parameter_is_400_naming_it(cast, params, field):
    body = assert_error(cast.client("assessor_a").get(TREE, params), 400, "invalid")
    assert [d["field"] for d in body["details"]] == [field]


def test_the_tree_costs_the_same_queries_however_large(cast, django_assert_max_num_queries):
    client = cast.client("assessor_a")
    with django_assert_max_num_queries(3) as small:
        client.get(TREE, {"depth": 4})
    for n in range(10):
        region_chain(f"城市{n}", f"区{n}", f"街道{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        nodes = client.get(TREE, {"depth": 4}).json()
    assert len(nodes[0]["children"]) == 12
