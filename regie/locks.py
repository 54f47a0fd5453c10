"""One cycle at a time per REGIE_HOME: an exclusive lock on ``$REGIE_HOME/cycle.lock``.

The database already keeps concurrent cycles from duplicating anything, but on SQLite they
would wait on each other's writes until one gives up with ``database is locked``. A second
cycle says so at once instead, with its own exit code (75, "try again later"). The operating
system releases the lock when the process ends, however it ends (a SIGKILL included).

The Prefect flows that run the cycle's steps (``daily-cycle``, ``deadline-check``,
``prepare-meeting``, ``status-round``) take the same lock, so a deployment's run and a `regie
cycle` never overlap either, nor two runs of one flow. `regie cycle` runs those flows in its
own process while it holds the lock: within one process the lock is re-entrant (held once, by
the outermost taker; the inner ones only count), so it never waits for itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
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


@contextmanager
def cycle_lock(home: Path, what: str = "cycle") -> Iterator[None]:
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
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            raise AnotherCycleRunning(
                f"another cycle is running on {home}{f' (pid {holder})' if holder else ''}: "
                f"this {what} did nothing; try again when it has finished"
            ) from None
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


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        return ""
