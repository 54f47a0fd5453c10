"""The step's floor: how much of the incremental step is SQLite's own work (RESULTS.md §5,
round 10).

Usage, from the repository root, on a database made by ``benchmarks.step prepare``::

    .venv/bin/python -m benchmarks.step_floor var/bench/day2.db --runs 5

Runs the step (:func:`regie.daily.assess_day`, rolled back) as ``benchmarks.step phases``
does, each run followed by the SQL overdue query (a), and counts the CPU seconds spent inside
the SQLite driver's calls: statement execution (SQLAlchemy's ``before/after_cursor_execute``),
SQLAlchemy's fetches from the driver cursor, and the step's reads straight from the driver
(:func:`store.dialect.sqlite_rows`). That is what the step's statements cost before any of
its Python looks at a row: if it is already near (a), no Python-side work gets the step to
≤ 1× (a). The last run's driver time is printed per statement.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from benchmarks.step import AS_OF, _plan

#: CPU seconds inside the driver per statement (its first 90 characters), for the current run.
_SPENT: dict[str, float] = defaultdict(float)


def _short(sql: str) -> str:
    return " ".join(sql.split())[:90]


def _instrument(engine: Any) -> None:
    import sqlalchemy as sa
    from sqlalchemy.engine import cursor as sa_cursor

    import store.assessment_query
    import store.dialect
    import store.memory

    started: dict[int, float] = {}
    current = [""]

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        current[0] = _short(sql)
        started[id(cursor)] = time.process_time()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, *_: Any) -> None:
        _SPENT[current[0]] += time.process_time() - started.pop(id(cursor))

    for name in ("fetchall", "fetchmany", "fetchone"):
        original = getattr(sa_cursor.CursorFetchStrategy, name)

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            began = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                _SPENT[current[0]] += time.process_time() - began

        setattr(sa_cursor.CursorFetchStrategy, name, timed)

    original_rows = store.dialect.sqlite_rows

    def sqlite_rows(
        connection: Any, sql: str, params: Mapping[str, Any] | Sequence[Any], batch: int
    ) -> Iterator[list[Any]]:
        rows = original_rows(connection, sql, params, batch)
        key = "driver: " + _short(sql)
        while True:
            began = time.process_time()
            chunk = next(rows, None)
            _SPENT[key] += time.process_time() - began
            if chunk is None:
                return
            yield chunk

    for module in (store.dialect, store.memory, store.assessment_query):
        if hasattr(module, "sqlite_rows"):
            module.sqlite_rows = sqlite_rows  # type: ignore[attr-defined]


def floor(path: str, runs: int, as_of: date) -> None:
    from benchmarks.assessment import run_lower_bound
    from governance.workdays import WorkCalendar
    from regie.daily import assess_day
    from store import make_engine, session_factory

    plan = _plan()
    calendar = WorkCalendar.for_plan(plan)
    engine = make_engine(f"sqlite:///{path}")
    _instrument(engine)
    sessions = session_factory(engine)
    now = datetime.combine(as_of, datetime.min.time(), UTC) + timedelta(hours=6)

    def step() -> None:
        with sessions() as session:
            session.begin()
            assess_day(session, plan, as_of, calendar, now=now, plan_hash=plan.source_hash)
            session.rollback()

    step()  # warm-up
    ratios: list[tuple[float, float]] = []
    for _ in range(runs):
        _SPENT.clear()
        gc.collect()
        began = time.process_time()
        step()
        total = time.process_time() - began
        driver = sum(_SPENT.values())
        spent = dict(_SPENT)
        gc.collect()
        began = time.process_time()
        run_lower_bound(engine, as_of, plan.reminders.dependency_lead_days)
        query = time.process_time() - began
        ratios.append((total / query, driver / query))
        print(
            f"step {total:.3f} s, of which in the driver {driver:.3f} s; query (a) "
            f"{query:.3f} s; step {total / query:.2f}×, driver alone {driver / query:.2f}× (a)",
            flush=True,
        )
    engine.dispose()
    print(
        f"median: step {statistics.median(r for r, _ in ratios):.2f}× (a), driver alone "
        f"{statistics.median(d for _, d in ratios):.2f}× (a); the last run per statement:"
    )
    for sql, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {seconds * 1000:7.1f} ms  {sql}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a SQLite file made by benchmarks.step prepare")
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    floor(args.database, args.runs, args.as_of)


if __name__ == "__main__":
    main()
