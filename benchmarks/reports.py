"""Agenda pack benchmark (issue #11, §9): HTML + PDF for the seed and for a 10,000-milestone
programme, with peak memory.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.reports [--runs 5] [--milestones 10000] [--updates 100000]

1. The seed, as a user types it (the seed scenario of the tests: answers up to 2016-01-15 and
   one decision), each command in a fresh interpreter: ``regie report agenda --format html,pdf``
   (one command, both files and the PDF's annex file: the target's figure), alternating with
   ``--format html`` and ``--format pdf`` on their own; wall and CPU seconds of the child
   (medians) and the load average. Target: HTML + PDF ≤ 3 s.
2. A synthetic programme (``benchmarks/synthetic.py``: 10 steps, 10,000 milestones, 100,000
   status updates, one governance body meeting quarterly) in one process, as the command does
   it: assemble the pack (assess + content), HTML (SVG charts), PDF (PNG charts, WeasyPrint,
   lists capped, the annex as its own HTML file); wall and CPU seconds, the process's peak RSS.
   Target ≤ 30 s for HTML + PDF. Then the progress report over 2015–2017 (HTML + PDF) once.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import machine

if TYPE_CHECKING:
    from governance.plan import Plan
    from regie.bootstrap import App

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
    commands = ("html,pdf", "html", "pdf")
    samples: dict[str, list[tuple[float, float]]] = {fmt: [] for fmt in commands}
    loads: list[float] = []
    for run in range(runs + 1):  # the first round warms caches and is dropped
        for fmt in commands:
            out = home / "out" / "pack"
            out.parent.mkdir(exist_ok=True)
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
                loads.append(os.getloadavg()[0])
    print(f"seed agenda pack, {runs} runs (median wall / CPU seconds of the command, "
          f"load average {min(loads):.1f}–{max(loads):.1f}):")  # fmt: skip
    medians = {
        fmt: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for fmt, v in samples.items()
    }
    for fmt, (wall, cpu) in medians.items():
        print(f"  regie report agenda --format {fmt:<8} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    wall, cpu = medians["html,pdf"]
    verdict = "met" if wall <= 3 else "NOT met"
    print(f"  html + pdf (one command)                {wall:6.2f} s wall  {cpu:6.2f} s CPU"
          f"  (target ≤ 3 s: {verdict})")  # fmt: skip


def large(runs: int, milestones: int, updates: int) -> None:
    from benchmarks.database import cache_key, prepare
    from benchmarks.synthetic import build_plan, generate_updates
    from governance.meetings import Frequency, MeetingRule, MeetingSchedule
    from governance.plan import GovernanceBody
    from regie.bootstrap import App
    from regie.config import load_settings
    from regie.reports import (
        _agenda_charts,
        _chart_maker,
        agenda_pack,
        render_agenda,
        render_agenda_annex,
    )

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
    timings: dict[str, list[tuple[float, float]]] = {"pack": [], "html": [], "pdf": []}
    sizes: dict[str, int] = {}
    for run in range(runs):  # no warm-up round here: one round takes long enough
        with _timed(timings["pack"]):
            pack = agenda_pack(app, "stuurgroep", meeting, as_of, plan=plan)
        charts = _chart_maker(partial(_agenda_charts, pack), ("html", "pdf"))
        with _timed(timings["html"]):
            sizes["html"] = len(render_agenda(pack, "html", charts=charts))
        with _timed(timings["pdf"]):
            sizes["pdf"] = len(render_agenda(pack, "pdf", charts=charts))
            sizes["annex"] = len(render_agenda_annex(pack))
        print(
            f"  round {run + 1}: pack {timings['pack'][-1][0]:.1f} s, html "
            f"{timings['html'][-1][0]:.1f} s, pdf + annex {timings['pdf'][-1][0]:.1f} s (wall), "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    items = len(pack.annex)
    print(f"synthetic programme: {milestones:,} milestones ({items:,} items), {updates:,} updates,"
          f" {runs} run(s) (median wall / CPU seconds):")  # fmt: skip
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
        for k, v in timings.items()
    }
    print(f"  assemble pack (assess + content)   {med['pack'][0]:6.2f} s  {med['pack'][1]:6.2f} s")
    print(f"  HTML ({sizes['html'] / 1e6:.1f} MB)                    "
          f"{med['html'][0]:6.2f} s  {med['html'][1]:6.2f} s")  # fmt: skip
    print(f"  PDF ({sizes['pdf'] / 1e6:.2f} MB) + annex file ({sizes['annex'] / 1e6:.1f} MB) "
          f"{med['pdf'][0]:6.2f} s  {med['pdf'][1]:6.2f} s")  # fmt: skip
    wall = sum(w for w, _ in med.values())
    cpu = sum(c for _, c in med.values())
    verdict = "met" if wall <= 30 else "NOT met"
    print(f"  pack + HTML + PDF (one command)    {wall:6.2f} s  {cpu:6.2f} s"
          f"  (target ≤ 30 s: {verdict})")  # fmt: skip
    print(f"  peak RSS of the process            {_peak_mib():6.0f} MiB")
    progress(app, plan)


def progress(app: App, plan: Plan) -> None:
    """The progress report over three years of the synthetic programme, HTML + PDF, once."""
    from regie.reports import (
        _chart_maker,
        _progress_charts,
        progress_report,
        render_progress,
        render_progress_annex,
    )

    spent: list[tuple[float, float]] = []
    with _timed(spent):
        report = progress_report(app, date(2015, 1, 1), date(2017, 12, 31), date(2018, 1, 1),
                                 plan=plan)  # fmt: skip
        charts = _chart_maker(lambda cf: _progress_charts(report, cf), ("html", "pdf"))
        html = render_progress(report, "html", charts=charts)
        pdf = render_progress(report, "pdf", charts=charts)
        annex = render_progress_annex(report)
    (wall, cpu), load = spent[0], os.getloadavg()[0]
    print(f"progress report 2015–2017, HTML ({len(html) / 1e6:.1f} MB) + PDF "
          f"({len(pdf) / 1e6:.2f} MB) + annex ({len(annex) / 1e6:.1f} MB): {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU, load {load:.1f}; peak RSS {_peak_mib():.0f} MiB")  # fmt: skip


@contextmanager
def _timed(into: list[tuple[float, float]]) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    into.append((time.perf_counter() - wall, time.process_time() - cpu))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="seed rounds (after one warm-up)")
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
