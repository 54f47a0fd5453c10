"""A transaction that must not wait long for another connection's lock.

A calendar feed request records what it served (the feed memory, the token's last use), but it
needs none of that to answer: when another connection holds a lock it should answer at once,
unrecorded, rather than keep a subscriber's calendar app waiting for the database's lock
timeout (30 s on PostgreSQL, the 10 s busy timeout on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

#: How long a feed request's write waits for a lock before it is given up (the feed is then
#: served unrecorded and recording is tried again later).
BRIEF_LOCK_WAIT_MS = 1_000


@contextmanager
def brief_lock_wait(session: Session, wait_ms: int = BRIEF_LOCK_WAIT_MS) -> Iterator[None]:
    """Inside ``session``'s transaction: its statements wait at most ``wait_ms`` for a lock.

    PostgreSQL: ``SET LOCAL lock_timeout``, which ends with the transaction. SQLite: the
    connection's busy timeout, put back as it was when the block ends."""
    connection = session.connection()
    ms = max(1, int(wait_ms))
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
        yield
        return
    if connection.dialect.name != "sqlite":
        yield
        return
    # Straight on the driver's connection: the pragma is no statement of the transaction, and
    # it must be put back even when a statement failed and the session awaits its rollback
    # (the pool hands this connection to the next request).
    raw = connection.connection.dbapi_connection
    assert raw is not None
    before = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute(f"PRAGMA busy_timeout = {ms}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(before)}")
