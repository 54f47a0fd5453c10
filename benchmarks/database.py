"""Benchmark databases: build (migrate, sync the plan, bulk-load updates) or reuse a cached one.

SQLite databases are cached under ``var/bench/`` (git-ignored), keyed by size, seed, generator
version, migration head and the benchmark's index DDL. The PostgreSQL one is a database of its
own, ``regie_bench``, on the server of ``REGIE_BENCH_POSTGRES_URL`` (else
``REGIE_TEST_POSTGRES_URL``); it is dropped and created again whenever its key differs. No other
database on that server is touched.

Besides the migrated schema each benchmark database holds objects that only the benchmark makes
(all prefixed ``bench_`` or listed in :data:`BENCH_INDEXES`):

- ``bench_meta``: the cache key;
- ``bench_calendar``: every day with a running count of working days (from
  :class:`~governance.workdays.WorkCalendar`), so the hand-written SQL can add working days;
- :data:`BENCH_INDEXES`: indexes a migration should add (see RESULTS.md). They are here, not in
  a migration, because migrations belong to the store; ``IF NOT EXISTS`` keeps this working once
  a migration creates them.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from benchmarks.synthetic import GENERATOR_VERSION, UpdateRow
from governance.plan import Plan
from governance.workdays import WorkCalendar
from store import (
    head_revision,
    make_engine,
    normalise_url,
    session_factory,
    sync_plan,
    upgrade,
)
from store.models import StatusUpdateRow

CACHE_DIR = Path("var/bench")
PG_DATABASE = "regie_bench"
CALENDAR_FIRST, CALENDAR_LAST = date(2010, 1, 1), date(2030, 12, 31)

#: BENCHMARK-ONLY indexes, to be added by a migration (0002/0003): the latest update per item
#: (with its status, so "latest status" is answered from the index alone) and the latest
#: update that gave a forecast (partial, so the seek lands on it directly).
BENCH_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_status_updates_latest ON status_updates "
    "(programme_id, item_code, reported_on, recorded_at, id, status)",
    "CREATE INDEX IF NOT EXISTS ix_status_updates_forecast ON status_updates "
    "(programme_id, item_code, reported_on, recorded_at, id, forecast) "
    "WHERE forecast IS NOT NULL",
)
_UPDATE_COLUMNS = (
    "programme_id", "item_code", "status", "reported_on", "forecast", "completed_on",
    "comment", "author", "source", "recorded_at",
)  # fmt: skip
_INSERT_BATCH = 50_000


@dataclass(slots=True)
class BenchDatabase:
    name: str  # "sqlite" or "postgres"
    url: str
    built: bool  # False when a cached database was reused
    timings: dict[str, float] = field(default_factory=dict)  # build steps, seconds

    def engine(self) -> Engine:
        return make_engine(self.url)


def cache_key(milestones: int, updates: int, seed: int) -> str:
    """Names what a benchmark database holds; any change in it means a new build."""
    indexes = hashlib.sha256("\n".join(BENCH_INDEXES).encode()).hexdigest()[:8]
    # The migrations' text too: a reserved revision filled in later keeps its number.
    versions = Path(__file__).resolve().parent.parent / "store" / "migrations" / "versions"
    migrations = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(versions.glob("*.py")))
    ).hexdigest()[:8]
    return (
        f"m{milestones}-u{updates}-s{seed}-g{GENERATOR_VERSION}-r{head_revision()}"
        f"-{migrations}-i{indexes}"
    )


def postgres_server_url() -> str | None:
    return os.environ.get("REGIE_BENCH_POSTGRES_URL") or os.environ.get("REGIE_TEST_POSTGRES_URL")


def prepare(
    name: str,
    plan: Plan,
    rows: Callable[[], Sequence[UpdateRow]],
    key: str,
    *,
    rebuild: bool = False,
) -> BenchDatabase:
    """The benchmark database ``name`` for ``key``: reused when cached, else built."""
    if name == "sqlite":
        return _prepare_sqlite(plan, rows, key, rebuild)
    if name == "postgres":
        return _prepare_postgres(plan, rows, key, rebuild)
    raise ValueError(f"unknown database {name!r}")


def _prepare_sqlite(
    plan: Plan, rows: Callable[[], Sequence[UpdateRow]], key: str, rebuild: bool
) -> BenchDatabase:
    path = CACHE_DIR / f"assessment-{key}.db"
    url = f"sqlite:///{path}"
    if path.exists() and not rebuild and _stored_key(url) == key:
        return BenchDatabase("sqlite", url, built=False)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    db = BenchDatabase("sqlite", f"sqlite:///{building}", built=True)
    _build(db, plan, rows, key)
    building.replace(path)  # only a finished build is ever cached
    db.url = url
    return db


def _prepare_postgres(
    plan: Plan, rows: Callable[[], Sequence[UpdateRow]], key: str, rebuild: bool
) -> BenchDatabase:
    server = postgres_server_url()
    if not server:
        raise RuntimeError("set REGIE_BENCH_POSTGRES_URL or REGIE_TEST_POSTGRES_URL")
    url = sa.make_url(normalise_url(server)).set(database=PG_DATABASE)
    text = url.render_as_string(hide_password=False)
    if not rebuild and _stored_key(text) == key:
        return BenchDatabase("postgres", text, built=False)
    admin = make_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {PG_DATABASE}")
    admin.dispose()
    db = BenchDatabase("postgres", text, built=True)
    _build(db, plan, rows, key)
    return db


def _stored_key(url: str) -> str | None:
    engine = make_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT key FROM bench_meta")).scalar()
    except sa.exc.SQLAlchemyError:  # no such database or table: not built (completely) yet
        return None
    finally:
        engine.dispose()


def _build(
    db: BenchDatabase, plan: Plan, rows: Callable[[], Sequence[UpdateRow]], key: str
) -> None:
    started = time.perf_counter()
    upgrade(db.url)
    db.timings["migrate"] = time.perf_counter() - started
    engine = db.engine()
    try:
        started = time.perf_counter()
        with session_factory(engine)() as session, session.begin():
            sync_plan(session, plan, now=datetime(2015, 1, 1, tzinfo=UTC))
        db.timings["sync_plan"] = time.perf_counter() - started
        started = time.perf_counter()
        updates = rows()
        db.timings["generate_updates"] = time.perf_counter() - started
        started = time.perf_counter()
        with engine.begin() as connection:
            if db.name == "postgres":
                _copy_updates(connection, plan.programme.id, updates)
            else:
                _insert_updates(connection, plan.programme.id, updates)
        db.timings["insert_updates"] = time.perf_counter() - started
        started = time.perf_counter()
        with engine.begin() as connection:
            _bench_objects(connection, WorkCalendar.for_plan(plan))
        _analyse(engine)
        with engine.begin() as connection:  # last: only a complete build has a key
            connection.exec_driver_sql("CREATE TABLE bench_meta (key VARCHAR(255) NOT NULL)")
            connection.execute(sa.text("INSERT INTO bench_meta (key) VALUES (:key)"), {"key": key})
        db.timings["index_and_analyse"] = time.perf_counter() - started
    finally:
        engine.dispose()


def _insert_updates(
    connection: sa.Connection, programme: str, updates: Sequence[UpdateRow]
) -> None:
    statement = sa.insert(StatusUpdateRow)
    for start in range(0, len(updates), _INSERT_BATCH):
        batch = [
            {"programme_id": programme, **_update_values(u)}
            for u in updates[start : start + _INSERT_BATCH]
        ]
        connection.execute(statement, batch)


def _copy_updates(connection: sa.Connection, programme: str, updates: Sequence[UpdateRow]) -> None:
    """COPY is several times faster than INSERT on PostgreSQL (the trigger only blocks changes)."""
    raw: Any = connection.connection.driver_connection
    columns = ", ".join(_UPDATE_COLUMNS)
    with raw.cursor() as cursor, cursor.copy(f"COPY status_updates ({columns}) FROM STDIN") as copy:
        for u in updates:
            copy.write_row((programme, *_update_values(u).values()))


def _update_values(u: UpdateRow) -> dict[str, Any]:
    return {
        "item_code": u.item_code,
        "status": u.status,
        "reported_on": u.reported_on,
        "forecast": u.forecast,
        "completed_on": u.completed_on,
        "comment": u.comment,
        "author": u.author,
        "source": u.source,
        "recorded_at": u.recorded_at,
    }


def _bench_objects(connection: sa.Connection, cal: WorkCalendar) -> None:
    """The benchmark's calendar table and indexes (see the module notes)."""
    connection.exec_driver_sql(
        "CREATE TABLE bench_calendar (day DATE PRIMARY KEY, workday_no INTEGER NOT NULL)"
    )
    days, count, day = [], 0, CALENDAR_FIRST
    while day <= CALENDAR_LAST:
        count += cal.is_working_day(day)
        days.append({"day": day, "workday_no": count})
        day += timedelta(days=1)
    calendar = sa.table("bench_calendar", sa.column("day", sa.Date), sa.column("workday_no"))
    connection.execute(sa.insert(calendar), days)
    connection.exec_driver_sql("CREATE INDEX ix_bench_calendar_no ON bench_calendar (workday_no)")
    for ddl in BENCH_INDEXES:
        connection.exec_driver_sql(ddl)


def _analyse(engine: Engine) -> None:
    """Fresh planner statistics; on PostgreSQL also VACUUM, which sets the visibility map that
    index-only scans need (autovacuum would get there too, later)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
