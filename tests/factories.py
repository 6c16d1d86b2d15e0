"""factory_boy factories. Regions and workflow objects are made through the services, so
derived fields (region paths, versions) are right in tests too."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory

from accounts.models import Role, User
from assessments import services
from assessments.choices import RegionLevel
from assessments.models import Assessment, Community, Region, Round
from indicators.models import Framework

_codes = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ASSESSOR
    password = factory.django.Password("pw-for-tests-only")


def region_chain(
    city_name: str = "济南市", district_name: str = "历下区", street_name: str = "解放路街道"
) -> Region:
    """A fresh province > city > district > street chain; returns the street."""
    n = next(_codes)
    province = Region.objects.filter(level=RegionLevel.PROVINCE).first() or services.region_create(
        code="370000",
        name_zh="山东省",
        name_en="Shandong",
        level=RegionLevel.PROVINCE,
        parent=None,
    )
    city = services.region_create(
        code=f"37{n:04d}", name_zh=city_name, level=RegionLevel.CITY, parent=province
    )
    district = services.region_create(
        code=f"37{n:04d}1", name_zh=district_name, level=RegionLevel.DISTRICT, parent=city
    )
    return services.region_create(
        code=f"37{n:04d}11", name_zh=street_name, level=RegionLevel.STREET, parent=district
    )


def make_community(street: Region | None = None, name: str | None = None) -> Community:
    street = street or region_chain()
    return services.community_create(
        name=name or f"社区{next(_codes)}", region=street, households=100, residents=250
    )


def make_round(framework: Framework, name: str | None = None, **kwargs: Any) -> Round:
    return services.round_create(
        name=name or f"Round {next(_codes)}",
        framework=framework,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        submission_deadline=dt.date(2026, 12, 15),
        review_deadline=dt.date(2026, 12, 31),
        **kwargs,
    )


def make_assessment(
    framework: Framework,
    *,
    assessors: tuple[User, ...] = (),
    community: Community | None = None,
    round: Round | None = None,
) -> Assessment:
    return services.assessment_create(
        round=round or make_round(framework),
        community=community or make_community(),
        assessors=assessors,
    )
