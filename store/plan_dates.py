"""The dated items of the synced plan, for `regie plan validate`'s "lost its date" warnings,
and the actions whose milestones take their ``depends_on``, for its notes when one gets a
*gereed* of its own.

A SQLite file is read read-only with the standard library's ``sqlite3``: SQLAlchemy's import
alone (≈ 0.3 s) would be most of the command. A server goes through SQLAlchemy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
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


#: Actions of the synced plan with milestones and no gereed, not archived: (code, depends_on).
INHERITING_ACTIONS = (
    "SELECT a.code, a.depends_on FROM actions AS a WHERE a.programme_id = {programme}"
    " AND a.archived_at IS NULL AND a.gereed IS NULL AND EXISTS (SELECT 1 FROM milestones AS m"
    " WHERE m.action_id = a.id AND m.archived_at IS NULL)"
)


def inheriting_actions_in_file(database: Path, programme_id: str) -> dict[str, tuple[str, ...]]:
    """Read-only, as :func:`dated_items_in_file`: action code → its ``depends_on``."""
    uri = f"file:{quote(str(database.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        rows = connection.execute(INHERITING_ACTIONS.format(programme="?"), (programme_id,))
        return _depends_on(rows.fetchall())
    finally:
        connection.close()


def inheriting_actions_on_server(engine: Engine, programme_id: str) -> dict[str, tuple[str, ...]]:
    import sqlalchemy as sa

    sql = sa.text(INHERITING_ACTIONS.format(programme=":programme"))
    with engine.connect() as connection:
        rows = connection.execute(sql, {"programme": programme_id}).tuples().all()
    return _depends_on(rows)


def _depends_on(rows: Iterable[tuple[Any, Any]]) -> dict[str, tuple[str, ...]]:
    """The rows' ``depends_on`` (JSON text on SQLite, decoded by the server's driver) by code;
    actions without one left out."""
    out: dict[str, tuple[str, ...]] = {}
    for code, value in rows:
        ids = json.loads(value) if isinstance(value, str | bytes) else value
        if ids:
            out[str(code)] = tuple(str(i) for i in ids)
    return out
