"""review51 6: the office's shared assessment after one new status update (the reassess path)
with every item's first assessed day stored, plus ``--pad`` rows of items no longer in the plan
(a programme's table at 100k rows without a 100k-item plan).

Usage, from the repository root::

    .venv/bin/python -m benchmarks.office_first_days [--pad 90897] [--runs 9]

The synthetic programme of benchmarks.feeds_web (10,103 items, 50,000 updates, SQLite, the
same cached database), on a working copy (var/bench/office-first-days.db). Prints the median
wall and CPU time of ``regie.office.shared_assessment`` after an untimed new update.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from benchmarks.database import cache_key, prepare
from benchmarks.feeds_web import make_app, record_answer
from benchmarks.synthetic import build_plan, generate_updates

AS_OF = date(2019, 10, 1)
FIRST = date(2019, 9, 2)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.office_first_days")
    parser.add_argument("--pad", type=int, default=0)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    plan = build_plan(10_000, 2015)
    key = "feeds-" + cache_key(10_000, 50_000, 2015)
    db = prepare("sqlite", plan, lambda: generate_updates(plan, 50_000), key)
    work = Path("var/bench/office-first-days.db").resolve()
    shutil.copyfile(db.url.removeprefix("sqlite:///"), work)
    app = make_app(f"sqlite:///{work}", plan, Path("var/bench/feeds-plan.yaml").resolve())
    pid = plan.programme.id
    codes = [d.item_id for d in plan.deadlines()] + [f"gone.{i}" for i in range(args.pad)]
    now = datetime(2019, 9, 2, 8, tzinfo=UTC)
    with app.engine.begin() as connection:
        connection.execute(
            sa.text("DELETE FROM item_first_assessed WHERE programme_id = :p"), {"p": pid}
        )
        connection.execute(
            sa.text(
                "INSERT INTO item_first_assessed (programme_id, item_code, as_of, recorded_at)"
                " VALUES (:p, :c, :d, :r)"
            ),
            [{"p": pid, "c": code, "d": FIRST, "r": now} for code in codes],
        )
    from regie import plan_cache
    from regie.office import shared_assessment

    plan_cache.clear_facts()
    with app.session() as session:
        shared_assessment(app, session, plan, AS_OF)  # the full one the next ones build on
    wall, cpu = [], []
    for _ in range(args.runs):
        record_answer(app, plan, AS_OF)  # untimed: an owner's answer arrives
        started, used = time.perf_counter(), time.process_time()
        with app.session() as session:
            shared_assessment(app, session, plan, AS_OF)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    print(
        f"{len(codes):,} first-day rows: after a new update median {statistics.median(wall):.4f} s"
        f" (CPU {statistics.median(cpu):.4f} s), best {min(wall):.4f} s,"
        f" load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
