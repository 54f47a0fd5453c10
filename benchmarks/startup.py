"""Wall clock of the commands a user types, each in a fresh interpreter, as a shell starts them.

Usage, from the repository root::

    .venv/bin/python -m benchmarks.startup [--rounds 7] [--regie .venv/bin/regie]
        [--baseline /tmp/before] [--prefect-server] [--only "cycle second,status"]

Every round runs every command once, in the same order (a, b, c, … then again), so load drift
on a shared machine hits all of them alike; the first round only warms caches and is dropped.
Figures are medians of wall-clock seconds and, because other jobs may share the cores, of the
CPU seconds (user + system) the command and its children used: on a busy machine wall ≫ CPU.

Commands (the seed plan, ``--as-of 2015-10-01``, ``REGIE_NOTIFIER=file``):

- ``python -c pass``: the floor, what any Python command costs here;
- ``regie --help`` (target ≤ 0.25 s), ``regie plan validate`` (≤ 0.5 s) and ``regie status``
  beside a database the seed was synced to;
- ``regie cycle`` on a fresh ``REGIE_HOME`` (≤ 3 s: migrations, first sync, 61 events, six
  mails) and a second time the same day on that home (≤ 2 s: nothing new to record or send).

``--baseline DIR`` adds validate, status and both cycles run from another checkout (e.g. the
commit before a change), alternating with ours. ``--prefect-server`` starts ``prefect server
start`` on a free port and adds both cycles with ``PREFECT_API_URL`` set: the real flow on a
server.

``PYTHONDONTWRITEBYTECODE`` is removed from the commands' environment, so the project's bytecode
is cached after the warm-up round as on a user's machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import machine

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2015-10-01"
TARGETS = {
    "regie --help": 0.25,
    "plan validate": 0.5,
    "cycle fresh": 3.0,
    "cycle second": 2.0,
}


@dataclass
class Command:
    """One command to time; ``prepare`` runs untimed before each timed run (e.g. a new home)."""

    label: str
    argv: Callable[[], list[str]]
    env: Callable[[], dict[str, str]] = dict
    prepare: Callable[[], None] | None = None
    cwd: Path = ROOT
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run_once(command: Command, base_env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child and its descendants); a failure stops all."""
    if command.prepare is not None:
        command.prepare()
    env = {**base_env, **command.env()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command.argv(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=command.cwd
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command.label} failed: {done.stderr.decode()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


class Homes:
    """REGIE_HOMEs under one temporary directory: a new one per fresh cycle, one reused."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0

    def fresh(self, name: str) -> Path:
        self.count += 1
        home = self.root / f"{name}-{self.count}"
        shutil.rmtree(home, ignore_errors=True)
        return home


def cycle_commands(
    label: str, regie: list[str], homes: Homes, extra_env: dict[str, str], cwd: Path = ROOT
) -> list[Command]:
    """``cycle fresh`` (a new home each run) and ``cycle second`` (a home that ran today)."""
    state: dict[str, Path] = {}
    second_home = homes.fresh(f"{label}-second")
    cycle = [*regie, "cycle", "--as-of", AS_OF]

    def new_home() -> None:
        state["fresh"] = homes.fresh(f"{label}-fresh")

    def fresh_env() -> dict[str, str]:
        return {**extra_env, "REGIE_HOME": str(state["fresh"])}

    def second_env() -> dict[str, str]:
        return {**extra_env, "REGIE_HOME": str(second_home)}

    suffix = f" ({label})" if label else ""
    return [
        Command(f"cycle fresh{suffix}", lambda: cycle, fresh_env, prepare=new_home, cwd=cwd),
        Command(f"cycle second{suffix}", lambda: cycle, second_env, cwd=cwd),
    ]


def home_commands(
    label: str, regie: list[str], env: dict[str, str], cwd: Path = ROOT
) -> list[Command]:
    """``plan validate`` and ``status`` beside a synced database, as a programme office runs
    them (validating also reads the synced plan's dates for its warnings)."""
    suffix = f" ({label})" if label else ""
    return [
        Command(
            f"plan validate{suffix}", lambda: [*regie, "plan", "validate"], lambda: env, cwd=cwd
        ),
        Command(
            f"status{suffix}", lambda: [*regie, "status", "--as-of", AS_OF], lambda: env, cwd=cwd
        ),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def prefect_server(home: Path) -> Iterator[str]:
    """``prefect server start`` on a free loopback port; yields its API URL, stops it after."""
    port = free_port()
    prefect = str(Path(sys.executable).with_name("prefect"))
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    home.mkdir(parents=True, exist_ok=True)
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"prefect server did not start; see {home / 'server.log'}"
                    ) from None
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()


def _line(command: Command) -> str:
    wall, cpu = statistics.median(command.wall), statistics.median(command.cpu)
    target = TARGETS.get(command.label)
    verdict = (
        "" if target is None else f"  target ≤ {target} s: {'met' if wall <= target else 'NOT MET'}"
    )
    return (
        f"{command.label:<28} wall median {wall:6.3f} s  (best {min(command.wall):.3f}, "
        f"worst {max(command.wall):.3f})   CPU median {cpu:6.3f} s{verdict}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (plus one warm-up)")
    parser.add_argument("--regie", default=str(Path(sys.executable).with_name("regie")))
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. `git worktree add /tmp/before COMMIT`) whose cycles "
        "alternate with ours, run as `python -m regie.cli` from there with this interpreter",
    )
    parser.add_argument("--prefect-server", action="store_true")
    parser.add_argument("--only", help="comma-separated labels (prefixes) to run")
    args = parser.parse_args(argv)
    print("Machine")
    for line in machine.describe():
        print(f"  {line}")

    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("REGIE_", "PREFECT_"))}
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    base_env.update(
        NO_COLOR="1",
        COLUMNS="100",
        REGIE_PLAN=str(ROOT / "plan" / "actions.yaml"),
        REGIE_NOTIFIER="file",
    )
    with (
        tempfile.TemporaryDirectory(prefix="regie-bench-") as tmp,
        _maybe_server(args.prefect_server, Path(tmp) / "prefect-server") as api_url,
    ):
        homes = Homes(Path(tmp))
        status_home = homes.fresh("status")
        status_env = {"REGIE_HOME": str(status_home)}
        subprocess.run(
            [args.regie, "cycle", "--as-of", AS_OF],
            env={**base_env, **status_env},
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        commands = [
            Command("python -c pass", lambda: [sys.executable, "-c", "pass"]),
            Command("regie --help", lambda: [args.regie, "--help"]),
            *home_commands("", [args.regie], status_env),
            *cycle_commands("", [args.regie], homes, {}),
        ]
        if args.baseline:
            here = [sys.executable, "-m", "regie.cli"]
            # A baseline that starts Prefect's temporary server may need more than its default
            # 20 s to see it up on a busy machine (the very fault issue #7 reports).
            patient = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
            there = args.baseline.resolve()
            commands += home_commands("baseline", here, {**status_env, **patient}, there)
            commands += cycle_commands("baseline", here, homes, patient, there)
        if api_url:
            server = {"PREFECT_API_URL": api_url}
            commands += cycle_commands("Prefect server", [args.regie], homes, server)
        if args.only:
            wanted = tuple(args.only.split(","))
            commands = [c for c in commands if c.label.startswith(wanted)]
        print(f"\n{args.rounds} timed rounds after one warm-up, commands alternating:", flush=True)
        for round_ in range(args.rounds + 1):
            for command in commands:
                wall, cpu = run_once(command, base_env)
                if round_:
                    command.wall.append(wall)
                    command.cpu.append(cpu)
            print(f"  round {round_ or 'warm-up'} done", flush=True)
    print()
    for command in commands:
        print(_line(command))
    print(f"load avg after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


@contextmanager
def _maybe_server(wanted: bool, home: Path) -> Iterator[str | None]:
    if not wanted:
        yield None
        return
    with prefect_server(home) as url:
        yield url


if __name__ == "__main__":
    sys.exit(main())
