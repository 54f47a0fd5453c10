"""Answers are handled in arrival order, a few at a time.

Without this, every request waiting for the database sat in its own worker thread (anyio's 40)
and the threads raced for the SQLite writer lock and the GIL: no order, so under a burst of 100
some answers waited 10 s while others took 0.1 s (benchmarks/RESULTS.md §5). An asyncio
semaphore queues the requests on the event loop first come, first served; only ``slots`` of them
hold a thread. SQLite writes one at a time anyway (one more slot prepares the next answer);
PostgreSQL serialises only the short insert (advisory lock), so more run at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

SQLITE_SLOTS = 2
SERVER_SLOTS = 8
#: ``Retry-After`` of a 503 for a busy or unreachable database (nothing was stored; a lock is
#: held for seconds, not minutes): the answer page, Slack's interactivity, /healthz. A problem
#: in the setup (a broken plan file) waits longer: web.app.RETRY_SECONDS.
BUSY_RETRY_SECONDS = 10


def answer_slots(request: Request) -> asyncio.Semaphore:
    """The app's one semaphore for storing answers (made on first use, on the server's loop)."""
    state = request.app.state
    slots: asyncio.Semaphore | None = getattr(state, "answer_slots", None)
    if slots is None:
        sqlite = state.regie.settings.is_sqlite
        slots = state.answer_slots = asyncio.Semaphore(SQLITE_SLOTS if sqlite else SERVER_SLOTS)
    return slots
