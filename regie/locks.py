"""One cycle at a time per REGIE_HOME: an exclusive lock on ``$REGIE_HOME/cycle.lock``.

The database already keeps concurrent cycles from duplicating anything, but on SQLite they
would wait on each other's writes until one gives up with ``database is locked``. A second
cycle says so at once instead, with its own exit code (75, "try again later"). The operating
system releases the lock when the process ends, however it ends (a SIGKILL included).

The Prefect flows that run the cycle's steps (``daily-cycle``, ``deadline-check``,
``prepare-meeting``, ``status-round``) take the same lock, so a deployment's run and a `regie
cycle` never overlap either, nor two runs of one flow. `regie cycle` runs those flows in its
own process while it holds the lock: within one process the lock is re-entrant (held once, by
the outermost taker; the inner ones only count), so it never waits for itself. A flow run waits
for the lock (``wait`` seconds, ``REGIE_CYCLE_LOCK_WAIT``, 10 minutes by default) before it
gives up with the same line: the 07:00 ``daily-cycle`` and a ``deadline-check`` an answer
triggered, or a 07:00 ``daily-cycle`` beside a status round still running, then run one after the
other. A command on the
command line does not wait (exit 75 at once: cron tries again, a person sees it at once).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from regie.errors import RegieError

#: The lock files this process holds (taken by an outer taker: the inner ones take nothing).
_held: set[Path] = set()
_held_lock = threading.Lock()


class AnotherCycleRunning(RegieError):
    """Another `regie cycle` or `regie replay` holds this home's lock."""

    exit_code = 75  # EX_TEMPFAIL: nothing is wrong, try again when the other one is done


#: How often a waiting taker tries the lock again, in seconds.
POLL = 1.0


@contextmanager
def cycle_lock(
    home: Path, what: str = "cycle", *, wait: float = 0.0, poll: float = POLL
) -> Iterator[None]:
    """Hold the home's cycle lock. Held by another process, it is tried again every ``poll``
    seconds for up to ``wait`` seconds (0: not at all), then :class:`AnotherCycleRunning`."""
    from store.files import private_directory

    path = home / "cycle.lock"
    try:
        private_directory(home)  # a home Regie creates is 0700 (it holds personal data)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a file or disk the machine refuses: exit 3, as the README says
        raise RegieError(
            f"REGIE_HOME {home}: cannot write its lock file ({exc.strerror or exc}): "
            f"a {what} needs a writable home",
            exit_code=3,
        ) from None
    key = path.resolve()
    with _held_lock:
        again = key in _held
    if again:  # this process holds it already (`regie cycle` running a flow in-process)
        os.close(fd)
        yield
        return
    try:
        if not _take(fd, wait, poll):
            holder = _read(fd)
            raise AnotherCycleRunning(
                f"another cycle is running on {home}{f' (pid {holder})' if holder else ''}: "
                f"this {what} did nothing; try again when it has finished"
            )
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        with _held_lock:
            _held.add(key)
        try:
            yield
        finally:
            with _held_lock:
                _held.discard(key)
    finally:
        os.close(fd)  # closing releases the lock


def _take(fd: int, wait: float, poll: float) -> bool:
    """Lock ``fd`` exclusively, trying for up to ``wait`` seconds; False if another holds it."""
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(poll, left))


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return ""
