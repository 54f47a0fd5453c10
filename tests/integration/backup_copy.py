"""The ``backup_of`` fixture: a copy of an app's database as it is now, as a backup would
restore it (docs/operations.md, "Restore")."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from regie.bootstrap import App


@pytest.fixture
def backup_of(database_url: str, tmp_path: Path) -> Iterator[object]:
    """``backup_of(app)`` → the URL of a copy of ``app``'s database as it is now: SQLite with
    `regie db backup`'s own function, PostgreSQL as a copy of the database (what a
    ``pg_restore`` of a ``pg_dump`` taken now gives)."""
    made: list[str] = []

    def backup(app: App) -> str:
        if database_url.startswith("sqlite"):
            from regie.backup import backup as sqlite_backup

            target = tmp_path / f"backup-{len(made)}.db"
            sqlite_backup(app, target)
            return f"sqlite:///{target}"
        app.engine.dispose()  # a database is copied only while nobody is connected to it
        url = sa.make_url(database_url)
        name = f"{url.database}_b{uuid.uuid4().hex[:6]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
        admin.dispose()
        made.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    yield backup
    if made:
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in made:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
