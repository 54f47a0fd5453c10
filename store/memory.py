"""Read and write the incremental assessment's memory (see :mod:`governance.incremental`).

SQL Core with only the columns needed: the item rows are read once a day for every item, so
they are plain tuples, not ORM objects.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from governance.incremental import Remembered, new_remembered
from governance.rag import State
from governance.reminders.overview import CLOSED, OpenItems
from governance.tally import TallyChanges
from store.dialect import (
    IsoDays,
    Repeated,
    arrays_worthwhile,
    batches,
    dialect_name,
    in_json_codes,
    insert_function,
    json_codes,
    reader,
    sqlite_rows,
    staged,
)
from store.models import ItemStateRow, StatusUpdateRow
from store.models_incremental import AssessmentMemoryRow, ItemMemoryRow
from store.tallies import save_tally

#: Item codes per ``IN (…)``: well under every driver's limit on bound parameters.
IN_BATCH = 900


@dataclass(frozen=True, slots=True)
class MemoryHeader:
    as_of: date
    basis: str
    plan_hash: str | None
    seen_update_id: int


def load_header(session: Session, programme_id: str) -> MemoryHeader | None:
    m = AssessmentMemoryRow
    row = session.execute(
        sa.select(m.as_of, m.basis, m.plan_hash, m.seen_update_id).where(
            m.programme_id == programme_id
        )
    ).first()
    return MemoryHeader(*row) if row is not None else None


def load_items(
    session: Session,
    programme_id: str,
    item_ids: Collection[str] | None = None,
    first_days: dict[str, date] | None = None,
) -> dict[str, Remembered]:
    """The remembered rows of every item, or of ``item_ids`` only (those the memory holds).
    ``first_days``: filled with the first assessed day each row keeps, where it keeps one."""
    m = ItemMemoryRow
    query = sa.select(*_ITEM_COLUMNS, m.first_assessed).where(m.programme_id == programme_id)
    if item_ids is None:
        return _remembered(reader(session).execute(query).all(), first_days)
    connection = reader(session)
    if connection.dialect.name == "sqlite" and item_ids:
        # Straight from the driver, as the due rows (the day's other chosen items and what
        # they depend on: hundreds, each row's dates through SQLAlchemy's processing else).
        params = (programme_id, json_codes(item_ids))
        return _sqlite_remembered(connection, _SQLITE_SOME, params, None, first_days)
    return _remembered(_in_codes(session, query, m.item_code, item_ids), first_days)


def load_due(
    session: Session,
    programme_id: str,
    as_of: date,
    rowids: dict[str, int] | None = None,
    first_days: dict[str, date] | None = None,
) -> dict[str, Remembered]:
    """The remembered rows of the items whose next check has come (``next_check <= as_of``):
    most of a day's choice, read without the other items' rows. ``rowids`` (SQLite): filled
    with each row's rowid, which :func:`save` takes, in the same transaction, to move next
    checks without a look-up of the primary key per row. ``first_days``: filled with the
    first assessed day the row keeps (:data:`FIRST_COLUMN`), where it keeps one."""
    m = ItemMemoryRow
    connection = reader(session)
    if connection.dialect.name == "sqlite":
        # No index has next_check (one costs the day's write what it saves this read: RESULTS
        # rounds 9 and 18), so every row of the programme is read. When the table holds no
        # other programme's rows (two probes of the primary key tell) it is read in storage
        # order; else through the primary key, a row look-up for each of the programme's rows
        # (the planner's own choice, ≈ 1.5× the scan's time at 100k rows).
        others = connection.exec_driver_sql(_SQLITE_OTHERS, (programme_id, programme_id))
        sql = _SQLITE_DUE if others.scalar() else _SQLITE_DUE_SCAN
        params = (programme_id, as_of.isoformat())
        return _sqlite_remembered(connection, sql, params, rowids, first_days)
    query = sa.select(*_ITEM_COLUMNS, m.first_assessed).where(
        m.programme_id == programme_id, m.next_check <= as_of
    )
    return _remembered(connection.execute(query).all(), first_days)


def load_all(
    session: Session, programme_id: str, first_days: dict[str, date] | None = None
) -> tuple[dict[str, Remembered], dict[str, str]]:
    """Every remembered row and its stored fingerprint, in one read: what a full assessment
    after another policy or calendar takes from the memory (each item's previous state, its
    latest update and forecast) and compares its own rows with (only changed rows written).
    ``first_days``: filled with the first assessed day each row keeps, where it keeps one."""
    m = ItemMemoryRow
    connection = reader(session)
    kept = first_days if first_days is not None else {}
    if connection.dialect.name == "sqlite":
        return _sqlite_all(connection, programme_id, kept)
    query = sa.select(*_ITEM_COLUMNS, m.fingerprint, m.first_assessed).where(
        m.programme_id == programme_id
    )
    make = new_remembered
    items: dict[str, Remembered] = {}
    fingerprints: dict[str, str] = {}
    for row in connection.execute(query).tuples().all():
        code = row[0]
        items[code] = make(row[1:-2])
        fingerprints[code] = row[-2]
        if row[-1] is not None:
            kept[code] = row[-1]
    return items, fingerprints


def _sqlite_all(
    connection: sa.Connection, programme_id: str, first_days: dict[str, date]
) -> tuple[dict[str, Remembered], dict[str, str]]:
    """:func:`load_all` on SQLite: the rows straight from the driver, each stored day (ISO
    text) turned into a date once (101,023 rows, four dates each, a few hundred distinct)."""
    day = IsoDays()  # a subscript per value, a conversion per distinct day
    make = new_remembered
    items: dict[str, Remembered] = {}
    fingerprints: dict[str, str] = {}
    for chunk in sqlite_rows(connection, _SQLITE_ALL, (programme_id,), 20_000):
        for (
            code, state, rag, stale, due, next_check, action, latest_id, latest_on,
            latest_status, forecast, latest_source, fingerprint, first,
        ) in chunk:  # fmt: skip
            items[code] = make((
                state, rag, stale == 1, day[due], day[next_check], action, latest_id,
                day[latest_on], latest_status, day[forecast], latest_source,
            ))  # fmt: skip
            fingerprints[code] = fingerprint
            if first is not None:
                first_days[code] = day[first]
    return items, fingerprints


def load_ids(session: Session, programme_id: str) -> set[str]:
    """The ids of every remembered item."""
    m = ItemMemoryRow
    query = sa.select(m.item_code).where(m.programme_id == programme_id)
    return set(reader(session).scalars(query).all())


def state_dues(session: Session, programme_id: str) -> list[tuple[str, date | None, int]]:
    """How many of the plan's remembered items (not those removed from it) have each state,
    with and without a deadline: (state value, a deadline of theirs or None, count). One
    aggregate read (:class:`governance.programme_end.OpenAfterEnd`)."""
    m = ItemMemoryRow
    undated = m.due.is_(None)
    query = (
        sa.select(m.state, sa.func.max(m.due), sa.func.count())
        .where(m.programme_id == programme_id, m.fingerprint != "")
        .group_by(m.state, undated)
    )
    return [(state, due, n) for state, due, n in reader(session).execute(query).tuples()]


def load_open_items(session: Session, programme_id: str) -> OpenItems:
    """The remembered items' ids by what the digests' overview counts of their state (open,
    overdue, ongoing): what else is open for the contacts with a digest of an incremental day
    (:func:`governance.reminders.count_open_elsewhere`). One row of three id lists, joined by
    the database: at 100k items a row per item cost ≈ 0.1 s of Python, this ≈ 45 ms
    (SQLite walking the rows ≈ 37 ms of it)."""
    m = ItemMemoryRow
    closed = sorted(CLOSED)

    def ids(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[str]:
        return sa.func.aggregate_strings(m.item_code, _SEPARATOR).filter(condition)

    query = sa.select(
        ids(m.state.not_in(closed)),
        ids(m.state == State.OVERDUE.value),
        ids(m.state == State.ONGOING.value),
    ).where(m.programme_id == programme_id)
    joined = reader(session).execute(query).one()
    open_, late, ongoing = (j.split(_SEPARATOR) if j else [] for j in joined)
    return OpenItems(open_, late, ongoing)


#: Between the ids :func:`load_open_items` has the database join (no plan code has one).
_SEPARATOR = "\n"


_ITEM_COLUMNS = (
    ItemMemoryRow.item_code,
    ItemMemoryRow.state,
    ItemMemoryRow.rag,
    ItemMemoryRow.stale,
    ItemMemoryRow.due,
    ItemMemoryRow.next_check,
    ItemMemoryRow.action_code,
    ItemMemoryRow.latest_id,
    ItemMemoryRow.latest_on,
    ItemMemoryRow.latest_status,
    ItemMemoryRow.forecast,
    ItemMemoryRow.latest_source,
)


def _remembered(
    rows: Sequence[Any], first_days: dict[str, date] | None = None
) -> dict[str, Remembered]:
    """The rows (the :data:`_ITEM_COLUMNS`, then the kept first assessed day) by code;
    ``first_days``: filled with the kept days."""
    if first_days is not None:
        first_days.update((row[0], row[-1]) for row in rows if row[-1] is not None)
    make = new_remembered  # the row's values as they come (``stale`` is a bool already)
    return {row[0]: make(row[1:-1]) for row in rows}


_SQLITE_DUE = f"""SELECT {", ".join(c.name for c in _ITEM_COLUMNS)}, first_assessed, rowid
    FROM {ItemMemoryRow.__tablename__} WHERE programme_id = ? AND next_check <= ?"""
_SQLITE_SOME = f"""SELECT {", ".join(c.name for c in _ITEM_COLUMNS)}, first_assessed, rowid
    FROM {ItemMemoryRow.__tablename__}
    WHERE programme_id = ? AND item_code IN (SELECT value FROM json_each(?))"""
#: The same as a scan of the table (the unary ``+`` keeps the planner off the primary key).
_SQLITE_DUE_SCAN = _SQLITE_DUE.replace("WHERE programme_id", "WHERE +programme_id")
#: Whether the memory holds rows of a programme other than the given one: two index probes.
_SQLITE_OTHERS = f"""SELECT EXISTS (SELECT 1 FROM {ItemMemoryRow.__tablename__}
    WHERE programme_id < ?) OR EXISTS (SELECT 1 FROM {ItemMemoryRow.__tablename__}
    WHERE programme_id > ?)"""
_SQLITE_ALL = f"""SELECT {", ".join(c.name for c in _ITEM_COLUMNS)}, fingerprint, first_assessed
    FROM {ItemMemoryRow.__tablename__} WHERE programme_id = ?"""


_CODE, _ROWID = operator.itemgetter(0), operator.itemgetter(-1)


def _sqlite_remembered(
    connection: sa.Connection,
    sql: str,
    params: Sequence[Any],
    rowids: dict[str, int] | None = None,
    first_days: dict[str, date] | None = None,
) -> dict[str, Remembered]:
    """:func:`_remembered` of ``sql`` (the :data:`_ITEM_COLUMNS`, the first assessed day,
    then the rowid) on SQLite,
    the rows straight from the driver (:func:`store.dialect.sqlite_rows`): each stored day
    (ISO text, as the column type writes it) turned into a date once, the flag into a bool.
    SQLAlchemy's per-row processing of 14,000 rows (four dates each) cost a third of the
    read. ``rowids``: filled with each code's rowid; ``first_days``: with each code's first
    assessed day, where the row keeps one."""
    rows = [row for chunk in sqlite_rows(connection, sql, params, 10_000) for row in chunk]
    if rowids is not None:
        rowids.update(zip(map(_CODE, rows), map(_ROWID, rows), strict=True))  # in C
    day = IsoDays()  # a subscript per value, a conversion per distinct day
    if first_days is not None:
        first_days.update((row[0], day[row[-2]]) for row in rows if row[-2] is not None)
    make = new_remembered
    return {
        code: make((
            state, rag, stale != 0, day[due], day[check], action, latest_id, day[on], status,
            day[forecast], source,
        ))
        for (
            code, state, rag, stale, due, check, action, latest_id, on, status, forecast, source,
            _, _,
        ) in rows
    }  # fmt: skip


def _in_codes(
    session: Session, query: sa.Select[Any], column: Any, codes: Collection[str]
) -> list[Any]:
    """The rows of ``query`` whose ``column`` is one of ``codes``, in one statement: on
    PostgreSQL with the codes as one array parameter, on SQLite as one JSON parameter."""
    connection = reader(session)
    if not codes:
        return []
    return list(connection.execute(query.where(_one_of(connection, column, codes))).all())


def _one_of(connection: sa.Connection, column: Any, codes: Collection[str]) -> Any:
    """``column`` is one of ``codes``, as one bound parameter (see :func:`_in_codes`)."""
    if connection.dialect.name == "postgresql":
        array = sa.bindparam("codes", sorted(codes), type_=postgresql.ARRAY(sa.String))
        return column == sa.any_(array)
    return in_json_codes(column, codes)


def load_fingerprints(session: Session, programme_id: str) -> dict[str, tuple[str, str]]:
    m = ItemMemoryRow
    query = sa.select(m.item_code, m.fingerprint, m.action_code).where(
        m.programme_id == programme_id
    )
    return {code: (fp, action) for code, fp, action in reader(session).execute(query).all()}


def newest_update_id(session: Session, since: int = 0) -> int:
    """The watermark of "updates stored since the last run" (``u.id > watermark`` next time):
    every update with an id up to it is visible now, or never will be (rolled back).

    Ids are handed out when a row is inserted, not when it commits: on PostgreSQL a transaction
    holding a lower id can commit after one holding a higher id, and max(id) would skip that
    update for good. So while another transaction may hold an update this snapshot cannot see,
    the watermark stops below the first id after ``since`` (the last watermark) that it cannot
    see; the next run reads from there again (a few updates read twice cost a few re-assessed
    items). SQLite serialises writers: its ids become visible in order, max(id) is right.
    """
    if session.get_bind().dialect.name != "postgresql":
        query = sa.select(sa.func.max(StatusUpdateRow.id))
        return int(session.execute(query).scalar_one_or_none() or 0)
    top, locked, seen, read_committed = session.execute(_PG_WATERMARK, {"since": since}).one()
    if not locked and read_committed:
        # Nobody holds the insert lock now; but a writer in flight at our snapshot may have
        # committed before the lock check. A second statement (a new snapshot under READ
        # COMMITTED) shows its rows: the same count means none of them fell below ``top``.
        # Rolled-back ids are gaps forever and no longer hold the watermark back.
        again = session.execute(_PG_COUNT, {"since": since, "top": top}).scalar_one()
        if again == seen:
            return int(top)
    return int(session.execute(_PG_FLOOR, {"since": since, "top": top}).scalar_one())


# One statement, so one snapshot: the newest visible id (``top``), whether another transaction
# of this database holds the lock an INSERT into status_updates takes (before it takes its
# id), and how many ids in (since, top] this snapshot sees.
_PG_WATERMARK = sa.text(
    """
    WITH top AS (
        SELECT greatest(CAST(:since AS bigint),
                        (SELECT max(id) FROM status_updates WHERE id > :since)) AS id
    )
    SELECT
        (SELECT id FROM top),
        EXISTS (
            SELECT FROM pg_locks
            WHERE locktype = 'relation' AND relation = to_regclass('status_updates')
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()
        ),
        (SELECT count(*) FROM status_updates WHERE id > :since AND id <= (SELECT id FROM top)),
        current_setting('transaction_isolation') = 'read committed'
    """
)

_PG_COUNT = sa.text("SELECT count(*) FROM status_updates WHERE id > :since AND id <= :top")

# The conservative watermark: just below the first id after ``since`` that is missing (it may
# belong to a transaction still in flight), else ``top``.
_PG_FLOOR = sa.text(
    """
    SELECT coalesce(min(c.id), CAST(:top AS bigint))
    FROM (
        SELECT CAST(:since AS bigint) AS id
        UNION ALL SELECT id FROM status_updates WHERE id > :since AND id < :top
    ) AS c
    WHERE c.id < :top AND NOT EXISTS (SELECT FROM status_updates s WHERE s.id = c.id + 1)
    """
)


def updated_items(
    session: Session, programme_id: str, *, after_id: int, after_day: date, through: date
) -> set[str]:
    """Items with an update stored after ``after_id`` or counting from a day in
    (``after_day``, ``through``]: recorded since the last run, or only now in the past."""
    u = StatusUpdateRow
    new = sa.select(u.item_code).where(u.programme_id == programme_id, u.id > after_id)
    due = sa.select(u.item_code).where(
        u.programme_id == programme_id, u.reported_on > after_day, u.reported_on <= through
    )
    return set(reader(session).scalars(sa.union(new, due)))


def earlier_states(
    session: Session, programme_id: str, before: date, item_ids: Collection[str]
) -> dict[str, tuple[str, bool]]:
    """The latest recorded (state, stale) before ``before`` of ``item_ids`` that have one."""
    s = ItemStateRow
    out: dict[str, tuple[str, bool]] = {}
    for codes in batches(sorted(item_ids), IN_BATCH):
        newest = (
            sa.select(s.item_code, sa.func.max(s.as_of).label("as_of"))
            .where(s.programme_id == programme_id, s.as_of < before, s.item_code.in_(codes))
            .group_by(s.item_code)
            .subquery()
        )
        query = sa.select(s.item_code, s.state, s.stale).join(
            newest,
            sa.and_(
                s.programme_id == programme_id,
                s.item_code == newest.c.item_code,
                s.as_of == newest.c.as_of,
            ),
        )
        rows = reader(session).execute(query).all()
        out.update((code, (state, bool(stale))) for code, state, stale in rows)
    return out


def append_states(
    session: Session,
    programme_id: str,
    as_of: date,
    changed: Iterable[tuple[str, str, str, bool, date | None]],
    recorded_at: datetime,
) -> int:
    """Insert ``item_states`` rows for items whose (state, rag, stale, due) differs from their
    latest row, known to be before ``as_of`` (the memory's day): no rerun, nothing to replace.
    On SQLite the rows go to the driver's executemany as plain tuples, each value as its
    column type stores it (converted once per distinct value by the type's own processor):
    through SQLAlchemy each row's parameters were processed one by one (≈ 2.5 µs a row more:
    1,022 rows on the quarter's busiest day at 100k items, 9–11 → 7–8 ms, RESULTS round 33)."""
    target = Repeated(session, ItemStateRow.__table__, ("as_of", "stale", "due", "recorded_at"))
    value = target.value
    day, instant = value("as_of", as_of), value("recorded_at", recorded_at)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        tuples = [
            (programme_id, code, day, state, rag, value("stale", stale), value("due", due), instant)
            for code, state, rag, stale, due in changed
        ]
        if tuples:
            connection.exec_driver_sql(_SQLITE_APPEND, tuples)
        return len(tuples)
    rows = [
        {
            "programme_id": programme_id,
            "item_code": code,
            "as_of": day,
            "state": state,
            "rag": rag,
            "stale": value("stale", stale),
            "due": value("due", due),
            "recorded_at": instant,
        }
        for code, state, rag, stale, due in changed
    ]
    if rows:
        connection.execute(sa.insert(target.table), rows)
    return len(rows)


_APPENDED = ("programme_id", "item_code", "as_of", "state", "rag", "stale", "due", "recorded_at")
_SQLITE_APPEND = f"""INSERT INTO {ItemStateRow.__tablename__} ({", ".join(_APPENDED)})
    VALUES ({", ".join("?" * len(_APPENDED))})"""


def save(
    session: Session,
    programme_id: str,
    header: MemoryHeader,
    items: Mapping[str, Remembered],
    fingerprints: Mapping[str, str] | None,
    *,
    replace_all: bool,
    recorded_at: datetime,
    drop: Collection[str] = (),
    tally: TallyChanges | None = None,
    stored: Mapping[str, Remembered] | None = None,
    rowids: Mapping[str, int] | None = None,
    first_days: Mapping[str, date | None] | None = None,
    stored_first: Mapping[str, date] | None = None,
) -> None:
    """Store the header and ``items`` (with their ``fingerprints``, else the stored ones);
    ``replace_all`` forgets every other item (on PostgreSQL writing only the rows that differ
    from the stored ones), ``drop`` forgets some. ``tally``: the
    new counts of the states and actions the rows moved between (:func:`governance.
    tally.tally_changes` against the stored tally); None, and always with
    ``replace_all``: the tally counted again from the rows.

    ``stored``: rows the memory holds now (read in this transaction), for some of ``items``.
    Without ``fingerprints``, an item whose row equals its stored one is not written, and one
    whose row differs from it only in its next check has that column updated instead of the
    row upserted: most of a day's rows (their check moves, nothing else: 12,743 of 14,341 on
    the quarter's busiest day at 100k items). Should fewer rows be found than updated, those
    are upserted whole as well (the same rows either way). ``rowids`` (SQLite, from
    :func:`load_due` in this transaction): the rows whose check moves found by them.

    ``first_days``: the items' first assessed days (as item_first_assessed holds them once
    the day's are recorded), kept in each row written (:data:`FIRST_COLUMN`; an item not in it
    keeps none, and its day is read from that table). ``stored_first``: the days the
    ``stored`` rows keep; a row whose day differs is written whole, not only its check."""
    m = ItemMemoryRow
    firsts: Mapping[str, date | None] = first_days if first_days is not None else {}
    if replace_all:
        tally = None  # changes against a tally of rows just deleted would not add up
    if replace_all and dialect_name(session) != "sqlite":
        # The memory made exactly ``items``: the stored rows of other items forgotten, and
        # only the rows that differ from the stored ones written (most do not: 14,134 of
        # 101,023 on the busiest day). Deleting and inserting every row took 3–4 s of the
        # server at 100k items; reading and comparing them ≈ 0.3 s. On SQLite both ways
        # cost the same (both are this process's work): rows deleted and inserted there.
        items, gone = _unlike_stored(session, programme_id, items, fingerprints, firsts)
        drop = [*drop, *gone]
        replace_all = False
    elif replace_all:
        session.execute(sa.delete(m).where(m.programme_id == programme_id))
    for codes in batches(sorted(drop), IN_BATCH):
        session.execute(sa.delete(m).where(m.programme_id == programme_id, m.item_code.in_(codes)))
    if stored and fingerprints is None and not replace_all:
        items, moved = _moved_checks(items, stored, firsts, stored_first or {})
        if moved and not _update_checks(session, programme_id, moved, rowids or {}):
            items = {**items, **moved}
    if items and dialect_name(session) == "sqlite":
        _save_sqlite(session, programme_id, items, fingerprints, firsts, replace_all=replace_all)
    elif items:
        # Core on the table, not the ORM entity: the ORM's bulk insert groups rows by which
        # values are None and compiles a statement per group (hundreds, measured). Thousands
        # of items share a few hundred dates: each is converted once.
        target = Repeated(session, ItemMemoryRow.__table__, (*_DAYS, FIRST_COLUMN))
        day = target.value
        first = firsts.get
        rows = [
            {
                "programme_id": programme_id,
                "item_code": code,
                "state": r.state,
                "rag": r.rag,
                "stale": r.stale,
                "due": day("due", r.due),
                "next_check": day("next_check", r.next_check),
                "action_code": r.action_id,
                "latest_id": r.latest_id,
                "latest_on": day("latest_on", r.latest_on),
                "latest_status": r.latest_status,
                "forecast": day("forecast", r.forecast),
                "latest_source": r.latest_source,
                "fingerprint": fingerprints[code] if fingerprints is not None else "",
                FIRST_COLUMN: day(FIRST_COLUMN, first(code)),
            }
            for code, r in items.items()
        ]
        table = target.table
        connection = session.connection()
        columns = [*_SAVED, FIRST_COLUMN]
        if fingerprints is not None:
            columns.append("fingerprint")
        if arrays_worthwhile(connection, rows):
            with staged(connection, ItemMemoryRow.__table__, rows) as select:
                statement = insert_function(session)(table).from_select(list(rows[0]), select)
                if not replace_all:
                    statement = statement.on_conflict_do_update(
                        index_elements=["programme_id", "item_code"],
                        set_={name: statement.excluded[name] for name in columns},
                    )
                connection.execute(statement)
        elif replace_all:
            connection.execute(sa.insert(table), rows)
        else:
            statement = insert_function(session)(table)
            statement = statement.on_conflict_do_update(
                index_elements=["programme_id", "item_code"],
                set_={name: statement.excluded[name] for name in columns},
            )
            connection.execute(statement, rows)
    save_tally(session, programme_id, tally)
    _save_header(session, programme_id, header, recorded_at)


def _unlike_stored(
    session: Session,
    programme_id: str,
    items: Mapping[str, Remembered],
    fingerprints: Mapping[str, str] | None,
    first_days: Mapping[str, date | None],
) -> tuple[dict[str, Remembered], list[str]]:
    """Of ``items``, those whose row (and fingerprint, else ``""``, and kept first assessed
    day) differs from the stored one or has none; and the codes of the stored rows of items
    not in ``items``. The stored values as the driver gives them (typed by the server: a date,
    a bool), compared with the row's."""
    m = ItemMemoryRow
    query = sa.select(*_ITEM_COLUMNS, m.fingerprint, m.first_assessed).where(
        m.programme_id == programme_id
    )
    rows = session.connection().execute(query).tuples()
    stored = {row[0]: tuple(row[1:]) for row in rows}
    gone = [code for code in stored if code not in items]
    found, first = stored.get, first_days.get
    differ = {
        code: r
        for code, r in items.items()
        if found(code) != (*r, fingerprints[code] if fingerprints is not None else "", first(code))
    }
    return differ, gone


def _moved_checks(
    items: Mapping[str, Remembered],
    stored: Mapping[str, Remembered],
    first_days: Mapping[str, date | None],
    stored_first: Mapping[str, date],
) -> tuple[dict[str, Remembered], dict[str, Remembered]]:
    """``items`` split into those to write whole and those whose stored row differs only in
    its next check; rows equal to the stored ones (their kept first assessed days too) are in
    neither."""
    whole: dict[str, Remembered] = {}
    moved: dict[str, Remembered] = {}
    found, first, kept = stored.get, first_days.get, stored_first.get
    for code, r in items.items():
        before = found(code)
        # All but next_check (position 4) compared.
        if (
            before is None
            or before[:4] != r[:4]
            or before[5:] != r[5:]
            or first(code) != kept(code)
        ):
            whole[code] = r
        elif before[4] != r[4]:
            moved[code] = r
    return whole, moved


_SQLITE_MOVE = f"""UPDATE {ItemMemoryRow.__tablename__} SET next_check = ?
    WHERE programme_id = ? AND item_code IN (SELECT value FROM json_each(?))"""
# The unary ``+`` keeps the planner off the primary key, which it otherwise picks for the
# programme and then scans for every rowid.
_SQLITE_MOVE_ROWIDS = f"""UPDATE {ItemMemoryRow.__tablename__} SET next_check = ?
    WHERE rowid IN (SELECT value FROM json_each(?)) AND +programme_id = ?"""


def _update_checks(
    session: Session,
    programme_id: str,
    moved: Mapping[str, Remembered],
    rowids: Mapping[str, int],
) -> bool:
    """Each of ``moved``'s rows given its new next check; whether every row was found. On
    SQLite one statement per new next check (thousands of rows share a few: a quarter's
    first day, a stale day), each row by its rowid when ``rowids`` has it (read in this
    transaction: 8,500 look-ups of the primary key were a third of the write), else by its
    code."""
    m = ItemMemoryRow
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        by_check: dict[date | None, tuple[list[int], list[str]]] = {}
        for code, r in moved.items():
            found_rows = by_check.get(r.next_check)
            if found_rows is None:
                found_rows = by_check[r.next_check] = ([], [])
            rowid = rowids.get(code)
            if rowid is None:
                found_rows[1].append(code)
            else:
                found_rows[0].append(rowid)
        day = Repeated(session, m.__table__, ("next_check",)).value
        found = 0
        for check, (ids, codes) in by_check.items():
            text = day("next_check", check)
            if ids:
                params = (text, json.dumps(ids), programme_id)
                found += connection.exec_driver_sql(_SQLITE_MOVE_ROWIDS, params).rowcount
            if codes:
                params = (text, programme_id, json.dumps(codes))
                found += connection.exec_driver_sql(_SQLITE_MOVE, params).rowcount
        return found == len(moved)
    staging = [{"item_code": code, "next_check": r.next_check} for code, r in moved.items()]
    table = m.__table__
    assert isinstance(table, sa.Table)
    with staged(connection, table, staging) as select:
        s = select.subquery("staged_checks")
        statement = (
            sa.update(table)
            .where(table.c.programme_id == programme_id, table.c.item_code == s.c.item_code)
            .values(next_check=s.c.next_check)
        )
        found = connection.execute(statement).rowcount
    return bool(found == len(staging))


def _save_sqlite(
    session: Session,
    programme_id: str,
    items: Mapping[str, Remembered],
    fingerprints: Mapping[str, str] | None,
    first_days: Mapping[str, date | None],
    *,
    replace_all: bool,
) -> None:
    """SQLite: the rows as plain tuples to the driver's executemany, each value already as the
    column type stores it (dates as ISO text, once per date; the flag as 0/1), the conflict
    clause as the other dialects'. Through SQLAlchemy each of 14,000 rows' parameters went
    through its per-row processing (≈ 40 % of the write)."""
    target = Repeated(session, ItemMemoryRow.__table__, _DAYS)
    # Every date column's stored text, looked up per value (a dict subscript, not a call: four
    # dates a row); the columns share one type, so one conversion per distinct date.
    values = items.values()
    first = first_days.get
    days = {d for r in values for d in (r.due, r.next_check, r.latest_on, r.forecast)}
    days.update(first_days.values())
    days.add(None)  # an item without a kept day
    text = {d: target.value("due", d) for d in days}
    names = ["programme_id", "item_code", *_SAVED, "fingerprint", FIRST_COLUMN]
    sql = f"INSERT INTO {ItemMemoryRow.__tablename__} ({', '.join(names)}) VALUES "
    sql += f"({', '.join('?' * len(names))})"
    if not replace_all:
        updated = [*_SAVED, FIRST_COLUMN]
        if fingerprints is not None:
            updated.append("fingerprint")
        sql += " ON CONFLICT (programme_id, item_code) DO UPDATE SET "
        sql += ", ".join(f"{name} = excluded.{name}" for name in updated)
    rows = [
        (
            programme_id,
            code,
            r.state,
            r.rag,
            1 if r.stale else 0,
            text[r.due],
            text[r.next_check],
            r.action_id,
            r.latest_id,
            text[r.latest_on],
            r.latest_status,
            text[r.forecast],
            r.latest_source,
            fingerprints[code] if fingerprints is not None else "",
            text[first(code)],
        )
        for code, r in items.items()
    ]
    session.connection().exec_driver_sql(sql, rows)


#: The remembered columns, in the order of :class:`Remembered` (its ``action_id`` is stored as
#: ``action_code``).
_SAVED = [
    "state",
    "rag",
    "stale",
    "due",
    "next_check",
    "action_code",
    "latest_id",
    "latest_on",
    "latest_status",
    "forecast",
    "latest_source",
]
#: The date columns of a memory row (each distinct date converted once).
_DAYS = ("due", "next_check", "latest_on", "forecast")
#: The column that keeps the item's first assessed day (migration 0041): the day's due rows
#: bring it along, instead of a read of item_first_assessed for them.
FIRST_COLUMN = "first_assessed"


def _save_header(
    session: Session, programme_id: str, header: MemoryHeader, recorded_at: datetime
) -> None:
    values = {
        "as_of": header.as_of,
        "basis": header.basis,
        "plan_hash": header.plan_hash,
        "seen_update_id": header.seen_update_id,
        "recorded_at": recorded_at,
    }
    insert = insert_function(session)
    upsert = insert(AssessmentMemoryRow).values(programme_id=programme_id, **values)
    session.execute(upsert.on_conflict_do_update(index_elements=["programme_id"], set_=values))
