"""store.lock_wait: a brief lock wait holds inside its transaction only; the connection goes
back to the pool with the engine's own wait, also after a statement failed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.db import make_engine, session_factory
from store.lock_wait import brief_lock_wait


def _wait_setting(session: Session) -> str:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return str(connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one())
    return str(connection.exec_driver_sql("SHOW lock_timeout").scalar_one())


def test_the_brief_wait_ends_with_its_block_even_after_a_failed_statement(
    migrated_url: str,
) -> None:
    engine = make_engine(migrated_url, lock_timeout=600.0, pool_size=1, max_overflow=0)
    sessions = session_factory(engine)
    try:
        with sessions() as session, session.begin():
            usual = _wait_setting(session)
        assert usual in ("600000", "10min")
        with sessions() as session, session.begin(), brief_lock_wait(session, 250):
            assert _wait_setting(session) in ("250", "250ms")
        with (
            pytest.raises(sa.exc.DBAPIError),
            sessions() as session,
            session.begin(),
            brief_lock_wait(session, 250),
        ):
            session.execute(sa.text("SELECT * FROM no_such_table"))
        with sessions() as session, session.begin():  # the pool's only connection, again
            assert _wait_setting(session) == usual
    finally:
        engine.dispose()
