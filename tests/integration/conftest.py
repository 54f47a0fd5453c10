"""Fixtures for the store: a migrated database (SQLite and PostgreSQL), a session, a small plan."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from governance.plan import Plan
from store import make_engine, upgrade
from tests.integration.store_plans import make_sample_plan


@pytest.fixture
def migrated_url(database_url: str) -> str:
    """``database_url`` upgraded to the latest migration."""
    upgrade(database_url)
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
