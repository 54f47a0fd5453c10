"""The small bits of glue the flows share (events go out through :mod:`regie.events`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date


@contextmanager
def one_cycle(what: str) -> Iterator[None]:
    """The cycle's lock (``$REGIE_HOME/cycle.lock``, :func:`regie.locks.cycle_lock`) around a
    flow that runs the cycle's steps: a deployment's run and a `regie cycle` never overlap. Held
    by another process, the run waits for it (``REGIE_CYCLE_LOCK_WAIT``, 10 minutes by default:
    the 07:00 ``daily-cycle`` and an answer's ``deadline-check`` run one after the other); still
    held then, it fails, doing nothing, its state message saying so (`regie cycle` exits 75 at
    once with the same line). Taken already in this process (`regie cycle` running the flow, a
    subflow of ``daily-cycle``), it is held on, not waited for."""
    from regie.config import load_settings
    from regie.locks import cycle_lock

    settings = load_settings()
    with cycle_lock(settings.home, what, wait=settings.cycle_lock_wait):
        yield


def parse_as_of(value: str | date | None, field: str = "as_of") -> date | None:
    """A flow parameter as a date; None (or "", which an unset event template renders) → today
    (or, for another ``field``, not given). A bad one fails the run in one Dutch line naming it."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field}: geen datum in de vorm JJJJ-MM-DD: {value!r}") from None
