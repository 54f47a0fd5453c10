"""Each item's first assessed day (``item_first_assessed``, migration 0038): read for the
assessment (the stale clock starts no earlier, :mod:`governance.assessment`), written by the
daily cycle for the items it assessed for the first time.

The day is the business day ``as_of`` of the first recorded deadline check that included the
item: a back-dated, simulated or replayed cycle stores its own day, a dry run (rolled back)
nothing. A day already stored only moves to an earlier one (history moves forward, so only
a store filled otherwise would see that). Each row keeps when it was first written
(``recorded_at``): a report with a data cut-off reads the days stored by then only. The table is
history, not a cache: a rebuild (``regie cycle --full``) keeps it and fills only the rows that
are missing (:func:`fill_missing_days`). Callers own the session and its transaction.

Per item, not the programme's first day: that is :func:`store.states.first_assessed` (the
first recorded deadline check, for which meetings a pack was due).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from store.coltypes import UTCDateTime
from store.dialect import (
    IsoDays,
    Repeated,
    arrays_worthwhile,
    batches,
    dialect_name,
    insert_function,
    json_codes,
    reader,
    sqlite_rows,
    staged,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.assessor import ItemAssessment

#: The table as plain Core (store.models_faults.ItemFirstAssessedRow): the reports read it on a
#: plain connection, without the ORM (store.reports_read). The raw statements below name the
#: table by it (this module imports no table class at load).
_TABLE = sa.table(
    "item_first_assessed",
    sa.column("programme_id", sa.String),
    sa.column("item_code", sa.String),
    sa.column("as_of", sa.Date),
    sa.column("recorded_at", UTCDateTime()),  # a cut-off in any zone compares as UTC
)

#: Item codes per ``IN (…)``: well under every driver's limit on bound parameters.
IN_BATCH = 900


def first_assessed_days(
    session: Session | sa.Connection,
    programme_id: str,
    item_ids: Collection[str] | None = None,
    *,
    recorded_until: datetime | None = None,
) -> dict[str, date]:
    """Item code → its first assessed day, of every item or of ``item_ids`` only (those with
    one); with ``recorded_until`` (a report's data cut-off), of the rows written by then only.
    A plain connection will do."""
    connection = session if isinstance(session, sa.Connection) else reader(session)
    if recorded_until is None and connection.dialect.name == "sqlite":
        return _sqlite_days(connection, programme_id, item_ids)
    f = _TABLE.c
    query = sa.select(f.item_code, f.as_of).where(f.programme_id == programme_id)
    if recorded_until is not None:
        query = query.where(f.recorded_at <= recorded_until)
    if item_ids is None:
        return dict(connection.execute(query).tuples().all())
    out: dict[str, date] = {}
    for codes in batches(sorted(item_ids), IN_BATCH):
        out.update(connection.execute(query.where(f.item_code.in_(codes))).tuples().all())
    return out


_SQLITE_DAYS = f"SELECT item_code, as_of FROM {_TABLE.name} WHERE programme_id = ?"
#: The codes as one JSON parameter (store.dialect.in_json_codes): one statement, an index
#: probe per code.
_SQLITE_SOME = f"{_SQLITE_DAYS} AND item_code IN (SELECT value FROM json_each(?))"


def _sqlite_days(
    connection: sa.Connection, programme_id: str, item_ids: Collection[str] | None
) -> dict[str, date]:
    """:func:`first_assessed_days` on SQLite without a cut-off: the rows straight from the
    driver, each stored day (ISO text) turned into a date once. SQLAlchemy's per-row date
    processing cost 60 % of the read (291 against 113 ms at 101,023 rows: plan8 §2.1)."""
    params: tuple[str, ...]
    if item_ids is None:
        sql, params = _SQLITE_DAYS, (programme_id,)
    elif not item_ids:
        return {}
    else:
        sql, params = _SQLITE_SOME, (programme_id, json_codes(item_ids))
    day = IsoDays()
    out: dict[str, date] = {}
    for chunk in sqlite_rows(connection, sql, params, 20_000):
        for code, text in chunk:
            out[code] = day[text]
    return out


def first_days_mark(session: Session, programme_id: str) -> tuple[int, float]:
    """(number of rows, sum of their days as day numbers) of the programme: changes when a row
    is added or a day moves (only ever earlier: the sum drops), for a cache to tell whether
    :func:`first_assessed_days` would read anything new without reading and building every row
    (one aggregate; review51 6). A row deleted and one added with a compensating day in the
    same interval goes unseen: no code path does that."""
    f = _TABLE.c
    day: sa.ColumnElement[Any]
    if reader(session).dialect.name == "sqlite":  # dates are ISO text there
        day = sa.func.julianday(f.as_of)
    else:
        day = f.as_of - sa.literal(date(1970, 1, 1), sa.Date)  # an integer on PostgreSQL
    query = sa.select(sa.func.count(), sa.func.sum(day)).where(f.programme_id == programme_id)
    number, total = reader(session).execute(query).one()
    return int(number or 0), float(total or 0)


def new_first_days(items: Iterable[ItemAssessment], stored: Mapping[str, date]) -> dict[str, date]:
    """Of the judged ``items``, those whose first assessed day (as judged: the stored one, or
    this day) is not the one ``stored``: item code → the day to store."""
    out: dict[str, date] = {}
    for item in items:
        first = item.first_assessed
        if first is not None and stored.get(item.item_id) != first:
            out[item.item_id] = first
    return out


#: :func:`record_first_days`' statement on SQLite, as SQLAlchemy compiles the other dialects'.
_SQLITE_RECORD = f"""INSERT INTO {_TABLE.name} (programme_id, item_code, as_of, recorded_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (programme_id, item_code) DO UPDATE SET as_of = excluded.as_of
    WHERE {_TABLE.name}.as_of > excluded.as_of"""


def record_first_days(
    session: Session, programme_id: str, days: Mapping[str, date], now: datetime
) -> int:
    """Store ``days`` (item code → first assessed day): a new row (recorded ``now``), or an
    earlier day for a row that has a later one (it keeps its ``recorded_at``: history moves
    forward, so that is never the case live); return how many rows were given."""
    from store.models_faults import ItemFirstAssessedRow

    if not days:
        return 0
    if dialect_name(session) == "sqlite":
        # Tuples to the driver, the day's text once per day and the instant once: SQLAlchemy's
        # per-row processing of a first run's 101,023 rows was ≈ 1.1 s (RESULTS.md round 29).
        target = Repeated(session, ItemFirstAssessedRow.__table__, ("as_of", "recorded_at"))
        text, instant = target.value, target.value("recorded_at", now)
        given = [(programme_id, c, text("as_of", d), instant) for c, d in days.items()]
        session.connection().exec_driver_sql(_SQLITE_RECORD, given)
        return len(given)
    table = ItemFirstAssessedRow.__table__
    insert = insert_function(session)(table)

    def earlier_only(statement: Any) -> Any:
        return statement.on_conflict_do_update(
            index_elements=["programme_id", "item_code"],
            set_={"as_of": statement.excluded.as_of},
            where=table.c.as_of > statement.excluded.as_of,
        )

    rows = [
        {"programme_id": programme_id, "item_code": c, "as_of": d, "recorded_at": now}
        for c, d in days.items()
    ]
    connection = session.connection()
    if arrays_worthwhile(connection, rows):
        # PostgreSQL, many rows (a first run, a rebuild): one INSERT … SELECT of the staged
        # arrays (one row per item: no key twice), as store.states.record_values.
        with staged(connection, table, rows) as select:
            connection.execute(earlier_only(insert.from_select(list(rows[0]), select)))
        return len(rows)
    # executemany: one compiled statement (as store.states.record_states).
    connection.execute(earlier_only(insert), rows)
    return len(rows)


def fill_missing_days(session: Session, programme_id: str) -> int:
    """The rebuild's repair (``regie cycle --full``, review51 5): each item with a recorded
    state but no row gets the day of its first state and that state's ``recorded_at`` (as
    migration 0038's backfill); a renumbered item missing one takes the old id's where that is
    earlier (in event order, as the sync carries it). Stored rows are kept as they are.
    Return how many rows were added."""
    from store.models import EventRow, ItemStateRow
    from store.models_faults import ItemFirstAssessedRow
    from store.sync_formerly import RENUMBERED_EVENT

    t = ItemFirstAssessedRow.__table__.c
    s, e = ItemStateRow.__table__.alias("s").c, ItemStateRow.__table__.alias("e").c
    earlier = sa.exists().where(
        e.programme_id == s.programme_id, e.item_code == s.item_code, e.as_of < s.as_of
    )
    stored_day = sa.exists().where(t.programme_id == s.programme_id, t.item_code == s.item_code)
    # The first states of the items without a row only: usually none. Reading every stored
    # row and every item's first state cost ≈ 0.9 s of a rebuild at 100k items (RESULTS.md
    # round 29) to find nothing missing.
    firsts = session.execute(
        sa.select(s.item_code, s.as_of, s.recorded_at).where(
            s.programme_id == programme_id, ~stored_day, ~earlier
        )
    ).tuples()
    missing: dict[str, tuple[date, datetime]] = {code: (day, at) for code, day, at in firsts}
    ev = EventRow.__table__.c
    moves = session.execute(
        sa.select(ev.payload)
        .where(ev.programme_id == programme_id, ev.name == RENUMBERED_EVENT)
        .order_by(ev.id)
    ).scalars()
    pairs = [(payload.get("from"), payload.get("to")) for payload in moves]
    # The stored rows the moves name (old ids to carry, new ids that keep theirs): no other.
    named = sorted({code for pair in pairs for code in pair if code})
    stored: dict[str, tuple[date, datetime]] = {}
    query = sa.select(t.item_code, t.as_of, t.recorded_at).where(t.programme_id == programme_id)
    for codes in batches(named, IN_BATCH):
        rows = session.execute(query.where(t.item_code.in_(codes))).tuples()
        stored.update((code, (day, at)) for code, day, at in rows)
    for old, new in pairs:
        then = stored.get(old) or missing.get(old)
        if then is None or not new or new in stored:
            continue
        if new not in missing or missing[new][0] > then[0]:
            missing[new] = then
    if missing:
        session.connection().execute(
            sa.insert(ItemFirstAssessedRow),
            [
                {"programme_id": programme_id, "item_code": c, "as_of": d, "recorded_at": at}
                for c, (d, at) in missing.items()
            ],
        )
    return len(missing)
