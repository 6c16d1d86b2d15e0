"""factory_boy factories. Regions and workflow objects are made through the services, so
derived fields (region paths, versions) are right in tests too."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import factory

from accounts.models import Role, User
from assessments import services
from assessments.choices import RegionLevel
from assessments.models import Assessment, Community, Region, Round
from demo.answers import make_answers
from indicators.models import Framework
from scoring.engine import score

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
    n = next(_codes)
    return services.community_create(
        data=services.CommunityData(
            code=f"T{n:06d}",
            name=name or f"社区{n}",
            region=street,
            households=100,
            residents=250,
        )
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


def full_answers(spec: Any, quality: float = 0.9, seed: int = 1) -> dict[str, Any]:
    """A valid answer for every item of the framework (plausible for ``quality``)."""
    return make_answers(spec, quality, random.Random(seed))


def add_evidence_for_scored_items(assessment: Assessment, actor: User, spec: Any) -> None:
    """A link for every item that scores above zero, so the assessment can be submitted."""
    answers = services.current_engine_answers(assessment)
    services.evidence_links_import(
        actor=actor,
        links={
            assessment.pk: [
                services.EvidenceLink(item.code, f"https://e.example/{item.code}")
                for ind in score(spec, answers).indicators
                for item in ind.items
                if item.s
            ]
        },
    )
