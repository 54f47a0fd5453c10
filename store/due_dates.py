"""The synced plan's due dates and the decisions that moved them, for `regie plan validate`'s
"due date moved without a decision" warnings (read-only, like :mod:`store.plan_dates`: SQLite
through the standard library's ``sqlite3``, a server through SQLAlchemy)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Actions and milestones of the synced plan, not archived: (code, gereed, period_end).
STORED = " UNION ALL ".join(
    f"SELECT code, gereed, period_end FROM {table} WHERE programme_id = {{programme}}"
    " AND archived_at IS NULL"
    for table in ("actions", "milestones")
)
#: (item, gereed_after) of every decision that moved a date.
DECIDED = (
    "SELECT item_code, gereed_after FROM decisions WHERE programme_id = {programme}"
    " AND kind = 'set_gereed' AND item_code IS NOT NULL"
)

Stored = dict[str, tuple[str | None, date | None]]
Decided = set[tuple[str, str | None]]


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def stored_in_file(database: Path, programme_id: str) -> tuple[Stored, Decided]:
    """Read-only (``mode=ro``: nothing created, nothing migrated); sqlite3 errors propagate."""
    uri = f"file:{quote(str(database.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        rows = connection.execute(STORED.format(programme="?"), (programme_id, programme_id))
        stored = {str(c): (g, _day(e)) for c, g, e in rows.fetchall()}
        decided = connection.execute(DECIDED.format(programme="?"), (programme_id,)).fetchall()
    finally:
        connection.close()
    return stored, {(str(i), g) for i, g in decided}


def stored_on_server(engine: Engine, programme_id: str) -> tuple[Stored, Decided]:
    import sqlalchemy as sa

    params = {"programme": programme_id}
    with engine.connect() as connection:
        rows = connection.execute(sa.text(STORED.format(programme=":programme")), params)
        stored = {str(c): (g, _day(e)) for c, g, e in rows.tuples().all()}
        decided = connection.execute(sa.text(DECIDED.format(programme=":programme")), params)
        return stored, {(str(i), g) for i, g in decided.tuples().all()}
