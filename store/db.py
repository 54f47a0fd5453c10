"""Engines, sessions and migrations. Alembic is driven from code: no alembic.ini is needed to run.

Tables are only ever created by migrations (``upgrade``); nothing here calls ``create_all``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000


class MigrationError(RuntimeError):
    """A migration left the database inconsistent (it has been rolled back)."""


def normalise_url(url: str) -> str:
    """Accept the URLs people paste (``postgres://…``) and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the application: SQLite gets foreign keys, a busy timeout and real BEGINs."""
    return _engine(url, foreign_keys=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Callers get plain values out of the repository, so nothing needs reloading after commit.
    return sessionmaker(bind=engine, expire_on_commit=False)


def _engine(url: str, *, foreign_keys: bool, **kwargs: Any) -> Engine:
    parsed = sa.make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return sa.create_engine(parsed, **kwargs)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(parsed, **kwargs)
    _install_sqlite_hooks(engine, foreign_keys=foreign_keys)
    return engine


def _install_sqlite_hooks(engine: Engine, *, foreign_keys: bool) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's legacy mode skips BEGIN before SELECT and DDL, so reads are not
        # isolated and migrations are not atomic. Let SQLAlchemy emit BEGIN itself (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


# --- migrations -------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations; env.py uses ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migration_engine(url: str) -> Engine:
    """An engine for running migrations.

    SQLite enforces foreign keys off for the duration: batch migrations rebuild a table by
    copy-and-drop, and dropping a referenced table with enforcement on would fail or cascade.
    :func:`check_foreign_keys` runs before committing instead.
    """
    return _engine(url, foreign_keys=False, poolclass=sa.NullPool)


def check_foreign_keys(connection: Connection) -> None:
    """Raise if SQLite has rows violating a foreign key (enforcement is off while migrating)."""
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL enforces keys during the migration itself
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if problems:
        raise MigrationError(f"foreign key violations after migration: {problems[:5]}")


def _migrate(url: str, step: Callable[[Config], None]) -> None:
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:  # one transaction: all or nothing on both databases
            step(alembic_config(connection))
            check_foreign_keys(connection)
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    _migrate(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> None:
    _migrate(url, lambda config: command.downgrade(config, revision))


def current_revision(url: str | Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    engine = migration_engine(url) if isinstance(url, str) else url
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if isinstance(url, str):
            engine.dispose()


def head_revision() -> str:
    """The newest revision shipped with this code."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - only if the versions directory is missing
        raise MigrationError(f"no migrations found in {MIGRATIONS_DIR}")
    return head
