"""Item states (the assessment's memory between days) and the prompt history.

``item_states`` holds a row for a day only where an item's (state, rag, stale, due) differs from
its latest row on an earlier day, so "the state on day D" is each item's latest row up to D.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from governance.reminders import PromptRecord, new_prompt_record
from store.dialect import (
    IsoDays,
    Repeated,
    arrays_worthwhile,
    batches,
    dialect_name,
    insert_function,
    reader,
    sqlite_rows,
    staged,
)
from store.models import ItemStateRow, PromptRow
from store.records import PreviousStates, StateRecord

#: Item codes per ``DELETE … IN (…)``.
DELETE_BATCH = 1000
#: Up to this many states to record, the day's rows are read for those items only.
_FEW = 5 * DELETE_BATCH

_Value = tuple[str, str, bool, date | None]  # what a row says: (state, rag, stale, due)


def latest_states(
    session: Session, programme_id: str, day: date, *, inclusive: bool
) -> list[tuple[StateRecord, date]]:
    """Each item's latest row before ``day`` (or on it, with ``inclusive``), with its as_of.

    One pass with a window function, in the order of the unique index (programme_id, item_code,
    as_of). Not a join on each item's greatest as_of: with stale statistics (right after a big
    first insert) PostgreSQL joined that through the (programme_id, as_of) index, scanning a
    whole day per item.
    """
    return [
        (StateRecord(code, state, rag, stale, due), as_of)
        for code, state, rag, stale, due, as_of in _latest_rows(
            session, programme_id, day, inclusive=inclusive
        )
    ]


def _latest_rows(
    session: Session,
    programme_id: str,
    day: date,
    *,
    inclusive: bool,
    codes: Collection[str] | None = None,
) -> list[tuple[str, str, str, bool, date | None, date]]:
    """:func:`latest_states` as plain tuples (code, state, rag, stale, due, as_of), of every
    item or of ``codes`` only."""
    s = ItemStateRow
    bound = s.as_of <= day if inclusive else s.as_of < day
    if codes is not None:
        bound = sa.and_(bound, s.item_code.in_(list(codes)))
    ranked = (
        sa.select(
            s.item_code,
            s.state,
            s.rag,
            s.stale,
            s.due,
            s.as_of,
            sa.func.row_number()
            .over(partition_by=s.item_code, order_by=s.as_of.desc())
            .label("newest"),
        )
        .where(s.programme_id == programme_id, bound)
        .subquery()
    )
    c = ranked.c
    query = sa.select(c.item_code, c.state, c.rag, c.stale, c.due, c.as_of).where(c.newest == 1)
    return reader(session).execute(query).tuples().all()  # type: ignore[return-value]


def previous_states(session: Session, programme_id: str, before: date) -> PreviousStates | None:
    return previous_values(session, programme_id, before)[0]


def previous_values(
    session: Session, programme_id: str, before: date
) -> tuple[PreviousStates | None, dict[str, _Value]]:
    """:func:`previous_states`, and each item's latest (state, rag, stale, due) before
    ``before``, which :func:`record_states` takes as ``earlier``: one read, not two (a full
    assessment of 100,000 items read them twice, ≈ 0.8 s each on SQLite)."""
    connection = reader(session)
    if connection.dialect.name == "sqlite":
        values, newest = _sqlite_latest_values(connection, programme_id, before)
    else:
        rows = _latest_rows(session, programme_id, before, inclusive=False)
        values, newest = _values(rows), max((row[5] for row in rows), default=None)
    if newest is None:
        return None, {}
    previous = PreviousStates(
        states={code: state for code, (state, _, _, _) in values.items()},
        stale=frozenset(code for code, (_, _, stale, _) in values.items() if stale),
        as_of=newest,
    )
    return previous, values


#: Each item's latest row before a day, on SQLite: with one ``max()`` the other (bare) columns
#: are the max row's (SQLite's documented rule; one row an item and day, so no tie). The unary
#: ``+`` keeps the planner on the (programme, item, day) index, read in item order without a
#: sort: half the window function's time (≈ 0.13 against 0.25 s at 100k items).
_SQLITE_LATEST = f"""SELECT item_code, state, rag, stale, due, max(as_of)
    FROM {ItemStateRow.__tablename__} WHERE programme_id = ? AND +as_of < ? GROUP BY item_code"""


def _sqlite_latest_values(
    connection: sa.Connection, programme_id: str, before: date
) -> tuple[dict[str, _Value], date | None]:
    """:func:`_values` of every item's latest row before ``before``, and the latest day of
    them (None: no row), on SQLite straight from the driver: each stored day (ISO text) made
    a date once, where SQLAlchemy processed every value (≈ 0.45 against 0.83 s with
    :func:`previous_values`' own work, 101,023 items)."""
    day = IsoDays()  # a subscript per value, a conversion per distinct day
    newest = ""  # ISO days compare as the days do
    values: dict[str, _Value] = {}
    for chunk in sqlite_rows(
        connection, _SQLITE_LATEST, (programme_id, before.isoformat()), 20_000
    ):
        newest = max(newest, max(row[5] for row in chunk))
        values.update(
            (code, (state, rag, stale != 0, day[due])) for code, state, rag, stale, due, _ in chunk
        )
    return values, day[newest] if newest else None


def previous_values_of(
    session: Session, programme_id: str, before: date, item_ids: Collection[str]
) -> dict[str, _Value]:
    """:func:`previous_values`' second value for ``item_ids`` only (those with a row): the
    items a full assessment does not find in the memory (new to it, or restored)."""
    out: dict[str, _Value] = {}
    for codes in batches(sorted(item_ids), DELETE_BATCH):
        rows = _latest_rows(session, programme_id, before, inclusive=False, codes=codes)
        out.update(_values(rows))
    return out


def _values(rows: Iterable[tuple[str, str, str, bool, date | None, date]]) -> dict[str, _Value]:
    """Item code → (state, rag, stale, due) of :func:`_latest_rows`' rows."""
    return {code: (state, rag, bool(stale), due) for code, state, rag, stale, due, _ in rows}


def last_assessed(session: Session, programme_id: str) -> date | None:
    """The latest day a deadline check was recorded for (not merely the last day a state
    changed: that would let an earlier day in again and re-announce what a later day did)."""
    from store.models_faults import AssessedDayRow

    days = sa.select(sa.func.max(AssessedDayRow.as_of)).where(
        AssessedDayRow.programme_id == programme_id
    )
    states = sa.select(sa.func.max(ItemStateRow.as_of)).where(
        ItemStateRow.programme_id == programme_id
    )
    found = [d for d in (session.scalar(days), session.scalar(states)) if d is not None]
    return max(found, default=None)


def first_assessed(
    session: Session, programme_id: str, recorded_until: datetime | None = None
) -> date | None:
    """The earliest day a deadline check was recorded for: from then on the daily run was
    there to prepare the meetings (a meeting before it got no pack through no fault). The
    programme's one day; each item's own first day (the stale clock) is another thing:
    :func:`store.first_assessed.first_assessed_days`. ``recorded_until``: among the checks
    recorded up to then (a pack made again as of its cut-off)."""
    from store.models_faults import AssessedDayRow

    days = sa.select(sa.func.min(AssessedDayRow.as_of)).where(
        AssessedDayRow.programme_id == programme_id
    )
    states = sa.select(sa.func.min(ItemStateRow.as_of)).where(
        ItemStateRow.programme_id == programme_id
    )
    if recorded_until is not None:
        days = days.where(AssessedDayRow.recorded_at <= recorded_until)
        states = states.where(ItemStateRow.recorded_at <= recorded_until)
    found = [d for d in (session.scalar(days), session.scalar(states)) if d is not None]
    return min(found, default=None)


def record_assessed_day(
    session: Session, programme_id: str, as_of: date, recorded_at: datetime
) -> None:
    """Remember that ``as_of`` was assessed (once: a rerun of the same day adds nothing)."""
    from store.models_faults import AssessedDayRow

    insert = insert_function(session)
    session.execute(
        insert(AssessedDayRow)
        .values(programme_id=programme_id, as_of=as_of, recorded_at=recorded_at)
        .on_conflict_do_nothing(index_elements=["programme_id", "as_of"])
    )


def _value(record: StateRecord) -> _Value:
    return (record.state, record.rag, bool(record.stale), record.due)


def record_states(
    session: Session,
    programme_id: str,
    as_of: date,
    states: Iterable[StateRecord],
    recorded_at: datetime,
    earlier: Mapping[str, _Value] | None = None,
) -> int:
    """Store the states of ``as_of``; return how many rows were inserted, updated or deleted.

    A row is written only where an item differs from its latest earlier row. Rerunning a day
    overwrites that day's row, or removes it when the item is back to its earlier state, so the
    earlier days (and what :func:`previous_states` says about them) never change. Rerunning a
    day before the latest recorded one also changes later days that have no row of their own
    (no row means "as the day before"); the daily cycle and replay run days in order.
    ``earlier``: the second value of :func:`previous_values` for ``as_of``, when already read.
    """
    wanted: dict[str, _Value] = {}
    for record in states:
        if record.item_id in wanted:
            raise ValueError(f"item {record.item_id!r} appears twice in the states for {as_of}")
        wanted[record.item_id] = _value(record)
    return record_values(session, programme_id, as_of, wanted, recorded_at, earlier)


def record_values(
    session: Session,
    programme_id: str,
    as_of: date,
    wanted: Mapping[str, _Value],
    recorded_at: datetime,
    earlier: Mapping[str, _Value] | None = None,
) -> int:
    """:func:`record_states` with each item's (state, rag, stale, due) as a tuple, ``stale`` a
    bool: what a full assessment has of every item, without a record made for each."""
    if not wanted:
        return 0
    if earlier is None:
        earlier = _values(_latest_rows(session, programme_id, as_of, inclusive=False))
    s = ItemStateRow
    query = sa.select(s.item_code, s.state, s.rag, s.stale, s.due).where(
        s.programme_id == programme_id, s.as_of == as_of
    )
    # A few items (a rerun of the day after an answer): their rows of the day only, not every
    # row the day's first run wrote (all of them on a programme's first day).
    found = (
        [r for codes in batches(sorted(wanted), DELETE_BATCH)
         for r in session.execute(query.where(s.item_code.in_(codes)))]
        if len(wanted) <= _FEW else session.execute(query)
    )  # fmt: skip
    same_day = {r.item_code: (r.state, r.rag, r.stale, r.due) for r in found}
    changed: list[tuple[str, _Value]] = []
    deletes: list[str] = []
    if same_day:
        for code, value in wanted.items():
            if earlier.get(code) == value:
                if code in same_day:
                    deletes.append(code)  # a rerun found the item back where it was
            elif same_day.get(code) != value:
                changed.append((code, value))
    else:  # the day's first run: a row where an item differs from its earlier one (one pass)
        before = earlier.get
        changed = [(code, value) for code, value in wanted.items() if before(code) != value]
    if changed and dialect_name(session) == "sqlite":
        _upsert_sqlite(session, programme_id, as_of, changed, recorded_at)
    elif changed:
        upserts = [
            {
                "programme_id": programme_id,
                "item_code": code,
                "as_of": as_of,
                "state": state,
                "rag": rag,
                "stale": stale,
                "due": due,
                "recorded_at": recorded_at,
            }
            for code, (state, rag, stale, due) in changed
        ]
        _upsert(session, upserts)
    for codes in batches(deletes, DELETE_BATCH):
        session.execute(
            sa.delete(ItemStateRow)
            .where(
                s.programme_id == programme_id,
                s.as_of == as_of,
                s.item_code.in_(list(codes)),
            )
            .execution_options(synchronize_session=False)
        )
    return len(changed) + len(deletes)


#: The columns a row of the day already written gets anew (last one wins).
_UPSERTED = ("state", "rag", "stale", "due", "recorded_at")
_SQLITE_UPSERT = (
    f"INSERT INTO {ItemStateRow.__tablename__} (programme_id, item_code, as_of, "
    f"{', '.join(_UPSERTED)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (programme_id, item_code, as_of) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _UPSERTED)
)


def _upsert_sqlite(
    session: Session,
    programme_id: str,
    as_of: date,
    changed: Iterable[tuple[str, _Value]],
    recorded_at: datetime,
) -> None:
    """SQLite: :func:`record_values`' rows as tuples to the driver's executemany, each value
    as the column type stores it (a day's text once per day, the flag as 0/1), the conflict
    clause as SQLAlchemy's: its per-row processing of a first run's 101,023 rows (the instant
    through :class:`~store.coltypes.UTCDateTime` on each) was ≈ 2 s of the step."""
    target = Repeated(session, ItemStateRow.__table__, ("as_of", "due", "recorded_at"))
    day, instant = target.value("as_of", as_of), target.value("recorded_at", recorded_at)
    text = target.value
    rows = [
        (programme_id, code, day, state, rag, 1 if stale else 0, text("due", due), instant)
        for code, (state, rag, stale, due) in changed
    ]
    session.connection().exec_driver_sql(_SQLITE_UPSERT, rows)


def _upsert(session: Session, upserts: list[dict[str, Any]]) -> None:
    """PostgreSQL: :func:`record_values`' rows (one per item: no key twice), inserted or, where
    the item's row of the day exists, overwritten. Many rows (a first run, a rebuild) go as one
    ``INSERT … SELECT`` of :func:`~store.dialect.staged` arrays, in input order (the ids as
    executemany gives them): executemany processed each row's values in Python, the instant
    through :class:`~store.coltypes.UTCDateTime` on each (RESULTS.md round 30)."""
    table = ItemStateRow.__table__
    connection = session.connection()
    insert = insert_function(session)(table)

    def on_conflict(statement: Any) -> Any:
        # Another run of the same day may have written the row since we read: last one wins.
        return statement.on_conflict_do_update(
            index_elements=["programme_id", "item_code", "as_of"],
            set_={name: statement.excluded[name] for name in _UPSERTED},
        )

    if arrays_worthwhile(connection, upserts):
        with staged(connection, table, upserts) as select:
            connection.execute(on_conflict(insert.from_select(list(upserts[0]), select)))
        return
    # On the table, not the ORM entity: the ORM groups rows by which values are None and
    # compiles a statement per group. executemany: one compiled statement (SQLAlchemy batches
    # the rows per round trip), where a multi-row VALUES would be compiled anew every batch.
    connection.execute(on_conflict(insert), upserts)


# --- prompts (append-only, idempotent) ----------------------------------------------------------


def prompt_history(session: Session, programme_id: str, until: date) -> list[PromptRecord]:
    p = PromptRow
    query = (
        sa.select(p.item_code, p.stage, p.contact_code, p.queued_on)
        .where(p.programme_id == programme_id, p.queued_on <= until)
        .order_by(p.queued_on, p.id)
    )
    make = new_prompt_record  # 75,000 records on a full run of 100,000 items
    return [make(*row) for row in reader(session).execute(query).tuples().all()]


def record_prompts(
    session: Session, programme_id: str, records: Iterable[PromptRecord], recorded_at: datetime
) -> int:
    """Insert prompts not recorded before (per item, stage, contact); return how many."""
    # Core executemany: one compilation (see record_new_events).
    target = Repeated(session, PromptRow.__table__, ("queued_on", "recorded_at"))
    table = target.table
    instant = target.value("recorded_at", recorded_at)
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record in records:
        rows.setdefault(
            (record.item_id, record.stage, record.contact_id),
            {
                "programme_id": programme_id,
                "item_code": record.item_id,
                "stage": record.stage,
                "contact_code": record.contact_id,
                "queued_on": target.value("queued_on", record.queued_on),
                "recorded_at": instant,
            },
        )
    if not rows:
        return 0
    values = list(rows.values())
    connection = session.connection()
    insert = insert_function(session)(table)
    conflict = ["programme_id", "item_code", "stage", "contact_code"]
    if arrays_worthwhile(connection, values):
        with staged(connection, PromptRow.__table__, values) as select:
            statement = (
                insert.from_select(list(values[0]), select)
                .on_conflict_do_nothing(index_elements=conflict)
                .returning(table.c.id)
            )
            return len(connection.execute(statement).all())
    statement = insert.on_conflict_do_nothing(index_elements=conflict).returning(table.c.id)
    return len(connection.execute(statement, values).all())
