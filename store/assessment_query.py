"""What the assessment reads from the store, and no more.

:func:`governance.assessment.assess` looks at two updates per item: the latest one reported on
or before ``as_of`` (by reported_on, recorded_at, id) and the latest one that gave a forecast.
Loading the whole history to find them costs time and memory that grow with the history;
:func:`assessment_updates` asks the database for just those rows, so
``assess(plan, assessment_updates(session, pid, as_of), as_of)`` gives the same assessment as
``assess(plan, Repository(session, pid).status_updates(until=as_of), as_of)``.

Each pick is one index seek per item. It is fast with an index on ``status_updates``
``(programme_id, item_code, reported_on, recorded_at, id, status)`` and a partial one on
``(programme_id, item_code, reported_on, recorded_at, id, forecast) WHERE forecast IS NOT NULL``
(see benchmarks/RESULTS.md); without them it is still correct, only slower. An update that a
correction up to ``as_of`` replaced counts for neither pick (README "Corrections"): one probe
of the unique index on ``corrects`` per row looked at. ``AS MATERIALIZED``
needs SQLite ≥ 3.35 or PostgreSQL ≥ 12; some items only, on SQLite, its JSON functions (built in
since 3.38).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from governance.records import positional_constructor
from governance.updates import StatusUpdate, UpdateStatus
from store.dialect import json_codes, reader, sqlite_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["assessment_updates", "completions_by_id", "converters"]

_BATCH = 5_000  # rows fetched at a time

_DateFn: TypeAlias = Callable[[object], date]
_InstantFn: TypeAlias = Callable[[object], datetime]

#: An update ``u`` that no correction reported up to ``:as_of`` replaced (README "Corrections":
#: a corrected update counts for neither the latest update nor the latest forecast). One probe
#: of the unique index on ``corrects`` per row looked at: no read of the other updates.
_NOT_CORRECTED = """NOT EXISTS (SELECT 1 FROM status_updates c
            WHERE c.corrects = u.id AND c.reported_on <= :as_of)"""
#: The id of an item's latest update up to ``:as_of``; ``{only}`` narrows the rows considered.
_LATEST_ID = f"""(SELECT u.id FROM status_updates u
        WHERE u.programme_id = :p AND u.item_code = i.code AND u.reported_on <= :as_of{{only}}
          AND {_NOT_CORRECTED}
        ORDER BY u.reported_on DESC, u.recorded_at DESC, u.id DESC LIMIT 1)"""

# Items are taken from the plan tables, archived ones included: every stored update names an
# item that existed when it was recorded, so no update the assessment could use is left out.
_ALL_ITEMS = """SELECT code FROM actions WHERE programme_id = :p
    UNION ALL
    SELECT code FROM milestones WHERE programme_id = :p"""
#: Some items only (the incremental assessment's choice), on PostgreSQL: the codes as one array
#: parameter, one statement for any number of items, where batches of 900 bound codes were
#: parsed and planned per batch (18 statements, ≈ 0.2 s at 14,000 items). Codes not in the plan
#: tables have no updates (every update names a stored item).
_ANY_ITEMS = """SELECT code FROM actions WHERE programme_id = :p AND code = ANY(:codes)
    UNION ALL
    SELECT code FROM milestones WHERE programme_id = :p AND code = ANY(:codes)"""
_QUERY = """
WITH items AS (
    {items}
),
picked AS MATERIALIZED (
    SELECT {latest} AS latest_id, {forecast} AS forecast_id
    FROM items i
)
SELECT s.id, s.item_code, s.status, s.reported_on, s.forecast, s.completed_on, s.comment,
       s.author, s.source, s.recorded_at, s.corrects
FROM status_updates s
WHERE s.id IN (SELECT latest_id FROM picked UNION SELECT forecast_id FROM picked)
"""
_PARAMS = (sa.bindparam("p", type_=sa.String), sa.bindparam("as_of", type_=sa.Date))
_COLUMNS = """SELECT s.id, s.item_code, s.status, s.reported_on, s.forecast, s.completed_on,
       s.comment, s.author, s.source, s.recorded_at, s.corrects
FROM status_updates s"""
_LATEST = {
    "latest": _LATEST_ID.format(only=""),
    "forecast": _LATEST_ID.format(only=" AND u.forecast IS NOT NULL"),
}
_FOR_ALL = sa.text(_QUERY.format(items=_ALL_ITEMS, **_LATEST)).bindparams(*_PARAMS)
#: On PostgreSQL the picked ids as one array: the planner then fetches them through the primary
#: key, where ``IN (… UNION …)`` over-estimated them and hashed a scan of every update (1M rows,
#: ≈ 0.3 s of the server, and a JIT compilation above its cost threshold).
_PICKED_ANY = (
    "WHERE s.id = ANY(ARRAY(SELECT latest_id FROM picked UNION SELECT forecast_id FROM picked))"
)
_PICKED_IN = "WHERE s.id IN (SELECT latest_id FROM picked UNION SELECT forecast_id FROM picked)"
# An edit of _QUERY that no longer holds that line would silently keep the slow plan.
if _QUERY.count(_PICKED_IN) != 1:
    raise AssertionError("_PICKED_ANY no longer replaces _QUERY's id filter")
_FOR_ANY = sa.text(
    _QUERY.format(items=_ANY_ITEMS, **_LATEST).replace(_PICKED_IN, _PICKED_ANY)
).bindparams(*_PARAMS, sa.bindparam("codes", type_=postgresql.ARRAY(sa.String)))
#: Every item on PostgreSQL: each item's two picks by one backward pass over each index
#: (``DISTINCT ON``), not two index seeks an item from the plan tables (≈ 1.1 s of the server
#: at 110,000 items / 1M updates, against ≈ 0.5 s); the picked rows by primary key, as
#: :data:`_FOR_ANY`. Every stored update names an item of the plan tables, so the picks are the
#: same. The pass grows with the updates on record up to ``as_of``, the seeks with the items: at
#: ≈ 10 updates an item the pass costs half as much.
#: The pass cannot leave out the corrected updates itself: a filter on each of its rows made
#: the planner sort a sequential scan (≈ 2.5× the time), and the corrections are few. So the
#: pass picks as before, and only an item whose pick a correction up to ``:as_of`` replaced
#: (found through the unique index on ``corrects``: its non-null entries, the corrections) is
#: picked again by the per-item seek that leaves them out (``NULL`` when none is left).
_PG_PICK = """SELECT DISTINCT ON (u.item_code) u.id, u.item_code FROM status_updates u
        WHERE u.programme_id = :p AND u.reported_on <= :as_of{only}
        ORDER BY u.item_code DESC, u.reported_on DESC, u.recorded_at DESC, u.id DESC"""
#: ``{pass_}``'s picks that stand, and the item's pick again for those that do not.
_PG_KEPT = """SELECT id FROM {pass_} WHERE id NOT IN (SELECT id FROM replaced)
    UNION ALL
    SELECT {again} FROM {pass_} i WHERE i.id IN (SELECT id FROM replaced)"""
_FOR_ALL_PG = sa.text(
    f"""
WITH replaced AS MATERIALIZED (
    SELECT c.corrects AS id FROM status_updates c
    WHERE c.corrects IS NOT NULL AND c.reported_on <= :as_of
),
latest AS MATERIALIZED (
    {_PG_PICK.format(only="")}
),
forecast AS MATERIALIZED (
    {_PG_PICK.format(only=" AND u.forecast IS NOT NULL")}
),
picked AS MATERIALIZED (
    {_PG_KEPT.format(pass_="latest", again=_LATEST["latest"].replace("i.code", "i.item_code"))}
    UNION
    {_PG_KEPT.format(pass_="forecast", again=_LATEST["forecast"].replace("i.code", "i.item_code"))}
)
{_COLUMNS}
WHERE s.id = ANY(ARRAY(SELECT id FROM picked))
"""
).bindparams(*_PARAMS)
#: On SQLite the codes as one JSON parameter (``json_each``): one statement for any number of
#: items, where batches of 900 bound codes were expanded, compiled and run per batch.
_JSON_ITEMS = """SELECT code FROM actions WHERE programme_id = :p
        AND code IN (SELECT value FROM json_each(:codes))
    UNION ALL
    SELECT code FROM milestones WHERE programme_id = :p
        AND code IN (SELECT value FROM json_each(:codes))"""
_FOR_JSON = sa.text(_QUERY.format(items=_JSON_ITEMS, **_LATEST)).bindparams(
    *_PARAMS, sa.bindparam("codes", type_=sa.String)
)

#: The note of updates by id (a primary key look-up each).
_NOTES_BY_ID_JSON = (
    "SELECT id, comment, author FROM status_updates WHERE id IN (SELECT value FROM json_each(?))"
)
_NOTES_BY_ID_ANY = sa.text(
    "SELECT id, comment, author FROM status_updates WHERE id = ANY(:ids)"
).bindparams(sa.bindparam("ids", type_=postgresql.ARRAY(sa.BigInteger)))
#: The item and completion day of updates by id (a primary key look-up each).
_DONE_BY_ID_JSON = (
    "SELECT id, item_code, completed_on FROM status_updates "
    "WHERE id IN (SELECT value FROM json_each(?))"
)
_DONE_BY_ID_ANY = sa.text(
    "SELECT id, item_code, completed_on FROM status_updates WHERE id = ANY(:ids)"
).bindparams(sa.bindparam("ids", type_=postgresql.ARRAY(sa.BigInteger)))

#: ``StatusUpdate(*fields)`` without the frozen dataclass's per-field ``object.__setattr__``.
_new_update = positional_constructor(StatusUpdate)


def assessment_updates(
    session: Session | sa.Connection,
    programme_id: str,
    as_of: date,
    items: Collection[str] | None = None,
) -> list[StatusUpdate]:
    """Per item, the latest update reported on or before ``as_of`` and, when an earlier update
    gave the latest forecast, that one too; in no particular order (``assess`` orders them).
    ``items`` limits the answer to those items. A plain connection will do (no ORM needed)."""
    bind = session if isinstance(session, sa.Connection) else session.get_bind()
    if items is None:
        query = _FOR_ALL_PG if bind.dialect.name == "postgresql" else _FOR_ALL
        return _fetch(session, query, {"p": programme_id, "as_of": as_of})
    if bind.dialect.name == "postgresql":
        codes = sorted(items)
        return _fetch(session, _FOR_ANY, {"p": programme_id, "as_of": as_of, "codes": codes})
    return _fetch(
        session, _FOR_JSON, {"p": programme_id, "as_of": as_of, "codes": json_codes(items)}
    )


def notes_by_id(
    session: Session | sa.Connection, ids: Collection[int]
) -> dict[int, tuple[str | None, str | None]]:
    """Update id → (its note, its author) for the updates with these ids (those that exist):
    what the day's messages quote and attribute of latest answers an incremental run recalled
    from the memory, which keeps neither; three columns by primary key, not whole rows."""
    if not ids:
        return {}
    connection = session if isinstance(session, sa.Connection) else reader(session)
    if connection.dialect.name == "postgresql":
        rows = connection.execute(_NOTES_BY_ID_ANY, {"ids": sorted(ids)}).tuples()
        return {row_id: (note, author) for row_id, note, author in rows.all()}
    chunks = sqlite_rows(connection, _NOTES_BY_ID_JSON, (json.dumps(sorted(ids)),), _BATCH)
    return {row_id: (note, author) for chunk in chunks for row_id, note, author in chunk}


def completions_by_id(
    session: Session | sa.Connection, ids: Collection[int]
) -> dict[int, tuple[str, date | None]]:
    """Update id → (its item, its ``completed_on``) for the updates with these ids (those that
    exist): all a finished item's judgement reads of its latest update besides what the memory
    holds (:mod:`regie.daily`'s full run from the memory, for the finished items whose latest
    update it remembers): a primary key look-up each and three columns, where whole rows were
    read and converted (comments, instants: ≈ 0.28 s of 31,000 at 100k items, round 22)."""
    if not ids:
        return {}
    connection = session if isinstance(session, sa.Connection) else reader(session)
    if connection.dialect.name == "postgresql":
        rows = connection.execute(_DONE_BY_ID_ANY, {"ids": sorted(ids)}).tuples()
        return {row_id: (item, done) for row_id, item, done in rows}
    days: dict[str, date] = {}  # stored as ISO text: each day converted once
    out: dict[int, tuple[str, date | None]] = {}
    for chunk in sqlite_rows(connection, _DONE_BY_ID_JSON, (json.dumps(sorted(ids)),), _BATCH):
        for row_id, item, text in chunk:
            if text is None:
                out[row_id] = (item, None)
                continue
            day = days.get(text)
            if day is None:
                day = days[text] = date.fromisoformat(text)
            out[row_id] = (item, day)
    return out


def _fetch(
    source: Session | sa.Connection, query: sa.TextClause, params: dict[str, object]
) -> list[StatusUpdate]:
    # Plain rows, without the ORM's wrapping of each.
    connection = source if isinstance(source, sa.Connection) else reader(source)
    chunks: Iterator[Sequence[Any]]
    if connection.dialect.name == "sqlite":
        chunks = _sqlite_rows(connection, query, params)
    else:
        result = connection.execute(query, params, execution_options={"yield_per": _BATCH})
        chunks = result.tuples().partitions(_BATCH)
    as_date, as_instant = converters(connection.dialect.name)
    statuses = {s.value: s for s in UpdateStatus}
    # Positional arguments, in the field order of StatusUpdate: this loop runs once per item.
    # Rows are fetched in batches and dropped as they are converted: holding every row as well
    # as every update made the cyclic GC walk both, several times over.
    make = _new_update
    return [
        make(
            item_code,
            statuses[status],
            as_date(reported_on),
            None if forecast is None else as_date(forecast),
            None if completed_on is None else as_date(completed_on),
            comment,
            author,
            source,
            as_instant(recorded_at),
            row_id,
            corrects,
        )
        for (
            row_id,
            item_code,
            status,
            reported_on,
            forecast,
            completed_on,
            comment,
            author,
            source,
            recorded_at,
            corrects,
        ) in itertools.chain.from_iterable(chunks)
    ]


def _sqlite_rows(
    connection: sa.Connection, query: sa.TextClause, params: dict[str, object]
) -> Iterator[list[Any]]:
    """SQLite: the rows of ``query`` straight from the driver (:func:`store.dialect.
    sqlite_rows`; its ``:name`` parameters are the driver's own style), days bound as the ISO
    text the column type stores. SQLAlchemy's row wrapping cost about as much as the
    conversion in :func:`_fetch`."""
    instants = [k for k, v in params.items() if isinstance(v, datetime)]
    if instants:
        # Instants are stored in UTCDateTime's own text form, not isoformat()'s.
        raise TypeError(f"bind instants through SQLAlchemy, not as {', '.join(instants)}")
    bound = {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
    return sqlite_rows(connection, query.text, bound, _BATCH)


def converters(dialect: str) -> tuple[_DateFn, _InstantFn]:
    """Plain-text SQL returns the driver's values. SQLite gives ISO text, with instants stored
    as :class:`~store.models.UTCDateTime` stores them (naive UTC); psycopg gives
    dates and aware datetimes."""
    if dialect == "sqlite":
        return _sqlite_date, _sqlite_instant
    return _same_date, _utc


def _sqlite_date(value: object) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else _same_date(value)


def _sqlite_instant(value: object) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")  # one C call; stored values are UTC
    return _utc(value)


def _same_date(value: object) -> date:
    if not isinstance(value, date):
        raise TypeError(f"expected a date from the driver, got {value!r}")
    return value


def _utc(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime from the driver, got {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
