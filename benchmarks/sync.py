"""Syncing a plan that changed a little: does it cost what changed, not the plan's size?

For each size and database: a fresh database, the synthetic plan synced once (committed), then
rounds in which each scenario runs once in turn (alternating, so load drift hits all alike), every
sync in a transaction that is rolled back so the next one starts from the same stored plan:

- *unchanged*: the same file as last time (a hash comparison);
- *same content*: another file hash but the same plan (e.g. a comment edited: a full compare
  that finds nothing);
- *one edit*: one milestone's title changed;
- *1 % edits*: the titles of 1 % of the milestones changed.

Wall and CPU time (``time.process_time``) per scenario, medians, plus the load average::

    .venv/bin/python -m benchmarks.sync --sizes 10000 100000 --db both --rounds 5
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from benchmarks.database import postgres_server_url
from benchmarks.machine import describe
from benchmarks.synthetic import build_plan
from governance.plan import Action, Plan, Step
from store import make_engine, normalise_url, session_factory, sync_plan, upgrade

PG_DATABASE = "regie_bench_sync"
FIRST = datetime(2015, 1, 1, tzinfo=UTC)
LATER = datetime(2015, 6, 1, tzinfo=UTC)


def edited(plan: Plan, every: int, tag: str) -> Plan:
    """``plan`` with the title of every ``every``-th milestone changed."""
    count = 0

    def action(a: Action) -> Action:
        nonlocal count
        milestones = []
        for m in a.milestones:
            if count % every == 0:
                m = dataclasses.replace(m, title=f"{m.title} ({tag})")
            count += 1
            milestones.append(m)
        return dataclasses.replace(a, milestones=tuple(milestones))

    steps = tuple(
        Step(s.number, s.title, tuple(action(a) for a in s.actions), s.goal) for s in plan.steps
    )
    return dataclasses.replace(plan, steps=steps, source_hash=f"edit-{every}-{tag}")


def database(name: str, size: int) -> str:
    if name == "sqlite":
        path = Path("var/bench") / f"sync-{size}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = postgres_server_url()
    if not server:
        raise SystemExit(
            "set REGIE_BENCH_POSTGRES_URL or REGIE_TEST_POSTGRES_URL for --db postgres"
        )
    admin = make_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {PG_DATABASE}")
    admin.dispose()
    url = sa.make_url(normalise_url(server)).set(database=PG_DATABASE)
    return url.render_as_string(hide_password=False)


def run(name: str, size: int, rounds: int) -> None:
    url = database(name, size)
    upgrade(url)
    plan = dataclasses.replace(build_plan(size), source_hash="original", path="plan.yaml")
    engine = make_engine(url)
    sessions = session_factory(engine)
    started = time.perf_counter()
    with sessions() as session, session.begin():
        sync_plan(session, plan, now=FIRST)
    first = time.perf_counter() - started
    items = sum(len(a.milestones) + 1 for a in plan.actions())
    scenarios: dict[str, Plan] = {
        "unchanged": plan,
        "same content": dataclasses.replace(plan, source_hash="reformatted"),
        "one edit": edited(plan, items * 10, "one"),
        "1 % edits": edited(plan, 100, "pct"),
    }
    figures: dict[str, list[tuple[float, float, int]]] = {k: [] for k in scenarios}
    for _ in range(rounds + 1):  # the first round warms caches and is not counted
        for label, variant in scenarios.items():
            wall, cpu, revisions = _timed(partial(_sync_rolled_back, sessions, variant))
            figures[label].append((wall, cpu, revisions))
    engine.dispose()
    print(f"\n{name}, {items:,} items (first sync {first:.2f} s), {rounds} rounds, medians:")
    print(f"  {'scenario':<14}{'wall':>9}{'CPU':>9}{'revisions':>11}")
    for label, runs in figures.items():
        counted = runs[1:]
        wall = statistics.median(r[0] for r in counted)
        cpu = statistics.median(r[1] for r in counted)
        print(f"  {label:<14}{wall:>8.3f}s{cpu:>8.3f}s{counted[0][2]:>11,}")
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _sync_rolled_back(sessions: Callable[[], sa.orm.Session], plan: Plan) -> int:
    with sessions() as session:
        session.begin()
        try:
            result = sync_plan(session, plan, now=LATER, plan_path="plan.yaml")
            return len(result.revisions)
        finally:
            session.rollback()


def _timed(work: Callable[[], int]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = work()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    names = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for line in describe(postgres_server_url() if "postgres" in names else None):
        print(line)
    for size in args.sizes:
        for name in names:
            run(name, size, args.rounds)


if __name__ == "__main__":
    main()
