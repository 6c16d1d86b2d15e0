"""A small province of results for the dashboard tests (the ``results`` fixture of
tests/conftest.py).

Two cities: 济南市 with two districts (历下区 with two streets, 市中区) and 青岛市 (市南区);
eight communities of both area types and all sizes; two rounds (2025, all approved, and
2026, in every status), every assessment scored, ranks and area statistics stored. People:
an administrator, officials of the province, of 济南市 and of 历下区, and an assessor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Results:
    previous: Any
    current: Any
    regions: dict[str, Any]
    communities: dict[str, Any]  # by name
    assessments: dict[tuple[str, str], Any]  # (round "2025"/"2026", community name)
    users: dict[str, Any]
    answers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def assessment(self, year: str, name: str) -> Any:
        return self.assessments[(year, name)]

    def in_region(self, key: str) -> set[str]:
        """Names of the communities in a region ("jinan", "lixia", ...)."""
        region = self.regions[key]
        return {
            name for name, c in self.communities.items() if c.region.path.startswith(region.path)
        }


# name, street key, households, area type, quality 2025, quality 2026, status 2026
COMMUNITIES = (
    ("甲社区", "jiefang", 800, "urban", 0.55, 0.92, "approved"),
    ("乙社区", "jiefang", 1800, "urban", 0.50, 0.74, "submitted"),
    ("丙社区", "qianfo", 3500, "urban", 0.60, 0.58, "approved"),
    ("丁社区", "qianfo", 900, "rural", 0.30, 0.41, "draft"),
    ("戊社区", "shizhong", 2500, "urban", 0.70, 0.86, "returned"),
    ("己社区", "shizhong", 600, "rural", 0.20, 0.33, "draft"),
    ("庚社区", "shinan", 4200, "urban", 0.65, 0.80, "approved"),
    ("辛社区", "shinan", 1200, "rural", 0.40, 0.52, "submitted"),
)


def _regions() -> dict[str, Any]:
    from assessments import services
    from assessments.choices import RegionLevel
    from tests.factories import region_chain

    jiefang = region_chain("济南市", "历下区", "解放路街道")
    lixia = jiefang.parent
    jinan = lixia.parent

    def child(code: str, name: str, level: str, parent: Any) -> Any:
        return services.region_create(code=code, name_zh=name, level=level, parent=parent)

    qianfo = child(f"{lixia.code}2", "千佛山街道", RegionLevel.STREET, lixia)
    shizhong = child(f"{jinan.code}2", "市中区", RegionLevel.DISTRICT, jinan)
    shizhong_street = child(f"{jinan.code}21", "大观园街道", RegionLevel.STREET, shizhong)
    shinan_street = region_chain("青岛市", "市南区", "八大关街道")
    return {
        "province": jinan.parent,
        "jinan": jinan,
        "lixia": lixia,
        "shizhong_district": shizhong,
        "qingdao": shinan_street.parent.parent,
        "shinan_district": shinan_street.parent,
        "jiefang": jiefang,
        "qianfo": qianfo,
        "shizhong": shizhong_street,
        "shinan": shinan_street,
    }


def build_results(framework: Any, spec: Any) -> Results:
    import datetime as dt

    from accounts.models import Role
    from assessments import services
    from demo.answers import make_answers
    from scoring.services import ranks_refresh, scorecards_compute
    from tests.factories import UserFactory

    regions = _regions()
    admin = UserFactory(username="wang", role=Role.ADMINISTRATOR, last_name="王", first_name="审")
    assessor = UserFactory(username="li", role=Role.ASSESSOR, last_name="李", first_name="填")
    users = {
        "admin": admin,
        "assessor": assessor,
        "official": UserFactory(username="chen", role=Role.OFFICIAL),
        "official_jinan": UserFactory(username="zhao", role=Role.OFFICIAL, region=regions["jinan"]),
        "official_lixia": UserFactory(username="sun", role=Role.OFFICIAL, region=regions["lixia"]),
    }

    def make_round(name: str, year: int) -> Any:
        return services.round_create(
            name=name,
            framework=framework,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            submission_deadline=dt.date(year, 12, 15),
            review_deadline=dt.date(year, 12, 31),
            evidence_required=False,
        )

    previous = make_round("2025年度评估", 2025)
    current = make_round("2026年度评估", 2026)
    communities: dict[str, Any] = {}
    assessments: dict[tuple[str, str], Any] = {}
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    for n, (name, street, households, area, q25, q26, status) in enumerate(COMMUNITIES):
        community = services.community_create(
            data=services.CommunityData(
                code=f"R{n:04d}",
                name=name,
                region=regions[street],
                households=households,
                residents=households * 3,
                area_type=area,
            )
        )
        communities[name] = community
        for year, round_, quality, target in (
            ("2025", previous, q25, "approved"),
            ("2026", current, q26, status),
        ):
            assessment = services.assessment_create(
                round=round_, community=community, assessors=(assessor,)
            )
            values = make_answers(spec, quality, random.Random(f"{name}-{year}"))
            services.answers_save(actor=assessor, assessment=assessment, values=values)
            if target != "draft":
                services.assessment_submit(actor=assessor, assessment=assessment)
            if target == "approved":
                services.assessment_approve(actor=admin, assessment=assessment)
            if target == "returned":
                services.assessment_return(
                    actor=admin, assessment=assessment, reasons={"L1P8": "请补充材料"}
                )
            assessment.refresh_from_db()
            assessments[(year, name)] = assessment
            answers[(year, name)] = values
    scorecards_compute(assessment_ids=[a.pk for a in assessments.values()])
    ranks_refresh()
    return Results(
        previous=previous,
        current=current,
        regions=regions,
        communities=communities,
        assessments=assessments,
        users=users,
        answers=answers,
    )


def reread(built: Results) -> Results:
    """The same data set with every object read again from the database."""
    import copy

    from accounts.models import User
    from assessments.models import Assessment, Community, Region, Round

    rounds = Round.objects.in_bulk([built.previous.pk, built.current.pk])
    regions = Region.objects.in_bulk([r.pk for r in built.regions.values()])
    communities = Community.objects.select_related("region").in_bulk(
        [c.pk for c in built.communities.values()]
    )
    assessments = Assessment.objects.in_bulk([a.pk for a in built.assessments.values()])
    users = User.objects.in_bulk([u.pk for u in built.users.values()])
    return Results(
        previous=rounds[built.previous.pk],
        current=rounds[built.current.pk],
        regions={key: regions[r.pk] for key, r in built.regions.items()},
        communities={name: communities[c.pk] for name, c in built.communities.items()},
        assessments={key: assessments[a.pk] for key, a in built.assessments.items()},
        users={key: users[u.pk] for key, u in built.users.items()},
        answers=copy.deepcopy(built.answers),
    )
