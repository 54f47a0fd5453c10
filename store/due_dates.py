"""The synced plan's due dates and the decisions that moved them, for `regie plan validate`'s
"due date moved without a decision" warnings (read-only, like :mod:`store.plan_dates`: SQLite
through the standard library's ``sqlite3``, a server through SQLAlchemy)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

#: Actions and milestones of the synced plan, not archived: (code, gereed, period_end, title,
#: entity, parent: an action's step number, a milestone's action id).
STORED = " UNION ALL ".join(
    f"SELECT code, gereed, period_end, title, '{entity}', {parent} FROM {table} AS item"
    " WHERE programme_id = {programme} AND archived_at IS NULL"
    for table, entity, parent in (
        ("actions", "action", "CAST(step_number AS VARCHAR(16))"),
        ("milestones", "milestone", "(SELECT a.code FROM actions a WHERE a.id = item.action_id)"),
    )
)
#: (item, gereed_after, kind) of every decision that moved a date or dropped an item.
DECIDED = (
    "SELECT item_code, gereed_after, kind FROM decisions WHERE programme_id = {programme}"
    " AND kind IN ('set_gereed', 'cancel') AND item_code IS NOT NULL"
)

#: The items a status update made cancelled (a decision's, the plan file's, the office's).
DROPPED = (
    "SELECT DISTINCT item_code FROM status_updates WHERE programme_id = {programme}"
    " AND status = 'cancelled'"
)

Stored = dict[str, tuple[str | None, date | None]]
Decided = set[tuple[str, str | None]]


class Synced(NamedTuple):
    """What `regie plan validate` compares the file with."""

    stored: Stored  # code → (gereed, due)
    decided: Decided  # (item, gereed_after) of the decisions that moved a date
    titles: dict[str, tuple[str, str]]  # code → (title, "action" or "milestone")
    cancelled: set[str]  # the items a decision dropped
    parents: dict[str, str]  # code → an action's step number, a milestone's action id
    dropped: frozenset[str] = frozenset()  # the items an update made cancelled, ever


def _synced(
    rows: Iterable[Sequence[Any]],
    decisions: Iterable[Sequence[Any]],
    dropped: Iterable[Sequence[Any]] = (),
) -> Synced:
    stored: Stored = {}
    titles: dict[str, tuple[str, str]] = {}
    parents: dict[str, str] = {}
    for code, gereed, end, title, entity, parent in rows:
        stored[str(code)] = (gereed, _day(end))
        titles[str(code)] = (str(title or ""), str(entity))
        parents[str(code)] = str(parent or "")
    decided: Decided = set()
    cancelled: set[str] = set()
    for item, gereed, kind in decisions:
        if kind == "cancel":
            cancelled.add(str(item))
        else:
            decided.add((str(item), gereed))
    gone = frozenset(str(r[0]) for r in dropped)
    return Synced(stored, decided, titles, cancelled, parents, gone)


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def stored_in_file(database: Path, programme_id: str) -> Synced:
    """Read-only (``mode=ro``: nothing created, nothing migrated); sqlite3 errors propagate."""
    uri = f"file:{quote(str(database.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    try:
        rows = connection.execute(STORED.format(programme="?"), (programme_id, programme_id))
        stored = rows.fetchall()
        decided = connection.execute(DECIDED.format(programme="?"), (programme_id,)).fetchall()
        dropped = connection.execute(DROPPED.format(programme="?"), (programme_id,)).fetchall()
    finally:
        connection.close()
    return _synced(stored, decided, dropped)


def stored_on_server(engine: Engine, programme_id: str) -> Synced:
    with engine.connect() as connection:
        return stored_on(connection, programme_id)


def stored_on(connection: Connection, programme_id: str) -> Synced:
    """The same read on an open connection (either database)."""
    import sqlalchemy as sa

    params = {"programme": programme_id}
    rows = connection.execute(sa.text(STORED.format(programme=":programme")), params)
    decided = connection.execute(sa.text(DECIDED.format(programme=":programme")), params)
    dropped = connection.execute(sa.text(DROPPED.format(programme=":programme")), params)
    return _synced(rows.tuples().all(), decided.tuples().all(), dropped.tuples().all())
