"""Another process holding a home's cycle lock, as a running `regie cycle` does: for the tests
of what meets a held lock (flows, the CLI, the lock's wait)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.cli import ROOT

HOLD = """
import sys
from pathlib import Path
from regie.locks import cycle_lock
with cycle_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


@contextmanager
def holding_cycle_lock(home: Path) -> Iterator[subprocess.Popen[str]]:
    """A process that holds ``home``'s cycle lock until its standard input is closed (the test
    may close it early to release the lock); waited for on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(home)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        yield process
    finally:
        assert process.stdin is not None
        if not process.stdin.closed:
            process.stdin.close()
        process.wait(timeout=30)


@dataclass
class LockWatch:
    """What this process's cycle-lock takers met: ``met`` is set once one found the lock held
    (so it waits, if allowed); ``waited`` holds the seconds each such taker spent before it
    took the lock or gave up."""

    met: threading.Event = field(default_factory=threading.Event)
    waited: list[float] = field(default_factory=list)


def watch_lock(monkeypatch: pytest.MonkeyPatch, poll: float = 0.05) -> LockWatch:
    """Watch this process's takers of a cycle lock, and let a waiting one try again every
    ``poll`` seconds (the product's POLL is 1 s): the tests see *that* a run waited, and how long,
    instead of giving it seconds of margin."""
    import regie.locks

    real = regie.locks._take
    watch = LockWatch()

    def take(fd: int, wait: float, _poll: float) -> bool:
        started = time.monotonic()
        if real(fd, 0.0, poll):
            return True
        watch.met.set()
        try:
            return real(fd, wait - (time.monotonic() - started), poll)
        finally:
            watch.waited.append(time.monotonic() - started)

    monkeypatch.setattr(regie.locks, "_take", take)
    return watch


def release_when_met(
    holder: subprocess.Popen[str], watch: LockWatch, seconds: float
) -> threading.Thread:
    """Let the holder end (and so release the lock, as a cycle finishes) ``seconds`` after a
    taker in this process found it held."""

    def release() -> None:
        if watch.met.wait(120):  # else released anyway: the test's assertions say so
            time.sleep(seconds)
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    return thread
