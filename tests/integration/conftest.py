"""Fixtures for the store: a migrated database (SQLite and PostgreSQL), a session, a small plan."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance.plan import Plan
from store import make_engine
from tests.integration.backup_copy import backup_of  # noqa: F401 (a fixture)
from tests.integration.documents_once import make_documents_once
from tests.integration.migrated_template import MigratedTemplates, shared_templates
from tests.integration.store_plans import make_sample_plan


@pytest.fixture(scope="session")
def migrated_templates() -> Iterator[MigratedTemplates]:
    templates = shared_templates()
    yield templates
    templates.drop()


@pytest.fixture
def migrated_url(database_url: str, migrated_templates: MigratedTemplates) -> str:
    """``database_url`` upgraded to the latest migration (a copy of a template upgraded once
    per worker: :mod:`tests.integration.migrated_template`)."""
    migrated_templates.fill(database_url)
    return database_url


@pytest.fixture
def engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def documents_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack's PDF and charts made once per input in this worker, for tests of what packs say
    or which are sent, not of the PDF itself (:mod:`tests.integration.documents_once`)."""
    make_documents_once(monkeypatch)


@pytest.fixture
def sample_plan() -> Plan:
    return make_sample_plan()


PRODUCTION_HASH_MARK = "production_password_hash"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{PRODUCTION_HASH_MARK}: argon2 at the product's cost (no cheap test hashes)"
    )


@pytest.fixture(autouse=True)
def cheap_password_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at the product's cost (64 MiB, 3 passes: ≈ 0.15-0.3 CPU-s per hash or check) is
    not what these tests check, and the lockout tests alone do ~60 of them. Here they are real
    argon2id hashes and checks at argon2's cheapest parameters; the product's cost is checked
    by the tests marked ``production_password_hash`` (tests/integration/test_users.py). A
    subprocess (``regie user …``) still hashes at the product's cost."""
    if request.node.get_closest_marker(PRODUCTION_HASH_MARK):
        return
    from argon2 import PasswordHasher, profiles

    from regie import users

    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)
    # The unknown-name hash is cached: one made here must not outlive the test, nor be reused.
    monkeypatch.setattr(users, "_dummy_hash", cache(lambda: cheap.hash("not a password")))
