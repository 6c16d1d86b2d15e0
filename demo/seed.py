"""Demo data: Shandong's regions, a round, communities across the quality range, accounts.

Everything is written through the services (the bulk ones for communities, answers,
evidence and workflow steps), so demo data obeys the same rules as real data and scales to
10,000 communities. Running it again changes nothing that exists, and it never changes a
user it did not create. It ends with every round scored and ranked, and with the ranges of
ranks that perturbed weights give (ranking stability).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import connection, transaction

from accounts.models import Role, User
from assessments import services
from assessments.choices import (
    AreaType,
    AssessmentStatus,
    RegionLevel,
    ReviewAction,
    RoundStatus,
)
from assessments.models import Answer, Assessment, Community, Evidence, Region, Round
from demo.answers import make_answers
from indicators.framework_file import bundled_framework_files
from indicators.models import Framework
from indicators.services import framework_load_file
from indicators.specs import framework_spec
from scoring.engine import FrameworkSpec, score
from scoring.models import IndicatorScore, ScoreCard
from scoring.services import (
    ranks_refresh,
    scorecards_compute,
    stability_rounds_due,
    stability_run_process,
    stability_run_start,
)

REGIONS_FILE = Path(__file__).resolve().parent / "shandong_regions.yaml"
DEMO_FRAMEWORK = "DB37/T 3890.3-2020"
ROUND_NAME = "2026年度智慧社区评估"
# The year before: every community assessed and approved, a little weaker on average, so
# trends across rounds show something.
PREVIOUS_ROUND_NAME = "2025年度智慧社区评估"
BATCH = 500
NAME_STEMS = (
    "阳光", "和平", "幸福", "文化", "新华", "建设", "东关", "西关", "南苑", "北苑", "锦绣",
    "翠园", "滨河", "朝阳", "康乐", "书香", "青年", "民生", "泉城", "丰收", "花园", "育才",
)  # fmt: skip


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
    """Create the province, its cities, districts and streets that do not exist yet;
    returns the number of streets in the file."""
    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    existing = {r.code: r for r in Region.objects.all()}

    def ensure(entry: dict[str, str], level: str, parent: Region | None) -> Region:
        region = existing.get(entry["code"])
        if region is None:
            region = services.region_create(
                code=entry["code"],
                name_zh=entry["name_zh"],
                name_en=entry["name_en"],
                level=level,
                parent=parent,
            )
        return region

    province = ensure(data["province"], RegionLevel.PROVINCE, None)
    streets = 0
    for c in data["cities"]:
        city = ensure(c, RegionLevel.CITY, province)
        for d in c["districts"]:
            district = ensure(d, RegionLevel.DISTRICT, city)
            for s in d["streets"]:
                ensure(s, RegionLevel.STREET, district)
                streets += 1
    return streets


def ensure_accounts(log: Callable[[str], Any]) -> dict[str, User]:
    """The demo accounts; an account of that name that exists is used as it is (its role,
    flags and password are never changed)."""
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(
                username=account.username,
                role=account.role,
                last_name=account.last_name,
                first_name=account.first_name,
                is_staff=account.superuser,
                is_superuser=account.superuser,
                region=(
                    Region.objects.get(code=account.region_code) if account.region_code else None
                ),
            )
            user.set_password(account.password)
            user.save()
        elif user.role != account.role:
            log(f"  user {account.username} exists with another role; it is left as it is")
        users[account.username] = user
    return users


def ensure_round(framework: Framework, name: str = ROUND_NAME, year: int = 2026) -> Round:
    existing = Round.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return services.round_create(
        name=name,
        framework=framework,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        submission_deadline=dt.date(year, 12, 15),
        review_deadline=dt.date(year, 12, 31),
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


def _street_order(rng: random.Random) -> list[Region]:
    """Streets interleaved city by city, so every city gets communities early."""
    by_city: dict[int | None, list[Region]] = {}
    for street in Region.objects.filter(level=RegionLevel.STREET).order_by("path"):
        by_city.setdefault(street.city_id, []).append(street)
    lists = [rng.sample(lst, len(lst)) for lst in by_city.values()]
    return [lst[i] for i in range(max(map(len, lists))) for lst in lists if i < len(lst)]


def community_rows(
    count: int, streets: Sequence[Region], seed: int
) -> list[services.CommunityData]:
    rows = []
    for index in range(count):
        street, lap = streets[index % len(streets)], index // len(streets)
        local = random.Random(f"{seed}-{index}")
        households = local.randint(300, 4000)
        rows.append(
            services.CommunityData(
                code=f"{street.code}{lap + 1:03d}",
                name=_community_name(street, lap),
                region=street,
                households=households,
                residents=int(households * local.uniform(2.3, 3.1)),
                address=f"{street.name_zh}{local.randint(1, 300)}号",
                area_type=AreaType.RURAL if street.name_zh.endswith("镇") else AreaType.URBAN,
                contact_name=f"{local.choice('王李张刘陈杨赵黄周吴')}主任",
                contact_phone=f"0531-{local.randint(80000000, 89999999)}",
            )
        )
    return rows


@dataclass(frozen=True)
class _Plan:
    assessment: Assessment
    assessor: User
    answers: dict[str, Any]
    target: str


def _seed_batch(plans: list[_Plan], spec: FrameworkSpec, admin: User | None) -> None:
    """Answers, evidence and workflow steps of new assessments, one transaction per batch
    (so scoring runs once per batch, after it commits). Without a reviewer (``admin``),
    assessments meant to be approved or returned stay submitted."""
    by_assessor: dict[int, list[_Plan]] = {}
    for plan in plans:
        by_assessor.setdefault(plan.assessor.pk, []).append(plan)
    with transaction.atomic():
        for group in by_assessor.values():
            actor = group[0].assessor
            services.answers_import(
                actor=actor, answers={p.assessment.pk: p.answers for p in group}
            )
            done = [p for p in group if p.target != AssessmentStatus.DRAFT]
            services.evidence_links_import(
                actor=actor,
                links={p.assessment.pk: _evidence_links(p, spec) for p in done},
            )
            if done:
                services.assessments_transition_bulk(
                    actor=actor,
                    assessment_ids=[p.assessment.pk for p in done],
                    action=ReviewAction.SUBMIT,
                )
        for target, action, comment, reasons in (
            (AssessmentStatus.APPROVED, ReviewAction.APPROVE, "材料齐全，同意。", {}),
            (
                AssessmentStatus.RETURNED,
                ReviewAction.RETURN,
                "",
                {"L1P8": "请补充智能照明节能的电费单据。"},
            ),
        ):
            ids = [p.assessment.pk for p in plans if p.target == target]
            if ids and admin is not None:
                services.assessments_transition_bulk(
                    actor=admin,
                    assessment_ids=ids,
                    action=action,
                    comment=comment,
                    reasons=reasons,
                )


def _evidence_links(plan: _Plan, spec: FrameworkSpec) -> list[services.EvidenceLink]:
    result = score(spec, plan.answers)
    return [
        services.EvidenceLink(
            item.code,
            f"https://example.org/evidence/{plan.assessment.community_id}/{item.code}",
            "示例佐证材料",
        )
        for indicator in result.indicators
        for item in indicator.items
        if item.s
    ]


def _analyze() -> None:
    """Refresh PostgreSQL's statistics of the growing tables, as after any bulk load: with
    stale ones (autovacuum off, or behind) the planner scans a million rows where an index
    finds a few."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Community, Assessment, Answer, Evidence, ScoreCard, IndicatorScore):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def score_round(round_: Round) -> None:
    """Score every assessment of the round here and now, and store its ranks (also when
    a broker is configured and no worker runs yet)."""
    ids = list(round_.assessments.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        scorecards_compute(assessment_ids=ids[start : start + BATCH])
    ranks_refresh(round_ids=[round_.pk])


def seed(
    *, communities: int, random_seed: int = 2026, log: Callable[[str], Any] = print
) -> dict[str, User]:
    """Create (or complete) the demo data set; returns the demo users by username."""
    started = time.monotonic()
    rng = random.Random(random_seed)
    for path in bundled_framework_files():
        framework_load_file(path=path)
    framework = Framework.objects.filter(code=DEMO_FRAMEWORK).order_by("-loaded_at").first()
    if framework is None:
        raise RuntimeError(f"the bundled framework {DEMO_FRAMEWORK} is missing")
    with transaction.atomic():
        streets_count = load_regions()
        users = ensure_accounts(log)
    round_ = ensure_round(framework)
    spec = framework_spec(framework)
    assessors = [users["assessor1"], users["assessor2"], users["assessor3"]]
    usable = [u for u in assessors if u.is_active and u.role == Role.ASSESSOR]
    demo_admin = users["admin"]
    admin = demo_admin if demo_admin.is_active and demo_admin.role == Role.ADMINISTRATOR else None
    if admin is None:
        log("  no demo administrator to review: nothing is approved or returned")
    rows = community_rows(communities, _street_order(rng), random_seed)
    previous = ensure_round(framework, PREVIOUS_ROUND_NAME, 2025)
    closed = previous.status == RoundStatus.CLOSED
    if closed:  # more communities than last time: they get last year's results too
        previous = services.round_update(round=previous, status=RoundStatus.OPEN)
    created = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        created += _seed_communities(batch, start, round_, usable, spec, admin, random_seed)
        _seed_previous(batch, start, previous, usable, spec, admin, random_seed)
        log(f"  communities {start + len(batch)}/{len(rows)} ({time.monotonic() - started:.0f} s)")
        if (start // BATCH) % 20 == 19:
            _analyze()
    services.round_update(round=previous, status=RoundStatus.CLOSED)
    score_round(previous)
    score_round(round_)
    log(
        f"regions: {Region.objects.count()} ({streets_count} streets); "
        f"assessments filled in now: {created}; rounds: {previous.name}, {round_.name} "
        f"({round_.assessments.count()} assessments each, scored and ranked) "
        f"in {time.monotonic() - started:.0f} s"
    )
    rank_ranges_store([previous, round_], log)
    return users


def rank_ranges_store(rounds: Sequence[Round], log: Callable[[str], Any]) -> None:
    """Compute the ranking stability of the rounds here and now (also when a broker is
    configured and no worker runs yet); a round whose ranking has not changed since its
    last run is left as it is."""
    due = set(stability_rounds_due())
    for round_ in rounds:
        if round_.pk not in due:
            continue
        started = time.monotonic()
        run = stability_run_start(round=round_, enqueue_task=False)
        stability_run_process(run_id=run.pk)
        log(
            f"ranking stability of {round_.name}: {run.draws} draws "
            f"in {time.monotonic() - started:.1f} s"
        )


def _seed_communities(
    batch: list[services.CommunityData],
    offset: int,
    round_: Round,
    assessors: list[User],
    spec: FrameworkSpec,
    admin: User | None,
    random_seed: int,
) -> int:
    with transaction.atomic():
        services.communities_import(rows=batch)
        found = Community.objects.filter(code__in=[row.code for row in batch]).in_bulk(
            field_name="code"
        )
        index_of = {row.code: offset + n for n, row in enumerate(batch)}
        plan_assessor = {
            found[code].pk: assessors[index % len(assessors)] for code, index in index_of.items()
        }
        opened = services.assessments_open(
            round=round_,
            communities=list(found.values()),
            assessors={pk: [user] for pk, user in plan_assessor.items()} if assessors else {},
        )
    fresh = [a for a in opened if a.answered_count == 0 and a.status == AssessmentStatus.DRAFT]
    if not assessors:
        return 0
    code_of = {community.pk: code for code, community in found.items()}
    plans = []
    for assessment in fresh:
        index = index_of[code_of[assessment.community_id]]
        local = random.Random(f"{random_seed}-{index}-answers")
        completeness, target = _plan_status(index)
        quality = (index * 0.618034) % 1.0  # spread evenly over the whole range
        plans.append(
            _Plan(
                assessment=assessment,
                assessor=plan_assessor[assessment.community_id],
                answers=make_answers(spec, quality, local, completeness=completeness),
                target=target,
            )
        )
    if plans:
        _seed_batch(plans, spec, admin)
    return len(plans)


def _seed_previous(
    batch: list[services.CommunityData],
    offset: int,
    round_: Round,
    assessors: list[User],
    spec: FrameworkSpec,
    admin: User | None,
    random_seed: int,
) -> None:
    """Last year's round for these communities: answered, submitted and approved, each
    community somewhat weaker than this year (and a few stronger)."""
    if not assessors or admin is None:
        return
    found = Community.objects.filter(code__in=[row.code for row in batch]).in_bulk(
        field_name="code"
    )
    index_of = {found[row.code].pk: offset + n for n, row in enumerate(batch)}
    assessor_of = {pk: assessors[index % len(assessors)] for pk, index in index_of.items()}
    with transaction.atomic():
        opened = services.assessments_open(
            round=round_,
            communities=list(found.values()),
            assessors={pk: [user] for pk, user in assessor_of.items()},
        )
    plans = []
    for assessment in opened:
        if assessment.answered_count or assessment.status != AssessmentStatus.DRAFT:
            continue
        index = index_of[assessment.community_id]
        local = random.Random(f"{random_seed}-{index}-previous")
        quality = max(0.0, min(1.0, (index * 0.618034) % 1.0 - local.uniform(-0.05, 0.2)))
        plans.append(
            _Plan(
                assessment=assessment,
                assessor=assessor_of[assessment.community_id],
                answers=make_answers(spec, quality, local, completeness=1.0),
                target=AssessmentStatus.APPROVED,
            )
        )
    if plans:
        _seed_batch(plans, spec, admin)
