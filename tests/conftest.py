"""Shared fixtures. Django is imported inside fixtures so the pure engine tests collect
without it."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip service-bound tests where the service is absent, saying why; never in CI."""
    database_url = os.environ.get("DATABASE_URL", "")
    has_postgres = database_url.startswith(("postgres://", "postgresql://"))
    has_redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if "postgres" in item.keywords and not has_postgres:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)"
                )
            )
        if "redis" in item.keywords and not has_redis:
            item.add_marker(
                pytest.mark.skip(reason="needs a Redis broker: set REDIS_URL=redis://... (CI does)")
            )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    stats = terminalreporter.stats
    counts = {key: len(stats.get(key, [])) for key in ("passed", "failed", "error", "skipped")}
    terminalreporter.write_line(
        "test counts: "
        + ", ".join(f"{n} {key}" for key, n in counts.items())
        + (" (CI: skips are failures)" if IN_CI else "")
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and session.exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(scope="session")
def framework_definition() -> Any:
    from indicators.framework_file import bundled_framework_files, parse_framework_file

    (path,) = [p for p in bundled_framework_files() if "3890" in p.name]
    return parse_framework_file(path)


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: Any, framework_definition: Any
) -> None:
    """Load the bundled framework once into the test database."""
    from indicators.services import framework_load

    with django_db_blocker.unblock():
        framework_load(definition=framework_definition)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache (the test settings keep it in memory), so
    rate limits and cached summaries of one test never reach the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def framework(db: None, framework_definition: Any) -> Any:
    """The DB37/T 3890.3-2020 framework (reloaded if a transactional test flushed it)."""
    from indicators.services import framework_load

    return framework_load(definition=framework_definition).framework


@pytest.fixture
def spec(framework: Any) -> Any:
    from indicators.specs import framework_spec

    return framework_spec(framework)


@pytest.fixture(scope="module")
def results_once(django_db_setup: None, django_db_blocker: Any, framework_definition: Any) -> Any:
    """The ``results`` data set, built once per test module inside a transaction that is
    rolled back after the module's last test. Each test runs in a savepoint within it (as
    Django's TestCase.setUpTestData does), so no test sees another's changes."""
    from django.db import transaction

    from indicators.services import framework_load
    from indicators.specs import framework_spec
    from tests.results import build_results

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            framework = framework_load(definition=framework_definition).framework
            built = build_results(framework, framework_spec(framework))
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def results(results_once: Any, db: None) -> Any:
    """Two rounds of results in two cities, scored and ranked (tests/results.py), read
    afresh for each test so that no test sees objects another test changed."""
    from tests.results import reread

    return reread(results_once)


@pytest.fixture
def api_client_for(db: None) -> Any:
    """``api_client_for(user)``: a DRF test client that authenticates as ``user`` with a
    real API token (Authorization: Bearer), as a machine would."""
    from rest_framework.test import APIClient

    from accounts.tokens import api_token_create

    def make(user: Any) -> Any:
        client = APIClient()
        if user is not None:
            _token, secret = api_token_create(actor=None, user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
