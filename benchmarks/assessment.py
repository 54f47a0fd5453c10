"""Assessment speed: Regie end to end against a hand-written SQL query (the lower bound).

Usage, from the repository root::

    .venv/bin/python -m benchmarks.assessment [--milestones N] [--updates M]
        [--db sqlite|postgres|both] [--as-of DATE] [--runs R] [--seed S] [--rebuild]
        [--jit] [--gc-threshold N] [--full-history]

PostgreSQL needs ``REGIE_BENCH_POSTGRES_URL`` or ``REGIE_TEST_POSTGRES_URL`` (a server where
the database ``regie_bench`` may be created and dropped).

Per database, best of ``--runs``:

(a) the lower bound: one SQL query returning the codes of the overdue items
    (:mod:`benchmarks.lower_bound`);
(b) Regie: load what the assessment needs (:func:`store.assessment_query.
    assessment_updates`), ``assess(plan, updates, as_of)`` as ``regie status`` calls it, then
    the ids in state overdue. The plan is in memory, as the application has it once the plan
    file is loaded.

Both sets must be identical (the script exits non-zero otherwise). The target is (b)/(a) ≤ 1.5.
Results and their reading: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from benchmarks import machine
from benchmarks.database import (
    BENCH_INDEXES,
    BenchDatabase,
    cache_key,
    postgres_server_url,
    prepare,
)
from benchmarks.lower_bound import overdue_codes
from benchmarks.synthetic import PROGRAMME_ID, UpdateRow, build_plan, generate_updates
from governance.assessment import State, assess
from governance.plan import Plan
from store import Repository, make_engine, session_factory, sync_plan
from store.assessment_query import assessment_updates

TARGET_RATIO = 1.5
UPDATES_SEED = 2020


@dataclass(slots=True)
class Figures:
    database: str
    lower_bound: list[float] = field(default_factory=list)
    # Per run of (b): load, assess, select, and the part of those spent in the cyclic GC.
    regie: list[tuple[float, float, float, float]] = field(default_factory=list)
    overdue: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def best_lower(self) -> float:
        return min(self.lower_bound)

    @property
    def best_regie(self) -> tuple[float, float, float, float]:
        return min(self.regie, key=lambda t: t[0] + t[1] + t[2])

    @property
    def ratio(self) -> float:
        load, run, select, _ = self.best_regie
        return (load + run + select) / self.best_lower


class _GcClock:
    """Time spent in the cyclic garbage collector while it is installed (gc.callbacks)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


def _engine(db: BenchDatabase, jit: bool) -> Engine:
    if db.name == "postgres" and not jit:
        # JIT compilation cost the lower-bound query ~0.8 s of ~2 s here; off for both sides.
        return make_engine(db.url, connect_args={"options": "-c jit=off"})
    return make_engine(db.url)


def run_lower_bound(engine: Engine, as_of: date, lead: int) -> tuple[set[str], float]:
    started = time.perf_counter()
    with engine.connect() as connection:
        codes = overdue_codes(connection, PROGRAMME_ID, as_of, lead)
    return codes, time.perf_counter() - started


def run_regie(
    engine: Engine, plan: Plan, as_of: date
) -> tuple[set[str], tuple[float, float, float, float], dict[str, int]]:
    clock = _GcClock()
    gc.callbacks.append(clock)
    try:
        started = time.perf_counter()
        with session_factory(engine)() as session:
            updates = assessment_updates(session, plan.programme.id, as_of)
        loaded = time.perf_counter()
        assessment = assess(plan, updates, as_of)
        assessed = time.perf_counter()
        overdue = {i.item_id for i in assessment.items.values() if i.state is State.OVERDUE}
        selected = time.perf_counter()
    finally:
        gc.callbacks.remove(clock)
    times = (loaded - started, assessed - loaded, selected - assessed, clock.total)
    return overdue, times, assessment.counts()


def time_resync(engine: Engine, plan: Plan) -> float:
    """``sync_plan`` of the unchanged plan, as every daily cycle runs it (then rolled back)."""
    with session_factory(engine)() as session, session.begin():
        started = time.perf_counter()
        result = sync_plan(session, plan, now=datetime(2019, 10, 1, tzinfo=UTC))
        seconds = time.perf_counter() - started
        if result.changed:
            raise SystemExit(f"re-sync of the same plan changed something: {result.describe()}")
        session.rollback()
    return seconds


def check_full_history(engine: Engine, plan: Plan, as_of: date) -> None:
    """The old way (every update on record) once: slow, but it must give the same states."""
    started = time.perf_counter()
    with session_factory(engine)() as session:
        everything = Repository(session, plan.programme.id).status_updates(until=as_of)
        picked = assessment_updates(session, plan.programme.id, as_of)
    loaded = time.perf_counter()
    full = assess(plan, everything, as_of)
    assessed = time.perf_counter()
    same = full == assess(plan, picked, as_of)
    print(
        f"  full history: {len(everything):,} updates loaded in {loaded - started:.2f} s, "
        f"assessed in {assessed - loaded:.2f} s; same assessment as (b): {same}"
    )
    if not same:
        raise SystemExit("assessment_updates gave a different assessment than the full history")


def measure(db: BenchDatabase, plan: Plan, as_of: date, runs: int, jit: bool) -> Figures:
    engine = _engine(db, jit)
    figures = Figures(db.name)
    lead = plan.reminders.dependency_lead_days
    try:
        expected: set[str] | None = None
        for _ in range(runs):
            gc.collect()  # every run starts with no garbage left over from the previous one
            codes, seconds = run_lower_bound(engine, as_of, lead)
            figures.lower_bound.append(seconds)
            expected = codes
        for _ in range(runs):
            gc.collect()
            overdue, times, figures.counts = run_regie(engine, plan, as_of)
            figures.regie.append(times)
            if overdue != expected:
                missing = sorted((expected or set()) - overdue)[:5]
                extra = sorted(overdue - (expected or set()))[:5]
                raise SystemExit(
                    f"{db.name}: sets differ; only in SQL {missing}, only in Regie {extra}"
                )
        figures.overdue = len(expected or ())
        if db.name == "postgres":
            print(f"  PostgreSQL JIT: {'on' if jit else 'off'} (both sides)")
    finally:
        engine.dispose()
    return figures


def report(figures: Figures) -> None:
    lows = ", ".join(f"{t:.3f}" for t in figures.lower_bound)
    print(f"  (a) lower bound, SQL:    best {figures.best_lower:.3f} s   (runs: {lows})")
    for load, run, select, in_gc in figures.regie:
        total = load + run + select
        print(
            f"      (b) run: {total:.3f} s = load {load:.3f} + assess {run:.3f} "
            f"+ select {select:.3f} (cyclic GC {in_gc:.3f})"
        )
    load, run, select, in_gc = figures.best_regie
    print(f"  (b) Regie end to end:    best {load + run + select:.3f} s")
    print(f"  overdue: {figures.overdue:,} items on both sides (sets identical)")
    print(f"  states: {', '.join(f'{k} {v:,}' for k, v in figures.counts.items())}")
    met = "yes" if figures.ratio <= TARGET_RATIO else "NO"
    print(f"  ratio (b)/(a): {figures.ratio:.2f}x   target <= {TARGET_RATIO}x met: {met}")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.assessment",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--milestones", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2019, 10, 1))
    parser.add_argument("--runs", type=int, default=3, help="best of this many (default 3)")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--rebuild", action="store_true", help="ignore cached databases")
    parser.add_argument("--jit", action="store_true", help="leave PostgreSQL's JIT on")
    parser.add_argument(
        "--gc-threshold",
        type=int,
        metavar="N",
        help="set the cyclic GC's generation-0 threshold to N (Python's default is 700)",
    )
    parser.add_argument(
        "--full-history",
        action="store_true",
        help="also assess once from every update on record and compare (slow)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    if args.gc_threshold:
        gc.set_threshold(args.gc_threshold, *gc.get_threshold()[1:])
    names = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    print("Machine")
    pg_url = postgres_server_url() if "postgres" in names else None
    for line in machine.describe(pg_url):
        print(f"  {line}")
    started = time.perf_counter()
    plan = build_plan(args.milestones, args.seed)
    deadlines = len(plan.deadlines())
    print(
        f"\nPlan: {sum(1 for _ in plan.milestones()):,} milestones, {deadlines:,} deadlines "
        f"(built in {time.perf_counter() - started:.1f} s); as_of {args.as_of}"
    )
    print(f"Cyclic GC thresholds: {gc.get_threshold()}")
    print("Benchmark-only indexes (a migration should add them):")
    for ddl in BENCH_INDEXES:
        print(f"  {ddl};")
    key = cache_key(args.milestones, args.updates, args.seed)
    databases = _prepare_all(names, plan, args.updates, key, args.rebuild)
    results = []
    for db in databases:
        print(f"\n{db.name}")
        print(f"  status updates stored: {_count_updates(db):,}")
        figures = measure(db, plan, args.as_of, args.runs, args.jit)
        report(figures)
        engine = _engine(db, args.jit)
        try:
            resync = time_resync(engine, plan)
            print(f"  sync_plan, unchanged plan (each daily cycle): {resync:.2f} s")
            if args.full_history:
                check_full_history(engine, plan, args.as_of)
        finally:
            engine.dispose()
        results.append(figures)
    print(
        "\n| database | deadlines | updates | overdue | (a) SQL s | (b) Regie s | ratio | ≤ 1.5× |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for f in results:
        load, run, select, _ = f.best_regie
        met = "yes" if f.ratio <= TARGET_RATIO else "no"
        print(
            f"| {f.database} | {deadlines:,} | {args.updates:,} | {f.overdue:,} | "
            f"{f.best_lower:.3f} | {load + run + select:.3f} | {f.ratio:.2f}× | {met} |"
        )
    return 0


def _prepare_all(
    names: Sequence[str], plan: Plan, updates: int, key: str, rebuild: bool
) -> list[BenchDatabase]:
    """Build or reuse every database first, so the generated updates (a million objects the
    garbage collector would otherwise walk during the timings) are gone before measuring."""
    made: list[Sequence[UpdateRow]] = []

    def rows() -> Sequence[UpdateRow]:
        if not made:  # generated at most once, and only when a database has to be built
            made.append(generate_updates(plan, updates, UPDATES_SEED))
        return made[0]

    databases = []
    for name in names:
        db = prepare(name, plan, rows, key, rebuild=rebuild)
        if db.built:
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in db.timings.items())
            print(f"{name}: built: {steps}")
        else:
            print(f"{name}: cached database reused (--rebuild to build it again)")
        databases.append(db)
    made.clear()
    gc.collect()
    return databases


def _count_updates(db: BenchDatabase) -> int:
    engine = make_engine(db.url, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            return int(
                connection.exec_driver_sql("SELECT count(*) FROM status_updates").scalar_one()
            )
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
