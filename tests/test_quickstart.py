"""The README's first command, run for real on a fresh copy of the repository.

The copy holds what a clone would (the files git tracks, plus new files that are not
ignored, so uncommitted work is tested too) and nothing else: no var/, no .venv. The quick
start installs the runtime lock into its own .venv (pip's cache keeps this short), migrates
a new SQLite file, loads the framework, seeds demo data and serves the portal.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Eight communities cover every demo status (draft, submitted, returned, approved).
COMMUNITIES = 8
# Generous for a machine whose pip cache is empty; a warm cache needs about a minute.
START_TIMEOUT = 600
# The quick start must not pick these up from the machine running the tests.
FOREIGN_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SETTINGS_MODULE",
    "PORTAL_VAR_DIR",
    "UPLOAD_ROOT",
    "PORTAL_ADDRESS",
    "DEMO_COMMUNITIES",
    "PORTAL_SKIP_APT",
    "PYTHON",
    "VIRTUAL_ENV",
}

pytestmark = pytest.mark.slow


def repository_files() -> list[str]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files a clone has")
    listed = subprocess.run(
        [git, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # A tracked file deleted in the work tree is not part of what would be committed.
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("clone") / "portal"
    for name in repository_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert not (copy / "var").exists()
    assert not (copy / ".venv").exists()
    return copy


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_VARIABLES}
    return env | extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture
def quickstart(fresh_copy: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """`scripts/quickstart` running in its own process group, stopped cleanly at the end."""
    port = free_port()
    log = fresh_copy.parent / "quickstart.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["scripts/quickstart"],
            cwd=fresh_copy,
            env=child_env(DEMO_COMMUNITIES=str(COMMUNITIES), PORTAL_ADDRESS=f"127.0.0.1:{port}"),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, port, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for_health(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(encoding="utf-8")
            pytest.fail(f"scripts/quickstart exited with {process.returncode}:\n{output}")
        try:
            if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    output = log.read_text(encoding="utf-8")
    pytest.fail(f"/healthz did not answer within {START_TIMEOUT} s:\n{output}")


def manage(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(copy / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=copy,
        env=child_env(DJANGO_SETTINGS_MODULE="config.settings.local"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "indicators_item",
                "assessments_region",
                "assessments_community",
                "assessments_assessment",
                "assessments_answer",
                "accounts_user",
            )
        }


def test_quickstart_on_a_fresh_copy_serves_the_portal_with_demo_data(fresh_copy, quickstart):
    process, port, log = quickstart
    wait_for_health(process, port, log)

    status, page = get(f"http://127.0.0.1:{port}/accounts/login/")
    assert status == 200
    assert "登录" in page

    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)
    output = log.read_text(encoding="utf-8")
    assert "created (4 primary, 24 indicators, 46 items)" in output
    for login in ("admin", "assessor1", "official_jinan", "demo-admin-2026"):
        assert login in output
    assert f"http://127.0.0.1:{port}" in output
    assert "Traceback" not in output
    assert (fresh_copy / ".venv" / ".installed-lock").read_text().endswith(" requirements.lock\n")

    db = fresh_copy / "var" / "portal.sqlite3"
    first = counts(db)
    assert first["indicators_item"] == 46
    assert first["assessments_community"] == COMMUNITIES
    assert first["assessments_region"] > 16 + 100
    assert first["assessments_answer"] > COMMUNITIES * 20
    with sqlite3.connect(db) as conn:
        statuses = dict(
            conn.execute(
                "SELECT status, COUNT(*) FROM assessments_assessment GROUP BY status"
            ).fetchall()
        )
        answered = [
            n
            for (n,) in conn.execute(
                "SELECT COUNT(*) FROM assessments_answer GROUP BY assessment_id"
            )
        ]
    assert set(statuses) == {"draft", "submitted", "returned", "approved"}
    assert min(answered) < 46 and max(answered) == 46, "some partial, some complete"

    # Loading and seeding again change nothing.
    assert "unchanged" in manage(fresh_copy, "load_framework").stdout
    manage(fresh_copy, "seed_demo", "--communities", str(COMMUNITIES))
    assert counts(db) == first


def run_quickstart(copy: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["scripts/quickstart"],
        cwd=copy,
        env=child_env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_busy_port_stops_the_quickstart_with_one_line_saying_what_to_do(fresh_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_quickstart(fresh_copy, PORTAL_ADDRESS=f"127.0.0.1:{port}")

    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line == (
        f"Port {port} is in use; stop the other program or run "
        f"PORTAL_ADDRESS=127.0.0.1:{port + 1} scripts/quickstart"
    )


def test_a_python_too_old_stops_the_set_up_with_one_line_saying_what_to_do(fresh_copy, tmp_path):
    old_python = tmp_path / "python3.9"
    old_python.write_text(
        '#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.9.18" && exit 0\nexit 1\n'
    )
    old_python.chmod(0o755)
    result = run_quickstart(fresh_copy, PYTHON=str(old_python))

    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("Python 3.11 or newer is needed (")
    assert "is Python 3.9.18" in line
    assert "set PYTHON=/path/to/python3.11" in line
