"""Parsing a large plan file: `regie plan validate` with and without the parse cache.

The synthetic plan (benchmarks/synthetic.py, ``--milestones`` milestones) is written as a plan
file; then rounds alternate (a) `regie plan validate` on an empty ``REGIE_HOME`` (ruamel.yaml's
pure-Python composer parses the file) and (b) the same on a home whose cache already holds that
file's content (regie/parse_cache.py: the parsed plan is unpickled). A fresh interpreter each;
wall time and the child's CPU time (user + sys), medians, and the load average. Last, one line of
the file is broken and validated with the warm cache, to show that a changed file is parsed
again and its problem reported as PATH:LINE:COL::

    .venv/bin/python -m benchmarks.parse --milestones 100000 --rounds 2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import build_plan, write_yaml

REGIE = [sys.executable, "-m", "regie.cli"]


def validate(path: Path, home: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "REGIE_HOME": str(home)}
    env.pop("REGIE_DATABASE_URL", None)
    env.pop("REGIE_PLAN", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [*REGIE, "plan", "validate", str(path)], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--milestones", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="regie-parse-"))
    try:
        path = work / "actions.yaml"
        write_yaml(build_plan(args.milestones), path)
        print(f"plan file: {path.stat().st_size / 1e6:.1f} MB, {args.milestones:,} milestones")
        warm = work / "warm"
        wall, cpu, proc = validate(path, warm)  # fills the cache
        if proc.returncode != 0:
            raise SystemExit(f"the synthetic plan does not validate:\n{proc.stdout}{proc.stderr}")
        print(f"first validate (fills the cache): {wall:.2f} s wall, {cpu:.2f} s CPU")
        figures: dict[str, list[tuple[float, float]]] = {"no cache": [], "cached": []}
        for n in range(args.rounds):
            cold = work / f"cold-{n}"
            figures["no cache"].append(validate(path, cold)[:2])
            figures["cached"].append(validate(path, warm)[:2])
        print(f"`regie plan validate`, {args.rounds} alternating rounds, medians:")
        for label, runs in figures.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            each = ", ".join(f"{r[0]:.2f}/{r[1]:.2f}" for r in runs)
            print(f"  {label:<9}{wall:>8.2f} s wall{cpu:>8.2f} s CPU   (each, wall/CPU: {each})")
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        lines = path.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if "gereed:" in line and i > len(lines) // 2)
        lines[at] = lines[at].replace("gereed:", "gereed: [", 1)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        wall, cpu, proc = validate(path, warm)
        message = (proc.stdout + proc.stderr).strip().splitlines()
        print(f"broken line {at + 1}, warm cache: exit {proc.returncode}, {wall:.2f} s wall")
        print(f"  {message[0] if message else '(no output)'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
