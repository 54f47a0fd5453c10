"""The memory's tally (migration 0012): per programme, how many memory rows there are per state
and per colour of each action (see :class:`governance.incremental.Tally`).

One row per action and one per state: the daily step reads 10,000 rows at 100k items, where
the tally per (action, colour, state) of migration 0011 was 38,000 and the rows themselves
101,000. Each day changes the counts its rows moved between; a full run makes them the rows'
own again; a tally that does not add up to the rows is counted from them instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.tally import COLOUR_ORDER, Counts, Tally, TallyChanges
from store.dialect import insert_function, reader, sqlite_rows
from store.models_incremental import ActionTallyRow, ItemMemoryRow, StateTallyRow

_ACTIONS = ActionTallyRow.__tablename__
_STATES = StateTallyRow.__tablename__
_COLOURS = ", ".join(COLOUR_ORDER)  # the count columns, named as the colour values


def load_tally(session: Session, programme_id: str) -> Tally:
    """The stored tally when both its parts add up to the memory's rows and no count is below
    zero, else counted from the rows by the database (a row lost or added outside the cycle, a
    tally not yet stored, a hand edit). Counts moved between actions or colours outside the
    cycle, their sums unchanged, show when an action the day recounts falls below zero or a
    plan action has no count (a full run then), else they last until a full run makes the
    tally the rows' own again."""
    rows = _memory_rows(session, programme_id)
    tally = _stored_tally(session, programme_id, rows)
    if tally is not None:
        return tally
    return _counted(session, programme_id)


def _memory_rows(session: Session, programme_id: str) -> int:
    """How many memory rows the programme has. On SQLite, when the table holds no other
    programme's rows (two probes of the primary key tell, in the same statement), the table's
    own count: SQLite counts a B-tree's entries page by page without reading them (0.4 against
    4.8 ms for the 101,023 rows of the busiest day, which the index scan read one by one)."""
    connection = reader(session)
    if connection.dialect.name == "sqlite":
        return int(connection.exec_driver_sql(_SQLITE_ROWS, (programme_id,)).scalar_one())
    m = ItemMemoryRow
    count = sa.select(sa.func.count()).where(m.programme_id == programme_id)
    return int(connection.execute(count).scalar_one())


_MEMORY = ItemMemoryRow.__tablename__
_SQLITE_ROWS = f"""SELECT CASE
    WHEN EXISTS (SELECT 1 FROM {_MEMORY} WHERE programme_id < ?1)
      OR EXISTS (SELECT 1 FROM {_MEMORY} WHERE programme_id > ?1)
    THEN (SELECT count(*) FROM {_MEMORY} WHERE programme_id = ?1)
    ELSE (SELECT count(*) FROM {_MEMORY}) END"""


def stored_tally(session: Session, programme_id: str, rows: int) -> Tally | None:
    """The stored tally, when it adds up to the memory's ``rows`` (their number) and no count
    is below zero; else None."""
    # Apart from load_tally's own call, so benchmarks/step.py times the two as two phases.
    return _stored_tally(session, programme_id, rows)


def _stored_tally(session: Session, programme_id: str, rows: int) -> Tally | None:
    connection = reader(session)
    params = (programme_id,)
    if connection.dialect.name == "sqlite":
        # Straight from the driver (plain integers, nothing to convert): 10,000 rows a day.
        states: dict[str, int] = {
            state: n for state, n in connection.exec_driver_sql(_SQLITE_STATES, params)
        }
        actions = {
            row[0]: row[1:]
            for chunk in sqlite_rows(connection, _SQLITE_ACTIONS, params, 20_000)
            for row in chunk
        }
    else:
        s, a = StateTallyRow, ActionTallyRow
        query = sa.select(s.state, s.item_count).where(s.programme_id == programme_id)
        states = dict(connection.execute(query).tuples().all())
        columns = [getattr(a, name) for name in COLOUR_ORDER]
        read = sa.select(a.action_code, *columns).where(a.programme_id == programme_id)
        actions = {row[0]: tuple(row[1:]) for row in connection.execute(read)}
    tally = Tally.of_counts(states, actions, stored=True)
    if not tally.items == rows == sum(states.values()):
        return None
    # A count below zero (a hand edit) passes the sums but would colour an action the day does
    # not recount: refused here, for every action (one C-level pass over 10,000 tuples).
    if min(states.values(), default=0) < 0 or min(map(min, actions.values()), default=0) < 0:
        return None
    return tally


_SQLITE_STATES = f"SELECT state, item_count FROM {_STATES} WHERE programme_id = ?"
_SQLITE_ACTIONS = f"SELECT action_code, {_COLOURS} FROM {_ACTIONS} WHERE programme_id = ?"


def _counted(session: Session, programme_id: str) -> Tally:
    """The tally counted from the memory rows by the database (one scan each, grouped)."""
    connection = reader(session)
    states = dict(connection.execute(_state_counts(programme_id)).tuples().all())
    actions = {row[0]: tuple(row[1:]) for row in connection.execute(_action_counts(programme_id))}
    return Tally.of_counts(states, actions)


def _state_counts(programme_id: str, *, with_programme: bool = False) -> sa.Select[Any]:
    """(state, items) of the memory rows (first the programme id when ``with_programme``, for
    an ``INSERT … SELECT``)."""
    m = ItemMemoryRow
    head = [m.programme_id, m.state] if with_programme else [m.state]
    return (
        sa.select(*head, sa.func.count())
        .where(m.programme_id == programme_id)
        .group_by(m.programme_id, m.state)
    )


def _action_counts(programme_id: str, *, with_programme: bool = False) -> sa.Select[Any]:
    """(action, grey, green, amber, red) per action of the memory rows (first the programme
    id when ``with_programme``, for an ``INSERT … SELECT``)."""
    m = ItemMemoryRow
    counts = [
        sa.func.sum(sa.case((m.rag == value, 1), else_=0)).label(value) for value in COLOUR_ORDER
    ]
    head = [m.programme_id, m.action_code] if with_programme else [m.action_code]
    return (
        sa.select(*head, *counts)
        .where(m.programme_id == programme_id)
        .group_by(m.programme_id, m.action_code)
    )


def save_tally(session: Session, programme_id: str, changes: TallyChanges | None) -> None:
    """Write the tally's changed counts (0, all 0: delete), or count it again from the rows
    (None); after the rows are written, in the same transaction."""
    a, s = ActionTallyRow, StateTallyRow
    if changes is None:
        session.execute(sa.delete(a).where(a.programme_id == programme_id))
        session.execute(sa.delete(s).where(s.programme_id == programme_id))
        columns = ["programme_id", "action_code", *COLOUR_ORDER]
        session.execute(
            sa.insert(a).from_select(columns, _action_counts(programme_id, with_programme=True))
        )
        counted = _state_counts(programme_id, with_programme=True)
        session.execute(sa.insert(s).from_select(["programme_id", "state", "item_count"], counted))
        return
    _write(session, programme_id, changes.states, changes.actions)


def _write(
    session: Session,
    programme_id: str,
    states: Mapping[str, int],
    actions: Mapping[str, Counts],
) -> None:
    kept_states = [(programme_id, state, n) for state, n in states.items() if n]
    gone_states = [(programme_id, state) for state, n in states.items() if not n]
    kept = [(programme_id, code, *counts) for code, counts in actions.items() if any(counts)]
    gone = [(programme_id, code) for code, counts in actions.items() if not any(counts)]
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # A few hundred actions a day: plain tuples to the driver's executemany.
        for sql, rows in (
            (_SQLITE_STATE_UPSERT, kept_states),
            (_SQLITE_STATE_DELETE, gone_states),
            (_SQLITE_ACTION_UPSERT, kept),
            (_SQLITE_ACTION_DELETE, gone),
        ):
            if rows:
                connection.exec_driver_sql(sql, rows)
        return
    insert = insert_function(session)
    if kept_states:
        upsert = insert(StateTallyRow)
        upsert = upsert.on_conflict_do_update(
            index_elements=["programme_id", "state"],
            set_={"item_count": upsert.excluded.item_count},
        )
        state_names = ("programme_id", "state", "item_count")
        connection.execute(
            upsert, [dict(zip(state_names, row, strict=True)) for row in kept_states]
        )
    if kept:
        upsert = insert(ActionTallyRow)
        upsert = upsert.on_conflict_do_update(
            index_elements=["programme_id", "action_code"],
            set_={name: upsert.excluded[name] for name in COLOUR_ORDER},
        )
        names = ("programme_id", "action_code", *COLOUR_ORDER)
        connection.execute(upsert, [dict(zip(names, row, strict=True)) for row in kept])
    s, a = StateTallyRow, ActionTallyRow
    p: Any = sa.bindparam("p")
    code: Any = sa.bindparam("c")
    if gone_states:
        statement = sa.delete(s).where(s.programme_id == p, s.state == code)
        connection.execute(statement, [{"p": pid, "c": state} for pid, state in gone_states])
    if gone:
        statement = sa.delete(a).where(a.programme_id == p, a.action_code == code)
        connection.execute(statement, [{"p": pid, "c": action} for pid, action in gone])


_SQLITE_STATE_UPSERT = f"""INSERT INTO {_STATES} (programme_id, state, item_count)
    VALUES (?, ?, ?) ON CONFLICT (programme_id, state)
    DO UPDATE SET item_count = excluded.item_count"""
_SQLITE_STATE_DELETE = f"DELETE FROM {_STATES} WHERE programme_id = ? AND state = ?"
_SQLITE_ACTION_UPSERT = f"""INSERT INTO {_ACTIONS} (programme_id, action_code, {_COLOURS})
    VALUES (?, ?, {", ".join("?" * len(COLOUR_ORDER))}) ON CONFLICT (programme_id, action_code)
    DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in COLOUR_ORDER)}"""
_SQLITE_ACTION_DELETE = f"DELETE FROM {_ACTIONS} WHERE programme_id = ? AND action_code = ?"
