"""Fixtures for the store: a migrated database (SQLite and PostgreSQL), a session, a small plan."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance.plan import Plan
from store import make_engine
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
def sample_plan() -> Plan:
    return make_sample_plan()
