"""The daily cycle at scale: first (full) run, steady-state days, and the assessment step
against the hand-written SQL overdue query.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.daily [--milestones N] [--updates M]
        [--db sqlite|postgres|both] [--as-of DATE] [--days D] [--pairs P] [--full-pairs F]

Uses the cached benchmark databases of :mod:`benchmarks.assessment` (built when missing) and
works on a copy (SQLite: a file copy; PostgreSQL: ``CREATE DATABASE … TEMPLATE``). The updates
of the synthetic history stretch past ``as_of``, so every day some count for the first time:
the steady state of a live programme.

Per database:

1. the first :func:`regie.cycle.deadline_check` at ``as_of`` − ``days`` − 1 (full assessment);
2. ``days`` daily cycles on the following days (incremental), each timed: sync of the unchanged
   plan, assessment, events, states, prompts, outbox — the whole transaction;
   PostgreSQL is then settled (:func:`settle`: what autovacuum does in the day between);
3. at ``as_of``, ``pairs`` alternating pairs (a) the SQL overdue query, (b) the incremental
   assessment step (:func:`regie.daily.assess_day`, rolled back), then (a)/(c) with the full
   assessment (``full=True``, rolled back; ``full_pairs`` pairs); wall and CPU seconds;
4. ``pairs`` dry runs of the whole daily cycle in a fresh process (``--cycle-only``), which
   builds the plan as ``regie cycle`` has it, and reports its own peak resident memory.

The default ``as_of``, 2019-10-01, is the busiest working day of its quarter (every open-ended
and periodic item is due its quarterly status prompt, and the quarter's deadlines were the day
before): 14 % of the items re-assessed at 100k. ``--as-of 2019-10-08`` is an ordinary Tuesday
(5.4 %). See benchmarks/RESULTS.md §5, round 13.

The plan is in memory with a file hash, as the cycle has it after loading an unchanged plan
file (parsing the YAML is not part of these figures; see benchmarks/RESULTS.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from benchmarks import machine
from benchmarks.assessment import UPDATES_SEED, _engine, run_lower_bound
from benchmarks.database import BenchDatabase, cache_key, postgres_server_url, prepare
from benchmarks.synthetic import build_plan, generate_updates
from governance.plan import Plan
from governance.workdays import WorkCalendar
from regie.bootstrap import App, bootstrap
from regie.config import load_settings
from regie.cycle import deadline_check
from regie.daily import assess_day
from store import make_engine, normalise_url, session_factory

NOW = datetime(2019, 10, 1, 6, tzinfo=UTC)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _own_peak_mib() -> float:
    """This process's own peak RSS (``VmHWM``): unlike ``ru_maxrss``, which Linux carries over
    from the parent through fork and exec, it counts only memory this program touched."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return _rss_mib()


def _copy(db: BenchDatabase, home: Path) -> str:
    """A working copy of the cached database, so the cycles' writes never touch the cache."""
    if db.name == "sqlite":
        source = Path(sa.make_url(db.url).database or "")
        target = home / "daily.db"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    server = postgres_server_url() or ""
    admin = make_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    source_name = sa.make_url(db.url).database
    with admin.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS regie_daily WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE regie_daily TEMPLATE {source_name}")
    admin.dispose()
    url = sa.make_url(normalise_url(server)).set(database="regie_daily")
    return url.render_as_string(hide_password=False)


def settle(engine: sa.Engine) -> None:
    """PostgreSQL: ``VACUUM ANALYZE``, what autovacuum does in the day between two cycles.

    The cycles before the measured day run back to back: the memory rows they rewrote (38,887 on
    the Monday) stay as dead versions beside the live ones, which every read of the table then
    walks over, until autovacuum gets to them (it waits for a fifth of a table to be dead and
    then for its next round). A cycle a day later finds them gone. SQLite updates in place:
    nothing to do there (its planner statistics are left as a live database has them)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _app(url: str, home: Path) -> App:
    return bootstrap(
        load_settings(
            {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": url, "REGIE_PLAN": "unused.yaml"}
        )
    )


_CPU: list[float] = []  # CPU seconds of the (b) steps, in the order run
_SQL_CPU: list[float] = []  # CPU seconds of this process in the (a) queries (SQLite: all of it)


def _timed_sql(engine: sa.Engine, as_of: date, lead: int) -> float:
    cpu = time.process_time()
    seconds = run_lower_bound(engine, as_of, lead)[1]
    _SQL_CPU.append(time.process_time() - cpu)
    return seconds


def _timed_step(engine: sa.Engine, plan: Plan, as_of: date, *, full: bool) -> tuple[float, int]:
    """The assessment step alone (memory, selection, load, assess, states, prompts), rolled
    back so it can be repeated."""
    cal = WorkCalendar.for_plan(plan)
    with session_factory(engine)() as session:
        session.begin()
        started, cpu = time.perf_counter(), time.process_time()
        day = assess_day(session, plan, as_of, cal, now=NOW, plan_hash=plan.source_hash, full=full)
        seconds = time.perf_counter() - started
        _CPU.append(time.process_time() - cpu)
        session.rollback()
    return seconds, day.reassessed


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _cycle_process(url: str, as_of: date, milestones: int, seed: int, runs: int) -> None:
    """The whole daily cycle (dry run) in a fresh process, as ``regie cycle`` runs it: its
    peak RSS is the cycle's (with the plan it needs in memory), not this benchmark's."""
    command = [
        sys.executable, "-m", "benchmarks.daily", "--cycle-only", url,
        "--as-of", as_of.isoformat(), "--milestones", str(milestones), "--seed", str(seed),
        "--pairs", str(runs),
    ]  # fmt: skip
    subprocess.run(command, check=True)


def _cycle_only(url: str, as_of: date, milestones: int, seed: int, runs: int) -> None:
    plan = build_plan(milestones, seed)
    plan = dataclasses.replace(plan, source_hash=f"bench-{milestones}-{seed}")
    gc.collect()
    plan_rss = _own_peak_mib()
    with tempfile.TemporaryDirectory(prefix="regie-cycle-") as tmp:
        app = _app(url, Path(tmp))
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(runs):
            gc.collect()
            started, cpu = time.perf_counter(), time.process_time()
            deadline_check(app, as_of, plan=plan, dry_run=True)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        app.engine.dispose()
    print(
        f"  daily cycle at {as_of} in its own process (dry run, whole transaction): median "
        f"{statistics.median(walls):.2f} s wall / {statistics.median(cpus):.2f} s CPU, best "
        f"{min(walls):.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)}); peak RSS "
        f"{_own_peak_mib():.0f} MiB (after building the plan: {plan_rss:.0f} MiB); load {_load()}",
        flush=True,
    )


def run(
    db: BenchDatabase, plan: Plan, as_of: date, days: int, pairs: int, full_pairs: int, seed: int
) -> None:
    with tempfile.TemporaryDirectory(prefix="regie-daily-") as tmp:
        home = Path(tmp)
        url = _copy(db, home)
        app = _app(url, home)
        try:
            first_day = as_of - timedelta(days=days + 1)
            gc.collect()
            started = time.perf_counter()
            report = deadline_check(app, first_day, plan=plan)
            print(
                f"  first cycle {first_day} (full): {time.perf_counter() - started:.2f} s, "
                f"{report.assessed:,} assessed, {len(report.events):,} events, "
                f"{len(report.queued):,} queued, sync: {report.synced}"
            )
            for n in range(days):
                day = first_day + timedelta(days=n + 1)
                gc.collect()
                started = time.perf_counter()
                report = deadline_check(app, day, plan=plan)
                print(
                    f"  cycle {day} ({'working day' if report.working_day else 'day off'}): "
                    f"{time.perf_counter() - started:.2f} s, {report.assessed:,} re-assessed, "
                    f"{len(report.events):,} events, {len(report.queued):,} queued"
                )
            settle(app.engine)
            # The pairs run with PostgreSQL's JIT off on both sides, as benchmarks.assessment.
            engine = _engine(dataclasses.replace(db, url=url), jit=False)
            lead = plan.reminders.dependency_lead_days
            sql: list[float] = []
            incremental: list[float] = []
            full: list[float] = []
            chosen = 0
            for _ in range(pairs):
                gc.collect()
                sql.append(_timed_sql(engine, as_of, lead))
                gc.collect()
                seconds, chosen = _timed_step(engine, plan, as_of, full=False)
                incremental.append(seconds)
            sql_full: list[float] = []
            full_pairs = max(full_pairs, 1)
            for _ in range(full_pairs):
                gc.collect()
                sql_full.append(_timed_sql(engine, as_of, lead))
                gc.collect()
                full.append(_timed_step(engine, plan, as_of, full=True)[0])
            engine.dispose()
            both = pairs + full_pairs
            cpu_incremental, cpu_full = _CPU[-both:-full_pairs], _CPU[-full_pairs:]
            sql_cpu, sql_full_cpu = _SQL_CPU[-both:-full_pairs], _SQL_CPU[-full_pairs:]
            _print_pairs("incremental step", sql, incremental, f"{chosen:,} items re-assessed")
            _print_cpu(sql_cpu, cpu_incremental)
            _print_pairs("full step", sql_full, full, f"{len(plan.deadlines()):,} items")
            _print_cpu(sql_full_cpu, cpu_full)
            sys.stdout.flush()
            app.engine.dispose()
            _cycle_process(url, as_of, sum(1 for _ in plan.milestones()), seed, pairs)
        finally:
            app.engine.dispose()
    print(f"  peak RSS of this benchmark process so far: {_rss_mib():.0f} MiB")


def _print_cpu(a: list[float], b: list[float]) -> None:
    """CPU seconds of this process: on SQLite the query's whole cost, on PostgreSQL only the
    client's share of (a) (the server's CPU is another process)."""
    ratios = [y / x for x, y in zip(a, b, strict=True) if x > 0]
    ratio = f", ratio per pair median {statistics.median(ratios):.2f}x" if ratios else ""
    print(
        f"    CPU seconds: (a) median {statistics.median(a):.3f} s, (b) median "
        f"{statistics.median(b):.3f} s{ratio}; load {_load()}"
    )


def _print_pairs(label: str, a: list[float], b: list[float], note: str) -> None:
    ratios = [y / x for x, y in zip(a, b, strict=True)]
    print(
        f"  {label}: (a) SQL median {statistics.median(a):.3f} s, (b) median "
        f"{statistics.median(b):.3f} s, ratio per pair median {statistics.median(ratios):.2f}x "
        f"(pairs: {', '.join(f'{r:.2f}' for r in ratios)}); {note}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.daily",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--milestones", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2019, 10, 1))
    parser.add_argument("--days", type=int, default=2, help="incremental days before as_of")
    parser.add_argument("--pairs", type=int, default=5, help="alternating (a, b) pairs")
    parser.add_argument(
        "--full-pairs", type=int, default=2, help="pairs with the full assessment (slow)"
    )
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--cycle-only", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cycle_only:
        _cycle_only(args.cycle_only, args.as_of, args.milestones, args.seed, args.pairs)
        return 0
    names = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    print("Machine")
    for line in machine.describe(postgres_server_url() if "postgres" in names else None):
        print(f"  {line}")
    with open("/proc/loadavg") as f:
        print(f"  load average at start: {' '.join(f.read().split()[:3])}")
    plan = build_plan(args.milestones, args.seed)
    plan = dataclasses.replace(plan, source_hash=f"bench-{args.milestones}-{args.seed}")
    gc.collect()
    print(f"\nPlan: {len(plan.deadlines()):,} deadlines; RSS after building it "
          f"{_rss_mib():.0f} MiB")  # fmt: skip
    key = cache_key(args.milestones, args.updates, args.seed)
    made: list[object] = []

    def rows():  # type: ignore[no-untyped-def]
        if not made:
            made.append(generate_updates(plan, args.updates, UPDATES_SEED))
        return made[0]

    databases = [prepare(name, plan, rows, key) for name in names]
    made.clear()
    gc.collect()
    for db in databases:
        print(f"\n{db.name} ({'built' if db.built else 'cached'})")
        run(db, plan, args.as_of, args.days, args.pairs, args.full_pairs, args.seed)
    with open("/proc/loadavg") as f:
        print(f"\nload average at end: {' '.join(f.read().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
