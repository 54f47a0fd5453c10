"""The dated items of the synced plan, for `regie plan validate`'s "lost its date" warnings.

A SQLite file is read read-only with the standard library's ``sqlite3``: SQLAlchemy's import
alone (≈ 0.3 s) would be most of the command. A server goes through SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Actions and milestones with a due date in the synced plan, not archived: (code, gereed).
DATED_ITEMS = " UNION ALL ".join(
    f"SELECT code, gereed FROM {table} WHERE programme_id = {{programme}}"
    " AND archived_at IS NULL AND period_end IS NOT NULL"
    for table in ("actions", "milestones")
)


def dated_items_in_file(database: Path, programme_id: str) -> list[tuple[str, str | None]]:
    """Read-only (``mode=ro``: nothing created, nothing migrated); sqlite3 errors propagate."""
    uri = f"file:{quote(str(database.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        sql = DATED_ITEMS.format(programme="?")
        rows = connection.execute(sql, (programme_id, programme_id)).fetchall()
    finally:
        connection.close()
    return [(str(code), gereed) for code, gereed in rows]


def dated_items_on_server(engine: Engine, programme_id: str) -> list[tuple[str, str | None]]:
    import sqlalchemy as sa

    sql = sa.text(DATED_ITEMS.format(programme=":programme"))
    with engine.connect() as connection:
        rows = connection.execute(sql, {"programme": programme_id}).tuples().all()
    return [(str(code), gereed) for code, gereed in rows]
