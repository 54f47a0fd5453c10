"""Tables as an older migration made them, for tests that write rows before the head.

Migration 0018 added ``recorded_by`` columns whose default (the acting person) today's models
put in every insert; a database at an earlier revision has no such column.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

#: Columns added by migration 0018 (store/migrations/versions/0018_audit_trail.py).
AUDIT_COLUMNS = frozenset(
    {"recorded_by", "created_by", "revoked_by", "disabled_by", "forgotten_by"}
)


def before_0018(model: Any) -> sa.TableClause:
    """``model``'s table without the columns of migration 0018 (types kept, no defaults)."""
    table: sa.Table = model.__table__
    columns = [sa.column(c.name, c.type) for c in table.c if c.name not in AUDIT_COLUMNS]
    return sa.table(table.name, *columns)


#: Outbox columns added after revisions that tests go back to and then write with today's code
#: (migration 0022: ``first_attempt_at``, which the sender sets when it claims a message).
LATER_OUTBOX_COLUMNS = ("first_attempt_at",)


@contextmanager
def later_outbox_columns(engine: sa.Engine) -> Iterator[None]:
    """Today's outbox columns on a database at an earlier revision for the block (so today's
    sender can write there), removed again before the test upgrades it."""
    timestamp = "TIMESTAMP WITH TIME ZONE" if engine.dialect.name == "postgresql" else "DATETIME"
    with engine.begin() as connection:
        for column in LATER_OUTBOX_COLUMNS:
            connection.execute(sa.text(f"ALTER TABLE outbox ADD COLUMN {column} {timestamp}"))
    try:
        yield
    finally:
        engine.dispose()
        with engine.begin() as connection:
            for column in LATER_OUTBOX_COLUMNS:
                connection.execute(sa.text(f"ALTER TABLE outbox DROP COLUMN {column}"))
