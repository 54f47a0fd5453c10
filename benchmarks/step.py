"""The incremental assessment step up close: a steady-state database, a per-phase profile, and
a hash of every stored row (the tools behind benchmarks/RESULTS.md §5's rounds).

Usage, from the repository root (SQLite, the 101k-item / 1M-update benchmark data)::

    .venv/bin/python -m benchmarks.step prepare var/bench/day2.db
    .venv/bin/python -m benchmarks.step prepare postgres:regie_day2   # prints its URL
    .venv/bin/python -m benchmarks.step phases sqlite:///var/bench/day2.db --runs 6 [--full]
    .venv/bin/python -m benchmarks.step cycle var/bench/copy.db [--full]   # or a database URL
    .venv/bin/python -m benchmarks.step hash var/bench/copy.db   # or a PostgreSQL URL

``prepare`` copies the cached benchmark database (built when missing, as
:mod:`benchmarks.daily` does) and runs three committed daily cycles up to the day before
``--as-of`` (a full one, then two incremental): the state of a live programme on a Tuesday
(PostgreSQL then settled: :func:`benchmarks.daily.settle`). The default day, 2019-10-01, is
the busiest of its quarter (every open-ended and periodic item is due its quarterly prompt);
``--as-of 2019-10-08`` is an ordinary one. ``--overdue-every N`` gives the plan another
reminder policy (the same N for ``prepare`` and the commands on its database).
``--rebuild`` (``phases``, ``cycle``) is a full assessment that does not trust the memory
(``regie cycle --full``: previous states from item_states, every latest update read).
``phases`` runs the step (:func:`regie.daily.assess_day`, rolled back) once to warm up, then
``--runs`` times, each followed by the SQL overdue query (a); it prints the step's and the
query's CPU seconds and each phase's minimum CPU milliseconds. ``cycle`` runs one real
(committed) cycle at ``--as-of`` and ``hash`` prints a digest per table (timestamps and claim
tokens left out): two builds' outputs compare equal when their hashes do.

To compare two builds, extract the old one (``git archive <commit> | tar -x -C /tmp/old``) and
alternate: ``PYTHONPATH=/tmp/old python -m benchmarks.step phases …`` run from ``/tmp/old``,
then the same from the new tree, a few pairs (the machine's speed drifts within minutes). Every
name in :data:`PHASES` must exist (else the run stops, naming it): to time both builds' phases
alike, copy this file into the old tree where its names fit.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import hashlib
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

AS_OF = date(2019, 10, 1)
MILESTONES, UPDATES, SEED = 100_000, 1_000_000, 2015

#: Where the step spends its time: (module, functions) timed as phases. Each name is the
#: module attribute its caller looks up when it calls (the callers import them at call time):
#: a name that does not exist there fails the run (a moved function would go untimed).
PHASES = {
    "store.memory": (
        "load_header", "load_due", "load_items", "load_ids", "load_fingerprints", "load_all",
        "newest_update_id", "updated_items", "earlier_states", "append_states", "save",
    ),
    "store.tallies": ("load_tally", "stored_tally"),
    "store.first_assessed": ("fill_missing_days", "first_assessed_days", "record_first_days"),
    "store.prompt_facts": ("prompt_facts",),
    "store.assessment_query": ("assessment_updates", "completions_by_id"),
    # record_values: what record_states and the full run's record_state_values both call.
    "store.states": ("previous_values", "previous_values_of", "record_values"),
    "governance.assessment": ("assess",),
    "governance.incremental": (
        "select_due", "with_dependencies", "assess_selected", "state_counts", "basis",
        "known_latest",
    ),
    "governance.memory_inputs": ("remembered_inputs", "recall_finished"),
    "governance.tally": ("tally_changes", "tally_difference"),
    "governance.reminders": ("prompt_questions", "plan_reminders_from"),
    "governance.remember": ("remember",),
}  # fmt: skip

#: The phases that are the day's reminders and the memory for tomorrow, not its states and
#: roll-ups (what the SQL query computes): printed apart, to compare like with like too.
AFTER_ASSESSMENT = frozenset(
    {
        "prompt_facts",
        "prompt_questions",
        "plan_reminders_from",
        "remember",
        "save",
    }
)


#: The reminder policy's ``overdue_every_days`` for the plan (None: the synthetic plan's own,
#: 5): how many of the items a working day must prompt, so re-assess (``--overdue-every``).
_overdue_every: int | None = None


@functools.cache
def _synthetic() -> Any:
    """The benchmark's plan as :mod:`benchmarks.daily` has it (its own reminder policy)."""
    from benchmarks.synthetic import build_plan

    plan = build_plan(MILESTONES, SEED)
    return dataclasses.replace(plan, source_hash=f"bench-{MILESTONES}-{SEED}")


def _plan() -> Any:
    """The plan the commands run: :func:`_synthetic`, with ``--overdue-every`` applied."""
    plan = _synthetic()
    if _overdue_every is None:
        return plan
    policy = dataclasses.replace(plan.reminders, overdue_every_days=_overdue_every)
    # Another policy: another plan file's hash (the memory is then assessed in full).
    source = f"{plan.source_hash}-every-{_overdue_every}"
    return dataclasses.replace(plan, reminders=policy, source_hash=source)


def _app(url: str) -> Any:
    from benchmarks.daily import _app as bench_app

    return bench_app(url, Path(tempfile.mkdtemp(prefix="regie-step-")))


def prepare(target: str, as_of: date) -> None:
    """``target`` a SQLite file, or ``postgres:NAME``: a database NAME on the benchmark server
    (``REGIE_BENCH_POSTGRES_URL``, else ``REGIE_TEST_POSTGRES_URL``), made from the cached one."""
    import sqlalchemy as sa

    from benchmarks.assessment import UPDATES_SEED
    from benchmarks.database import cache_key
    from benchmarks.database import prepare as cached
    from benchmarks.synthetic import generate_updates
    from regie.cycle import deadline_check

    plan = _plan()
    made: list[Any] = []

    def rows() -> Any:
        if not made:
            made.append(generate_updates(plan, UPDATES, UPDATES_SEED))
        return made[0]

    on_server = target.startswith("postgres:")
    # The cached database is the synthetic plan's (shared with benchmarks.daily), whatever
    # policy this copy's cycles then run with.
    db = cached(
        "postgres" if on_server else "sqlite",
        _synthetic(),
        rows,
        cache_key(MILESTONES, UPDATES, SEED),
    )
    made.clear()
    if on_server:
        url = _pg_copy(db.url, target.removeprefix("postgres:"))
    else:
        shutil.copyfile(sa.make_url(db.url).database or "", target)
        url = f"sqlite:///{target}"
    app = _app(url)
    for n in range(3, 0, -1):
        day = as_of - timedelta(days=n)
        started = time.perf_counter()
        report = deadline_check(app, day, plan=plan)
        print(f"{day}: {time.perf_counter() - started:.2f} s, {report.assessed:,} assessed")
    from benchmarks.daily import settle

    settle(app.engine)
    app.engine.dispose()
    print(f"prepared: {url}")


def _pg_copy(cached_url: str, name: str) -> str:
    """A new database ``name`` on the cached one's server, a copy of it (a file copy there)."""
    import sqlalchemy as sa

    from store import make_engine

    url = sa.make_url(cached_url)
    if not (name.isidentifier() and name == name.lower()):
        raise SystemExit(f"postgres:{name}: a database name is lower-case letters, digits and _")
    if name in (url.database, "postgres", "template0", "template1"):
        raise SystemExit(f"postgres:{name}: that database is not to be replaced")
    admin = make_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.NullPool,
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {url.database}")
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


#: What phases measure: this process's CPU (SQLite), or wall seconds (a server's database).
_clock: Callable[[], float] = time.process_time


def _timed(acc: dict[str, float], name: str, f: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(f)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = _clock()
        try:
            return f(*args, **kwargs)
        finally:
            acc[name] += _clock() - started

    return timed


def phase_functions() -> list[tuple[ModuleType, str, Callable[..., Any]]]:
    """Each :data:`PHASES` entry's (module, name, function); SystemExit naming every one not
    found (moved or renamed: its time would fall into "(rest)" unseen)."""
    import importlib

    found, absent = [], []
    for module_name, names in PHASES.items():
        module: ModuleType = importlib.import_module(module_name)
        for name in names:
            f = getattr(module, name, None)
            if callable(f):
                found.append((module, name, f))
            else:
                absent.append(f"{module_name}.{name}")
    if absent:
        raise SystemExit(f"PHASES: not found: {', '.join(absent)}")
    return found


def _instrument(acc: dict[str, float]) -> None:
    for module, name, f in phase_functions():
        setattr(module, name, _timed(acc, name, f))
    import governance.assessor as assessor

    original = assessor.PlanIndex

    class TimedIndex(original):  # type: ignore[misc, valid-type]
        def __init__(self, plan: Any) -> None:
            started = _clock()
            super().__init__(plan)
            acc["PlanIndex"] += _clock() - started

    assessor.PlanIndex = TimedIndex  # type: ignore[misc]


def phases(url: str, runs: int, as_of: date, *, full: bool = False, rebuild: bool = False) -> None:
    from benchmarks.assessment import run_lower_bound
    from governance.workdays import WorkCalendar
    from regie.daily import assess_day
    from store import make_engine, session_factory

    global _clock
    # The server's work is not this process's CPU: on PostgreSQL the phases are wall seconds.
    on_server = _backend(url) != "sqlite"
    _clock = time.perf_counter if on_server else time.process_time
    unit = "wall" if on_server else "CPU"
    acc: dict[str, float] = defaultdict(float)
    _instrument(acc)
    plan = _plan()
    calendar = WorkCalendar.for_plan(plan)
    engine = make_engine(url)
    sessions = session_factory(engine)
    now = datetime.combine(as_of, datetime.min.time(), UTC) + timedelta(hours=6)

    def step() -> int:
        with sessions() as session:
            session.begin()
            day = assess_day(
                session, plan, as_of, calendar, now=now, plan_hash=plan.source_hash, full=full,
                rebuild=rebuild,
            )  # fmt: skip
            session.rollback()
        return day.reassessed

    print(f"warm-up: {step():,} items re-assessed", flush=True)
    best: dict[str, float] = {}
    steps: list[float] = []
    queries: list[float] = []
    for _ in range(runs):
        acc.clear()
        gc.collect()
        started = _clock()
        step()
        steps.append(_clock() - started)
        acc["(rest)"] = steps[-1] - sum(acc.values())
        for name, seconds in acc.items():
            best[name] = min(best.get(name, seconds), seconds)
        gc.collect()
        started = _clock()
        run_lower_bound(engine, as_of, plan.reminders.dependency_lead_days)
        queries.append(_clock() - started)
    engine.dispose()
    ratios = [s / q for s, q in zip(steps, queries, strict=True)]
    print(
        f"step {unit} min {min(steps):.3f} / median {statistics.median(steps):.3f} s; query (a) "
        f"min {min(queries):.3f} s; median ratio {statistics.median(ratios):.2f}×; load {_load()}"
    )
    print(
        f"{unit} ms:",
        "  ".join(f"{k} {v * 1000:.0f}" for k, v in sorted(best.items(), key=lambda kv: -kv[1])),
    )
    later = sum(v for k, v in best.items() if k in AFTER_ASSESSMENT)
    judged = sum(v for k, v in best.items() if k not in AFTER_ASSESSMENT and k != "(rest)")
    print(
        f"minimums: states and roll-ups {judged * 1000:.0f} ms ({judged / min(queries):.2f}× "
        f"the query's minimum), reminders and memory {later * 1000:.0f} ms, the rest "
        f"{best.get('(rest)', 0) * 1000:.0f} ms"
    )


def _backend(url: str) -> str:
    import sqlalchemy as sa

    from store import normalise_url

    return sa.make_url(normalise_url(url)).get_backend_name()


def cycle(target: str, as_of: date, *, full: bool, rebuild: bool = False) -> None:
    from regie.cycle import deadline_check

    app = _app(target if "://" in target else f"sqlite:///{target}")
    report = deadline_check(app, as_of, plan=_plan(), full_assessment=full, rebuild_memory=rebuild)
    print(
        f"assessed {report.assessed:,}, events {len(report.events):,}, queued "
        f"{len(report.queued):,}, counts {report.counts}, programme {report.programme_rag}"
    )
    app.engine.dispose()


def table_hashes(path: Path) -> Iterator[tuple[str, int, str]]:
    """(table, rows, digest) per table, every column but timestamps and claim tokens."""
    connection = sqlite3.connect(path)
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for (name,) in tables:
        columns = [
            r[1]
            for r in connection.execute(f'PRAGMA table_info("{name}")')
            if r[2] != "DATETIME" and r[1] != "claim_token"
        ]
        listed = ", ".join(f'"{c}"' for c in columns)
        digest, n = hashlib.sha256(), 0
        for row in connection.execute(f'SELECT {listed} FROM "{name}" ORDER BY {listed}'):
            digest.update(repr(row).encode())
            n += 1
        yield name, n, digest.hexdigest()[:16]
    connection.close()


def pg_table_hashes(url: str) -> Iterator[tuple[str, int, str]]:
    """:func:`table_hashes` of a PostgreSQL database: every column but timestamps and claim
    tokens, each value as the server's text (sorted byte-wise), so two PostgreSQL databases
    compare equal when their hashes do (not comparable with a SQLite file's)."""
    import sqlalchemy as sa

    from store import make_engine

    engine = make_engine(url, poolclass=sa.NullPool)
    with engine.connect() as connection:
        tables = connection.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        ).scalars()
        for name in list(tables):
            columns = (
                connection.exec_driver_sql(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = %(t)s AND data_type NOT LIKE 'timestamp%%' "
                    "AND column_name <> 'claim_token' ORDER BY ordinal_position",
                    {"t": name},
                )
                .scalars()
                .all()
            )
            listed = ", ".join(f'"{c}"::text COLLATE "C"' for c in columns)
            order = ", ".join(str(k + 1) for k in range(len(columns)))
            query = f'SELECT {listed} FROM "{name}" ORDER BY {order}'
            digest, n = hashlib.sha256(), 0
            streamed = connection.execution_options(stream_results=True, max_row_buffer=20_000)
            for row in streamed.exec_driver_sql(query):
                digest.update(repr(tuple(row)).encode())
                n += 1
            yield name, n, digest.hexdigest()[:16]
    engine.dispose()


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("prepare", "phases", "cycle", "hash"))
    parser.add_argument(
        "target", help="a SQLite file (prepare: or postgres:NAME; phases: a database URL)"
    )
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument(
        "--full", action="store_true", help="cycle, phases: a full assessment (full=True)"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="cycle, phases: a full assessment that does not trust the memory (regie cycle --full)",
    )
    parser.add_argument(
        "--overdue-every",
        type=int,
        metavar="N",
        help="the plan's reminder policy: an overdue item prompted every N working days "
        "(0: once); the same N for prepare and every later command on that database",
    )
    args = parser.parse_args(argv)
    global _overdue_every
    _overdue_every = args.overdue_every
    if args.command == "prepare":
        prepare(args.target, args.as_of)
    elif args.command == "phases":
        phases(args.target, args.runs, args.as_of, full=args.full, rebuild=args.rebuild)
    elif args.command == "cycle":
        cycle(args.target, args.as_of, full=args.full, rebuild=args.rebuild)
    else:
        total = hashlib.sha256()
        on_server = "://" in args.target and _backend(args.target) != "sqlite"
        hashes = pg_table_hashes if on_server else lambda t: table_hashes(Path(t))
        for name, n, digest in hashes(args.target):
            total.update(digest.encode())
            print(f"{name:28s} {n:9,d} {digest}")
        print(f"all {total.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
