"""Regions: paths and city/district links are derived, and follow every move."""

from __future__ import annotations

import pytest

from assessments import services
from assessments.choices import RegionLevel
from assessments.errors import ValidationFailed
from assessments.models import Community, Region
from scoring.models import ScoreCard
from scoring.services import ranks_refresh
from tests.factories import full_answers, make_assessment, make_community, region_chain

pytestmark = pytest.mark.django_db


def test_region_create_derives_path_city_and_district():
    street = region_chain()
    district = street.parent
    city = district.parent
    assert street.path == f"370000/{city.code}/{district.code}/{street.code}/"
    assert (street.city, street.district) == (city, district)
    assert (district.city, district.district) == (city, district)
    assert city.city == city and city.district is None


def test_region_must_sit_one_level_below_its_parent():
    province = region_chain().city.parent
    with pytest.raises(ValidationFailed) as caught:
        services.region_create(code="9", name_zh="x", level=RegionLevel.STREET, parent=province)
    assert [p.field for p in caught.value.problems] == ["parent"]


def test_a_duplicate_code_or_bad_level_is_a_clear_error_not_a_second_region():
    street = region_chain()
    with pytest.raises(ValidationFailed) as duplicate:
        services.region_create(
            code=street.code, name_zh="重复", level=RegionLevel.STREET, parent=street.parent
        )
    assert [p.field for p in duplicate.value.problems] == ["code"]
    with pytest.raises(ValidationFailed):
        services.region_create(code="7", name_zh="x", level="planet", parent=street)
    assert Region.objects.filter(code=street.code).count() == 1


def test_a_new_code_repaths_the_whole_subtree():
    street = region_chain()
    district, city = street.parent, street.parent.parent
    services.region_update(region=city, code="379900", name_zh=city.name_zh, parent=city.parent)
    assert Region.objects.filter(code=city.code).count() == 0
    district.refresh_from_db()
    street.refresh_from_db()
    assert district.path == f"370000/379900/{district.code}/"
    assert street.path == f"370000/379900/{district.code}/{street.code}/"
    assert Region.objects.count() == 4, "no second region was made"


def test_moving_a_district_moves_its_streets_communities_and_scorecards(
    framework, spec, admin, django_capture_on_commit_callbacks
):
    street = region_chain("济南市", "历下区", "解放路街道")
    other_city = region_chain("青岛市", "市南区", "八大关街道").city
    community = make_community(street)
    assessment = make_assessment(framework, community=community, assessors=())
    with django_capture_on_commit_callbacks(execute=True):
        services.answers_save(actor=admin, assessment=assessment, values=full_answers(spec))
    ranks_refresh()
    card = ScoreCard.objects.get(assessment=assessment)
    assert (card.city_id, card.rank_in_city) == (street.city_id, 1)

    district = street.parent
    services.region_update(
        region=district, code=district.code, name_zh=district.name_zh, parent=other_city
    )
    assert ranks_refresh() == [assessment.round_id], "the move made the city ranks stale"
    street.refresh_from_db()
    community.refresh_from_db()
    card.refresh_from_db()
    assert street.path == f"{other_city.path}{district.code}/{street.code}/"
    assert street.city_id == other_city.pk
    assert (community.city_id, community.district_id) == (other_city.pk, district.pk)
    assert (card.city_id, card.district_id) == (other_city.pk, district.pk)
    assert card.rank_in_city == 1


def test_a_region_with_communities_cannot_be_deleted():
    street = region_chain()
    make_community(street)
    with pytest.raises(ValidationFailed):
        services.region_delete(region=street)
    with pytest.raises(ValidationFailed):
        services.region_delete(region=street.parent)
    Community.objects.all().delete()
    services.region_delete(region=street)
    assert not Region.objects.filter(pk=street.pk).exists()
