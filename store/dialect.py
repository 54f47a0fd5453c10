"""What differs between SQLite and PostgreSQL in the repository's statements."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")

#: Bound parameters per statement: well under SQLite's limit (32,766 since 3.32).
MAX_PARAMETERS = 10_000


def dialect_name(session: Session) -> str:
    return session.get_bind().dialect.name


def reader(session: Session) -> Connection:
    """The session's connection (same transaction), for reads of many plain rows.

    ``session.execute`` wraps every row of even a Core ``SELECT`` of columns in the ORM's
    result machinery: about half the cost of reading 100,000 memory rows. Pending ORM changes
    are flushed first, so the rows read include them, as through the session.
    """
    session.flush()
    return session.connection()


def insert_function(session: Session) -> Callable[..., Any]:
    """The dialect's ``insert``, which has ``on_conflict_do_nothing`` / ``…_do_update``."""
    dialect = dialect_name(session)
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"the store supports SQLite and PostgreSQL, not {dialect}")


def batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def batch_size(columns: int) -> int:
    """Rows per multi-row INSERT with ``columns`` bound values each."""
    return max(1, MAX_PARAMETERS // columns)
