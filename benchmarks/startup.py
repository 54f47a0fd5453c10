"""Cold start of ``regie --help``: a fresh interpreter per run, as a user's shell starts it.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.startup [--runs 20] [--regie .venv/bin/regie]

``python -c pass`` from the same interpreter is the floor: what any Python command costs here.
The target is a median ≤ 0.25 s. The first run is also shown: it may pay for cold disk caches
and bytecode compilation that later runs do not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import machine

TARGET_SECONDS = 0.25


def time_command(command: Sequence[str], runs: int) -> list[float]:
    """Wall-clock seconds of each run; output is discarded, a failure stops the benchmark."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return times


def _line(label: str, times: list[float]) -> str:
    return (
        f"{label:<16} best {min(times):.3f} s   median {statistics.median(times):.3f} s   "
        f"first {times[0]:.3f} s   ({len(times)} runs)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--regie", default=str(Path(sys.executable).with_name("regie")))
    args = parser.parse_args(argv)
    print("Machine")
    for line in machine.describe():
        print(f"  {line}")
    floor = time_command([sys.executable, "-c", "pass"], args.runs)
    regie = time_command([args.regie, "--help"], args.runs)
    print()
    print(_line("python -c pass", floor))
    print(_line("regie --help", regie))
    median = statistics.median(regie)
    above = median - statistics.median(floor)
    met = "yes" if median <= TARGET_SECONDS else "NO"
    print(f"regie above the floor (medians): {above:.3f} s")
    print(f"target: median ≤ {TARGET_SECONDS} s   met: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
