"""Run a test's body in a fresh, single-threaded process.

The PDF worker forks only a process without other threads (a fork copies one thread; a lock
another one held would stay locked in the child). A full test run has threads left by earlier
tests (Prefect's event and log workers), so tests of the worker run their body in a process
forked from a clean fork server instead of in pytest's own process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: Generous: a body takes seconds; only a deadlock (a defect) reaches it.
TIMEOUT_SECONDS = 300

_context = multiprocessing.get_context("forkserver")
# Imported once by the server, not by every body's process.
_context.set_forkserver_preload(["regie.pdf_worker", "reports.background", "reports.pdf"])


def in_fresh_process(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` (module-level, picklable arguments) in a fresh process; its result,
    or its exception raised here (with the remote traceback as the cause)."""
    with _context.Pool(1) as pool:
        return pool.apply_async(function, args).get(timeout=TIMEOUT_SECONDS)
