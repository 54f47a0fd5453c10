"""The small bits of glue the flows share (events go out through :mod:`regie.events`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date


@contextmanager
def one_cycle(what: str) -> Iterator[None]:
    """The cycle's lock (``$REGIE_HOME/cycle.lock``, :func:`regie.locks.cycle_lock`) around a
    flow that runs the cycle's steps: a deployment's run and a `regie cycle` never overlap. A
    second one fails at once, doing nothing, its state message saying so (`regie cycle` exits 75
    with the same line); taken already in this process (`regie cycle` running the flow, a
    subflow of ``daily-cycle``), it is held on, not waited for."""
    from regie.config import load_settings
    from regie.locks import cycle_lock

    with cycle_lock(load_settings().home, what):
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
