"""Demo data: Shandong's regions, a round, communities across the quality range, accounts.

Everything is written through the services, so demo data obeys the same rules as real data.
Running it again changes nothing that exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from accounts.models import Role, User
from assessments import services
from assessments.choices import AreaType, AssessmentStatus, RegionLevel
from assessments.demo.answers import make_answers
from assessments.models import Assessment, Region, Round
from indicators.framework_file import bundled_framework_files
from indicators.models import Framework
from indicators.services import framework_load_file
from indicators.specs import framework_spec
from scoring.engine import score

REGIONS_FILE = Path(__file__).resolve().parent / "shandong_regions.yaml"
DEMO_FRAMEWORK = "DB37/T 3890.3-2020"
ROUND_NAME = "2026年度智慧社区评估"
NAME_STEMS = (
    "阳光",
    "和平",
    "幸福",
    "文化",
    "新华",
    "建设",
    "东关",
    "西关",
    "南苑",
    "北苑",
    "锦绣",
    "翠园",
    "滨河",
    "朝阳",
    "康乐",
    "书香",
    "青年",
    "民生",
    "泉城",
    "丰收",
    "花园",
    "育才",
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    last_name: str
    first_name: str
    region_code: str | None = None
    superuser: bool = False


ACCOUNTS = (
    DemoAccount("admin", "demo-admin-2026", Role.ADMINISTRATOR, "王", "管理", superuser=True),
    DemoAccount("assessor1", "demo-assessor-2026", Role.ASSESSOR, "李", "评估一"),
    DemoAccount("assessor2", "demo-assessor-2026", Role.ASSESSOR, "张", "评估二"),
    DemoAccount("assessor3", "demo-assessor-2026", Role.ASSESSOR, "刘", "评估三"),
    DemoAccount("official", "demo-official-2026", Role.OFFICIAL, "陈", "省局"),
    DemoAccount("official_jinan", "demo-official-2026", Role.OFFICIAL, "赵", "济南", "370100"),
)


def load_regions() -> int:
    """Create the province, its cities, districts and streets; returns the street count."""
    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    p = data["province"]
    province = services.region_create(
        code=p["code"],
        name_zh=p["name_zh"],
        name_en=p["name_en"],
        level=RegionLevel.PROVINCE,
        parent=None,
    )
    streets = 0
    for c in data["cities"]:
        city = services.region_create(
            code=c["code"],
            name_zh=c["name_zh"],
            name_en=c["name_en"],
            level=RegionLevel.CITY,
            parent=province,
        )
        for d in c["districts"]:
            district = services.region_create(
                code=d["code"],
                name_zh=d["name_zh"],
                name_en=d["name_en"],
                level=RegionLevel.DISTRICT,
                parent=city,
            )
            for s in d["streets"]:
                services.region_create(
                    code=s["code"],
                    name_zh=s["name_zh"],
                    name_en=s["name_en"],
                    level=RegionLevel.STREET,
                    parent=district,
                )
                streets += 1
    return streets


def ensure_accounts() -> dict[str, User]:
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username)
            user.set_password(account.password)
        user.role = account.role
        user.last_name, user.first_name = account.last_name, account.first_name
        user.is_staff = user.is_superuser = account.superuser
        user.region = Region.objects.get(code=account.region_code) if account.region_code else None
        user.save()
        users[account.username] = user
    return users


def ensure_round(framework: Framework) -> Round:
    return services.round_create(
        name=ROUND_NAME,
        framework=framework,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        submission_deadline=dt.date(2026, 12, 15),
        review_deadline=dt.date(2026, 12, 31),
    )


def _community_name(street: Region, lap: int) -> str:
    """A stable name: the street's n-th community gets the same name on every run."""
    base = street.name_zh.removesuffix("街道").removesuffix("镇")
    stems = random.Random(street.code).sample(NAME_STEMS, len(NAME_STEMS))
    return f"{base}{stems[lap]}社区" if lap < len(stems) else f"{base}第{lap + 1}社区"


def _plan_status(index: int) -> tuple[float, str]:
    """Completeness and target status by position, so every mix is present at any N."""
    slot = index % 10
    if slot in (0, 1):
        return 0.5, AssessmentStatus.DRAFT  # partial
    if slot in (2, 3):
        return 1.0, AssessmentStatus.DRAFT
    if slot in (4, 5):
        return 1.0, AssessmentStatus.SUBMITTED
    if slot == 6:
        return 1.0, AssessmentStatus.RETURNED
    return 1.0, AssessmentStatus.APPROVED


def seed(
    *, communities: int, random_seed: int = 2026, log: Callable[[str], Any] = print
) -> dict[str, User]:
    """Create (or complete) the demo data set; returns the demo users by username."""
    rng = random.Random(random_seed)
    for path in bundled_framework_files():
        framework_load_file(path=path)
    framework = Framework.objects.filter(code=DEMO_FRAMEWORK).order_by("-loaded_at").first()
    if framework is None:
        raise RuntimeError(f"the bundled framework {DEMO_FRAMEWORK} is missing")
    with transaction.atomic():
        streets_count = load_regions()
        users = ensure_accounts()
    round_ = ensure_round(framework)
    spec = framework_spec(framework)
    streets = list(Region.objects.filter(level=RegionLevel.STREET).order_by("path"))
    assessors = [users["assessor1"], users["assessor2"], users["assessor3"]]
    admin = users["admin"]
    # Spread communities over cities first, so every city has some.
    by_city: dict[int | None, list[Region]] = {}
    for street in streets:
        by_city.setdefault(street.city_id, []).append(street)
    city_lists = [rng.sample(lst, len(lst)) for lst in by_city.values()]
    order = [lst[i] for i in range(max(map(len, city_lists))) for lst in city_lists if i < len(lst)]
    created = 0
    for index in range(communities):
        street = order[index % len(order)]
        local = random.Random(f"{random_seed}-{index}")
        households = local.randint(300, 4000)
        community = services.community_create(
            name=_community_name(street, index // len(order)),
            region=street,
            households=households,
            residents=int(households * local.uniform(2.3, 3.1)),
            address=f"{street.name_zh}{local.randint(1, 300)}号",
            area_type=AreaType.RURAL if street.name_zh.endswith("镇") else AreaType.URBAN,
            contact_name=f"{local.choice('王李张刘陈杨赵黄周吴')}主任",
            contact_phone=f"0531-{local.randint(80000000, 89999999)}",
        )
        assessment = services.assessment_create(
            round=round_, community=community, assessors=[assessors[index % len(assessors)]]
        )
        if assessment.answers.exists():
            continue  # seeded by an earlier run
        quality = (index * 0.618034) % 1.0  # spread evenly over the whole range
        completeness, target = _plan_status(index)
        answers = make_answers(spec, quality, local, completeness=completeness)
        _seed_assessment(assessment, answers, target, spec, admin)
        created += 1
    log(
        f"regions: {Region.objects.count()} ({streets_count} streets); "
        f"communities created now: {created}; round: {round_.name}"
    )
    return users


def _seed_assessment(
    assessment: Assessment, answers: dict[str, Any], target: str, spec: Any, admin: User
) -> None:
    assessor = assessment.assessors.first()
    services.answers_save(
        actor=assessor,
        assessment=assessment,
        changes={code: services.AnswerChange(value) for code, value in answers.items()},
    )
    if target == AssessmentStatus.DRAFT:
        return
    result = score(spec, answers)
    services.evidence_add_links(
        actor=assessor,
        assessment=assessment,
        links=[
            services.EvidenceLink(
                item.code,
                f"https://example.org/evidence/{assessment.community_id}/{item.code}",
                "示例佐证材料",
            )
            for indicator in result.indicators
            for item in indicator.items
            if item.s
        ],
    )
    services.assessment_submit(actor=assessor, assessment=assessment)
    if target == AssessmentStatus.APPROVED:
        services.assessment_approve(actor=admin, assessment=assessment, comment="材料齐全，同意。")
    elif target == AssessmentStatus.RETURNED:
        services.assessment_return(
            actor=admin, assessment=assessment, comment="请补充智能照明节能的电费单据。"
        )
