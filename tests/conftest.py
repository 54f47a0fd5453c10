"""Shared fixtures: real databases (SQLite file, PostgreSQL when REGIE_TEST_POSTGRES_URL is set).

A test taking ``database_url`` runs on both. The one exception, ``@pytest.mark.one_database("why")``
(tests/one_database.py), drops the PostgreSQL variant of a test whose subject comes after the store;
``python -m tests.tools.pg_statements FILE…`` checks that its file's other PostgreSQL tests still
run every statement it ran.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Prefect's home and analytics must be set before prefect is first imported.
pytest_plugins = [
    "tests.prefect_harness",
    "tests.integration.browser",
    "tests.integration.mail_setup",
    "tests.one_database",
    "pytester",
]

# Property tests are judged by what they return, never by how long an example takes: a loaded CI
# machine (or the first example's imports) missed Hypothesis's default 200 ms deadline.
settings.register_profile("regie", deadline=None)
settings.load_profile("regie")

ROOT = Path(__file__).resolve().parent.parent
SEED_PLAN = ROOT / "plan" / "actions.yaml"
POSTGRES_URL = os.environ.get("REGIE_TEST_POSTGRES_URL")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'regie.db'}"


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards; for a test that
    asks for ``migrated_url`` on it, a copy of the migrated template straight away."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: REGIE_TEST_POSTGRES_URL is not set")
        pytest.skip("REGIE_TEST_POSTGRES_URL is not set (CI starts a real server)")
    import sqlalchemy as sa

    name = f"regie_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    if _migrated_on_postgres(request):
        # Made empty, it would be dropped again for the copy: twice PostgreSQL's work, per test.
        from tests.integration.migrated_template import shared_templates

        shared_templates().copy_postgres(name, admin)
    else:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        # Connections still pooled make DROP … WITH (FORCE) end them and wait ≈ 0.1 s for that.
        from store.db import dispose_engines

        dispose_engines()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrated_on_postgres(request: pytest.FixtureRequest) -> bool:
    """Whether this PostgreSQL database is the one ``migrated_url`` upgrades (its
    ``database_url`` is PostgreSQL's), so it may be made a copy of the migrated template."""
    callspec = getattr(request.node, "callspec", None)
    return (
        "migrated_url" in request.fixturenames
        and callspec is not None
        and callspec.params.get("database_url") == "postgres"
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def regie_home(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An isolated REGIE_HOME (SQLite database, outbox) for CLI tests. Its database is a copy
    of the migrated template (:func:`tests.integration.migrated_template.migrated_home`): the
    first command does not migrate a new one. A test of a home's first run (the new-database
    note, a database made on first use) is marked ``fresh_home`` and gets an absent home."""
    home = tmp_path / "home"
    monkeypatch.setenv("REGIE_HOME", str(home))
    monkeypatch.delenv("REGIE_DATABASE_URL", raising=False)
    if request.node.get_closest_marker("fresh_home") is None:
        from tests.integration.migrated_template import migrated_home

        migrated_home(home)
    return home


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker per usable CPU, at most 4 (each may start a browser, a Prefect
    server, PostgreSQL connections); PYTEST_XDIST_AUTO_NUM_WORKERS overrides."""
    wanted = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    if wanted and wanted.isdigit():
        return int(wanted)
    return max(1, min(4, len(os.sched_getaffinity(0))))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """For parallel runs (pytest-xdist, ``--dist loadfile --no-loadscope-reorder``): files are
    handed out in collection order, so files with slow tests come first and none of them
    starts last, leaving one worker running alone at the end. (A file's tests stay on one
    worker: its module fixtures start once. ``--dist loadgroup`` would not help: xdist 3.8
    cannot rename pytest 9.2's node ids, so its groups are ignored.)"""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable
