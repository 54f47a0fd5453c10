"""Agenda pack benchmark (issue #11, §9): HTML + PDF for the seed and for a 10,000-milestone
programme, with peak memory.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.reports [--runs 5] [--milestones 10000] [--updates 100000]

1. The seed, as a user types it: ``regie report agenda --format html`` and ``--format pdf`` in a
   fresh interpreter each (the seed scenario of the tests: answers up to 2016-01-15 and one
   decision), alternating html, pdf, html, pdf …; wall and CPU seconds (medians). Target: HTML +
   PDF ≤ 3 s.
2. A synthetic programme (``benchmarks/synthetic.py``: 10 steps, 10,000 milestones, 100,000
   status updates, one governance body meeting quarterly) in one process: assemble the pack
   (assess + content), HTML (with SVG charts), PDF (PNG charts, WeasyPrint), alternating; wall
   seconds and the process's peak RSS. Target ≤ 30 s for HTML + PDF.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchmarks import machine

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2016-01-15"
MEETING = "2016-04-12"


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seed(runs: int) -> None:
    from tests.integration.reports_scenario import make_app, seed_scenario

    home = Path(tempfile.mkdtemp(prefix="regie-bench-reports-"))
    app = make_app(home)
    seed_scenario(app)
    env = {
        **os.environ,
        "REGIE_HOME": str(home),
        "REGIE_PLAN": str(app.settings.plan_path),
    }
    env.pop("REGIE_DATABASE_URL", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    samples: dict[str, list[tuple[float, float]]] = {"html": [], "pdf": []}
    for run in range(runs + 1):  # the first round warms caches and is dropped
        for fmt in ("html", "pdf"):
            out = home / f"pack.{fmt}"
            cpu = _cpu_children()
            started = time.perf_counter()
            subprocess.run(
                [str(ROOT / ".venv/bin/regie"), "report", "agenda", "--body", "stuurgroep",
                 "--meeting", MEETING, "--as-of", AS_OF, "--format", fmt, "--out", str(out)],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
            wall = time.perf_counter() - started
            if run:
                samples[fmt].append((wall, _cpu_children() - cpu))
    print(f"seed agenda pack, {runs} runs (median wall / CPU seconds):")
    total_wall = total_cpu = 0.0
    for fmt, values in samples.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        total_wall += wall
        total_cpu += cpu
        print(f"  regie report agenda --format {fmt:<4} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    verdict = "met" if total_wall <= 3 else "NOT met"
    print(f"  html + pdf                          {total_wall:6.2f} s wall  {total_cpu:6.2f} s CPU"
          f"  (target ≤ 3 s: {verdict})")  # fmt: skip


def large(runs: int, milestones: int, updates: int) -> None:
    from benchmarks.database import cache_key, prepare
    from benchmarks.synthetic import build_plan, generate_updates
    from governance.meetings import Frequency, MeetingRule, MeetingSchedule
    from governance.plan import GovernanceBody
    from regie.bootstrap import App
    from regie.config import load_settings
    from regie.reports import agenda_pack, render_agenda

    plan = build_plan(milestones=milestones)
    orgs = tuple(o.id for o in plan.organisations)
    body = GovernanceBody(
        "stuurgroep", "Stuurgroep (benchmark)", "Sturen", members=orgs,
        meetings=MeetingSchedule(rule=MeetingRule(Frequency.QUARTER, date(2015, 1, 1), weekday=1,
                                                  nth=2)),
    )  # fmt: skip
    plan = replace(plan, governance=(body,))
    db = prepare(
        "sqlite",
        plan,
        lambda: generate_updates(plan, updates),
        cache_key(milestones, updates, 2015),
    )
    home = Path(tempfile.mkdtemp(prefix="regie-bench-reports-"))
    app = App(load_settings({"REGIE_HOME": str(home), "REGIE_DATABASE_URL": db.url}))
    meeting, as_of = date(2018, 4, 10), date(2018, 3, 15)
    timings: dict[str, list[float]] = {"pack": [], "html": [], "pdf": []}
    sizes: dict[str, int] = {}
    for run in range(runs):  # no warm-up round here: one round takes long enough
        started = time.perf_counter()
        pack = agenda_pack(app, "stuurgroep", meeting, as_of, plan=plan)
        timings["pack"].append(time.perf_counter() - started)
        for fmt in ("html", "pdf"):
            started = time.perf_counter()
            content = render_agenda(pack, fmt)
            timings[fmt].append(time.perf_counter() - started)
            sizes[fmt] = len(content)
        print(
            f"  round {run + 1}: pack {timings['pack'][-1]:.1f} s, html {timings['html'][-1]:.1f}"
            f" s, pdf {timings['pdf'][-1]:.1f} s, load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    items = len(pack.annex)
    print(f"synthetic programme: {milestones:,} milestones ({items:,} items), {updates:,} updates,"
          f" {runs} run(s) (median wall seconds):")  # fmt: skip
    pack_s = statistics.median(timings["pack"])
    html_s = statistics.median(timings["html"])
    pdf_s = statistics.median(timings["pdf"])
    print(f"  assemble pack (assess + content)   {pack_s:6.2f} s")
    print(f"  HTML ({sizes['html'] / 1e6:.1f} MB)                    {html_s:6.2f} s")
    print(f"  PDF  ({sizes['pdf'] / 1e6:.1f} MB)                    {pdf_s:6.2f} s")
    total = pack_s * 2 + html_s + pdf_s
    verdict = "met" if total <= 30 else "NOT met"
    print(f"  pack + HTML + pack + PDF           {total:6.2f} s  (target ≤ 30 s: {verdict})")
    print(f"  peak RSS of the process            {peak:6.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="seed rounds (after one warm-up)")
    parser.add_argument("--large-runs", type=int, default=1, help="rounds for the large plan")
    parser.add_argument("--milestones", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--only", choices=("seed", "large"))
    args = parser.parse_args()
    for line in machine.describe():
        print(line)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    if args.only != "large":
        seed(args.runs)
    if args.only != "seed":
        large(args.large_runs, args.milestones, args.updates)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
