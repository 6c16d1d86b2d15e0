"""Every URL pattern, opened by every kind of user: the expected answer, never a 500, also
with odd query parameters. A new page joins the walk by existing; one with parameters in
its path needs a sample in SAMPLES (the test says which)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from accounts.tokens import api_token_create
from assessments import services
from indicators.models import Framework
from reports.models import ExportJob, PdfBatch, PublicNotice
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
def people(framework, settings, tmp_path) -> dict[str, Any]:
    street_a = region_chain("济南市", "历下区", "解放路街道")
    street_b = region_chain("青岛市", "市南区", "八大关街道")
    round_ = make_round(framework)
    users: dict[str, Any] = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True),
        "assessor_a": UserFactory(role=Role.ASSESSOR),
        "assessor_b": UserFactory(role=Role.ASSESSOR),
        "official_province": UserFactory(role=Role.OFFICIAL),
        "official_city": UserFactory(role=Role.OFFICIAL, region=street_a.city),
        "official_district": UserFactory(role=Role.OFFICIAL, region=street_b.district),
    }
    users["a"] = make_assessment(
        framework,
        round=round_,
        community=make_community(street_a, "甲社区"),
        assessors=(users["assessor_a"],),
    )
    users["evidence"] = services.evidence_add_file(
        actor=users["assessor_a"],
        assessment=users["a"],
        item_code="L1P8.1",
        upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 proof"),
    )
    make_assessment(
        framework,
        round=round_,
        community=make_community(street_b, "乙社区"),
        assessors=(users["assessor_b"],),
    )
    settings.EXPORT_ROOT = tmp_path
    users["export"] = ExportJob.objects.create(
        owner=users["official_city"],
        kind=ExportJob.Kind.RANKING,
        format=ExportJob.Format.CSV,
        status=ExportJob.Status.DONE,
        file_name="ranking.csv",
        download_name="排名.csv",
    )
    (tmp_path / "ranking.csv").write_bytes(b"\xef\xbb\xbf")
    settings.PDF_ROOT = tmp_path / "pdfs"
    settings.VERIFY_RATE_PER_MINUTE = 1_000_000  # the walk checks one code many times
    users["batch"] = PdfBatch.objects.create(
        owner=users["official_city"],
        round=round_,
        language="zh",
        status=PdfBatch.Status.DONE,
        file_name="batches/scorecards.zip",
        download_name="评分卡.zip",
    )
    (tmp_path / "pdfs" / "batches").mkdir(parents=True)
    (tmp_path / "pdfs" / "batches" / "scorecards.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    users["token"], _secret = api_token_create(actor=None, user=users["assessor_a"], name="walk")
    users["notice"] = PublicNotice.objects.create(
        round=round_, title="关于测试结果的公示", period_start=round_.period_start,
        period_end=round_.period_end, contact="电话 0531-00000000", issuer="山东省大数据局",
        published_by=users["administrator"],
    )  # fmt: skip
    return users


def samples(people: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Arguments for the patterns with parameters in their path, by URL name: the
    assessment of the city of ``official_city``, assigned to ``assessor_a``."""
    a = people["a"].pk
    evidence = people["evidence"].pk
    return {
        "framework-detail": {"pk": Framework.objects.order_by("pk").first().pk},
        **{
            f"assessments:{name}": {"pk": a}
            for name in ("page", "history", "evidence-add", "submit", "review", "return",
                         "approve", "reopen", "excel")
        },
        "assessments:indicator-save": {"pk": a, "code": "L1P8"},
        "assessments:indicator-preview": {"pk": a, "code": "L1P8"},
        "assessments:item-review": {"pk": a, "code": "L1P8.1"},
        "assessments:evidence-delete": {"pk": a, "evidence_id": evidence},
        "assessments:evidence-file": {"evidence_id": evidence},
        "assessments:evidence-thumbnail": {"evidence_id": evidence},
        "dashboard:community": {"pk": people["a"].community_id},
        "dashboard:next-grade": {"pk": people["a"].community_id},
        "dashboard:scorecard-pdf": {"pk": people["a"].community_id},
        "verify": {"code": "0000-0000-0000-0000"},
        "dashboard:region": {"pk": people["a"].community.city_id},
        "dashboard:export-status": {"pk": people["export"].pk},
        "dashboard:export-download": {"pk": people["export"].pk},
        "dashboard:batch-status": {"pk": people["batch"].pk},
        "dashboard:batch-download": {"pk": people["batch"].pk},
        "notices:detail": {"pk": people["notice"].pk},
        "notices:pdf": {"pk": people["notice"].pk},
        "dashboard:notice-withdraw": {"pk": people["notice"].pk},
        "tokens:revoke": {"pk": people["token"].pk},
    }  # fmt: skip


def patterns(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    """(name, route) of every named pattern outside the admin and the API (each walked in
    its own test: tests/test_admin_walk.py, tests/api/test_api_walk.py)."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name not in ("admin", "api"):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                found.extend(patterns(entry, route, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((namespace + entry.name, route))
    return found


# Who sees the assessment of the walk (assessor_a's, in official_city's city).
IN_SCOPE = {"administrator", "assessor_a", "official_province", "official_city"}
EDITORS = {"administrator", "assessor_a"}


def expected(name: str, role: str) -> set[int]:
    """What a GET answers ``role`` (an action that only takes POST answers 405)."""
    if name == "favicon":
        return {301}
    public = {"verify-form": {200}, "verify": {404}}  # no login needed; the sample code is unknown
    public |= {f"notices:{name}": {200} for name in ("list", "detail", "pdf")}  # anyone reads
    if name in public:
        return public[name]
    if role == "anonymous":
        return {200} if name in ("login", "healthz") else {302}
    scoped = 200 if role in IN_SCOPE else 404
    posts = 405  # the same for every role: the method is checked before the object
    administrators_only = 200 if role == "administrator" else (403 if role in IN_SCOPE else 404)
    administrators = 200 if role == "administrator" else 403  # API tokens
    return {
        "home": {200},
        "framework-list": {200},
        "framework-detail": {200},
        "login": {302},
        "logout": {200},
        "set_language": {302},
        "healthz": {200},
        "review-queue": {200 if role == "administrator" else 403},
        "assessments:page": {scoped},
        "assessments:history": {scoped},
        "assessments:excel": {scoped},
        "assessments:excel-round": {200, 302, 400},
        "assessments:excel-upload": {200 if role in EDITORS or role == "assessor_b" else 403},
        "assessments:evidence-file": {scoped},
        "assessments:evidence-thumbnail": {404},
        "assessments:review": {administrators_only},
        "assessments:indicator-save": {posts},
        "assessments:indicator-preview": {posts},
        "assessments:evidence-add": {posts},
        "assessments:evidence-delete": {posts},
        "assessments:submit": {posts},
        "assessments:item-review": {posts},
        "assessments:return": {posts},
        "assessments:approve": {posts},
        "assessments:reopen": {posts},
        "assessments:bulk-approve": {405},
        **{f"tokens:{page}": {administrators} for page in ("list", "new", "revoke")},
        **_dashboard(role),
    }[name]


READERS = {"administrator", "official_province", "official_city", "official_district"}


def _dashboard(role: str) -> dict[str, set[int]]:
    """Results are for administrators and officials; the sample community and its city
    lie outside the district official's scope; the sample export job is the city
    official's, and nobody else's (administrators included)."""
    page = 200 if role in READERS else 403
    sample = (200 if role in IN_SCOPE else 404) if role in READERS else 403
    own = (200 if role == "official_city" else 404) if role in READERS else 403
    administrators = 200 if role == "administrator" else 403  # public notices: publishing
    pages = ("overview", "ranking", "compare", "heatmap", "heatmap-regions", "regions",
             "trends", "stability", "ranking-export", "matrix-export", "summary-pdf",
             "batches")  # fmt: skip
    return {
        **{f"dashboard:{name}": {page} for name in pages},
        "dashboard:community": {sample},
        "dashboard:next-grade": {sample},
        # the sample assessment has no scorecard: nothing to print, for anyone who may look
        "dashboard:scorecard-pdf": {404 if sample == 200 else sample},
        "dashboard:region": {sample},
        "dashboard:stability-run": {405},
        "dashboard:export-status": {own},
        "dashboard:export-download": {own},
        "dashboard:batch-status": {own},
        "dashboard:batch-download": {own},
        **{
            f"dashboard:{name}": {administrators}
            for name in ("notices", "notice-new", "notice-withdraw")
        },
    }


def test_every_page_answers_each_role_as_it_should(client, people):
    found = patterns()
    sample = samples(people)
    missing = [name for name, route in found if "<" in route and name not in sample]
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
            url = reverse(name, kwargs=sample.get(name))
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


POST_ONLY = (
    "assessments:indicator-save",
    "assessments:indicator-preview",
    "assessments:evidence-add",
    "assessments:evidence-delete",
    "assessments:submit",
    "assessments:item-review",
    "assessments:return",
    "assessments:approve",
    "assessments:reopen",
)
REVIEW_ACTIONS = {
    "assessments:item-review",
    "assessments:return",
    "assessments:approve",
    "assessments:reopen",
}


def test_every_action_checks_who_posts(client, people):
    """An empty POST to each action: out of scope is a 404, a reviewer's action by someone
    else a 403, never a 500; and nothing changes for those refused."""
    sample = samples(people)
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        for name in POST_ONLY:
            if name == "assessments:evidence-delete" and role in EDITORS:
                continue  # it would delete the evidence (tested with the evidence views)
            status = client.post(reverse(name, kwargs=sample[name])).status_code
            if role == "anonymous":
                wanted = {302}
            elif role not in IN_SCOPE:
                wanted = {404}
            elif name in REVIEW_ACTIONS and role != "administrator":
                wanted = {403}
            elif name == "assessments:evidence-add":
                wanted = {400}  # no item named
            else:
                wanted = {200, 302}
            if status not in wanted:
                failures.append(f"{role} POST {name}: {status}, expected {wanted}")
    assert not failures, "\n".join(failures)
    assert people["evidence"].__class__.objects.filter(pk=people["evidence"].pk).exists()
