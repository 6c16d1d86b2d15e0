"""Production settings pass Django's deployment checks, and the container files agree with
the settings (Docker cannot run here, so these are static checks)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7#Qv9!xLm2@Zr4$Tw8^Np1&Hs6*Dj3(Fb5)Gc0-Ye" + "u" * 10


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_answers_health_probes_over_plain_http_and_redirects_the_rest(tmp_path):
    probe = (
        "from django.test import Client\n"
        "for path in ('/healthz', '/accounts/login/'):\n"
        "    response = Client().get(path)\n"
        "    print('probe', path, response.status_code, response.get('Location', '-'))\n"
    )
    result = run_manage(
        "shell",
        "-c",
        probe,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="testserver",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answers = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("probe ")]
    assert answers == [
        ["/healthz", "200", "-"],
        ["/accounts/login/", "301", "https://testserver/accounts/login/"],
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_value_stops_start_up_with_its_name():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_names_the_production_services():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "web", "worker"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]


def settings_variables() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', path.read_text(encoding="utf-8")))
    return names


def test_compose_sets_only_variables_the_settings_read():
    env = compose()["services"]["web"]["environment"]
    assert set(env) - {"DJANGO_SETTINGS_MODULE"} <= settings_variables()
    for required in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "UPLOAD_ROOT"):
        assert required in env
    assert compose()["services"]["worker"]["environment"] == env
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_dockerfile_installs_weasyprint_libraries_and_a_cjk_font():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk"):
        assert package in dockerfile
    assert "requirements.lock" in dockerfile and "--require-hashes" in dockerfile
    assert "config.settings.production" in dockerfile
    assert (
        set(re.findall(r"(?:ENV |^\s+)([A-Z_]+)=", dockerfile, re.M))
        - {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "DJANGO_SETTINGS_MODULE"}
        <= settings_variables()
    )


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    """Package name to pinned version; every pin must carry hashes."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    found = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", text, re.M))
    assert len(re.findall(r"^[A-Za-z0-9].*\\$\n\s+--hash=sha256:", text, re.M)) == len(found)
    return {normalize(name): version for name, version in found.items()}


def requirement_names(requirements: list[str]) -> set[str]:
    return {normalize(re.split(r"[^A-Za-z0-9._-]", line, maxsplit=1)[0]) for line in requirements}


def test_the_runtime_lock_holds_the_dependencies_and_no_development_tools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert requirement_names(project["dependencies"]) <= set(runtime)
    assert requirement_names(project["optional-dependencies"]["dev"]) <= set(dev)
    assert not {"pytest", "mypy", "ruff", "playwright", "django-stubs", "hypothesis"} & set(runtime)
    assert runtime["django"].startswith("5.2.")
    # The development lock is the runtime lock plus the tools, at the same versions.
    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_image_installs_only_the_runtime_lock():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile


def test_demo_data_is_refused_under_production_settings(tmp_path):
    result = run_manage(
        "seed_demo",
        "--communities",
        "1",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="portal.example.org",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 1
    assert "not allowed" in result.stderr and "Traceback" not in result.stderr
