"""The API fuzzed against its own OpenAPI document: schemathesis generates valid and invalid
requests for every operation and sends them to a live server holding a scored province; no
answer may be a server error, or have a status, content type, headers or body the
document does not describe. Bounded in examples and time, the same run every time (seeded)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis"


@pytest.fixture
def fuzzed_portal(live_server: Any, framework: Any, spec: Any, monkeypatch: Any) -> Any:
    """A live server with the results province and a piece of evidence; throttles lifted
    (the fuzz run sends thousands of requests; throttling is tested on its own)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.throttling import SimpleRateThrottle

    from assessments import services
    from tests.results import build_results

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute", "token": "100000/minute"}
    )
    built = build_results(framework, spec)
    for name, item in (("evidence", "L1P8.1"), ("evidence_to_delete", "L1P8.2")):
        setattr(built, name, services.evidence_add_file(
            actor=built.users["assessor"],
            assessment=built.assessment("2026", "丁社区"),
            item_code=item,
            upload=SimpleUploadedFile("证明.pdf", f"%PDF-1.4 {name}".encode()),
        ))  # fmt: skip
    return built


def config_file(built: Any, name: str) -> Path:
    """Real objects for the path parameters, so the generated requests reach past the
    look-up: a submitted and a draft assessment (with evidence), a region, a community, a
    round and an item; a random id would only find 404s."""
    submitted, draft = built.assessment("2026", "乙社区"), built.assessment("2026", "丁社区")
    community = built.communities["乙社区"]
    families = [
        (r"^/api/v1/assessments/\\{id\\}/(submit|return|approve|reopen)/", submitted.pk),
        (r"^/api/v1/assessments/\\{id\\}/(?!submit|return|approve|reopen)", draft.pk),
        (r"^/api/v1/frameworks/", submitted.round.framework_id),
        (r"^/api/v1/regions/", community.region_id),
        (r"^/api/v1/communities/\\{id\\}", community.pk),
        (r"^/api/v1/rounds/", submitted.round_id),
    ]
    entries = [
        (f'include-path-regex = "{regex}"', f'"path.id" = {pk}, "path.code" = "L1P8.1"')
        for regex, pk in families
    ]
    entries += [
        ('include-path-regex = "^/api/v1/communities/by-code/"',
         f'"path.code" = "{community.code}"'),
        # one piece of evidence to delete, another to read
        ('include-name = "DELETE /api/v1/evidence/{evidence_id}/"',
         f'"path.evidence_id" = {built.evidence_to_delete.pk}'),
        ('include-path-regex = "^/api/v1/evidence/"', f'"path.evidence_id" = {built.evidence.pk}'),
    ]  # fmt: skip
    lines = [
        f"[[operations]]\n{selector}\nparameters = {{ {values} }}\n" for selector, values in entries
    ]
    path = ARTIFACTS / f"{name}.toml"
    path.write_text("\n".join(lines))
    return path


def run_schemathesis(live_server: Any, config: Path, token: str, name: str, seconds: int) -> Any:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file", str(config),
        "run",
        f"{live_server.url}/api/schema/",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", "12",
        "--max-time", str(seconds),
        "--seed", "3890",
        "--workers", "1",
        "--request-timeout", "20",
        "--header", f"Authorization: Bearer {token}",
        "--header", "Accept-Language: zh-hans",
        "--no-color",
        "--report", "junit",
        "--report-junit-path", str(ARTIFACTS / f"{name}.xml"),
    ]  # fmt: skip
    env = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false"}
    return subprocess.run(  # in the artifacts folder, where it keeps its cache
        command,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=False,
        env=env,
        cwd=ARTIFACTS,
    )


@pytest.mark.parametrize(
    ("who", "seconds"), [("admin", 45), ("official_jinan", 20), ("assessor", 20)]
)
def test_no_operation_answers_outside_its_schema(fuzzed_portal, live_server, who, seconds):
    from accounts.tokens import api_token_create

    _token, secret = api_token_create(
        actor=None, user=fuzzed_portal.users[who], name="schema fuzzing"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    config = config_file(fuzzed_portal, who)
    result = run_schemathesis(live_server, config, secret, who, seconds)
    (ARTIFACTS / f"{who}.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "operations" in result.stdout.lower() or "passed" in result.stdout.lower()
