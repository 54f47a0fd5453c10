"""Ctrl-C ends a command in one line wherever it lands.

Python raises KeyboardInterrupt at whatever bytecode runs when the signal arrives. Three places
turn it into something else: clean-up code that fails while handling it (SQLAlchemy's pool can
then raise an ``AssertionError`` whose context is the interrupt, and ``ensure_schema`` wraps that
into a one-line database error); a finaliser or weakref callback, where CPython prints "Exception
ignored in …" with a traceback and carries on as if no key was pressed; and a library that logs it
before re-raising (``store.db`` quiets that one).
"""

from __future__ import annotations

import _thread
import sys
import threading
from typing import Any

#: How long a Ctrl-C swallowed by a finaliser waits before it is raised again: long enough for
#: the finaliser to have returned, short enough that nobody notices.
REDELIVER_AFTER_S = 0.01


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is ``exc`` or in its chain of causes and (not suppressed)
    contexts. Not for an OSError: a file or disk fault met while handling the interrupt (a
    plan file being restored, say) is reported as itself, so nobody is told nothing
    half-done was recorded when a file may be."""
    if isinstance(exc, OSError):
        return False
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, KeyboardInterrupt):
            return True
        if current.__cause__ is not None:
            pending.append(current.__cause__)
        if current.__context__ is not None and not current.__suppress_context__:
            pending.append(current.__context__)
    return False


def install() -> None:
    """Route interrupts swallowed by finalisers back to the main thread (idempotent)."""
    if sys.unraisablehook is not _unraisable:
        global _previous_hook
        _previous_hook = sys.unraisablehook
        sys.unraisablehook = _unraisable


_previous_hook = sys.unraisablehook
#: Set once the command has answered: an interrupt raised again after that would only end the
#: interpreter's shutdown with a traceback.
_ending = threading.Event()


def ending() -> None:
    """The command has answered: interrupts swallowed from now on stay swallowed."""
    _ending.set()


def _unraisable(unraisable: Any) -> None:
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _redeliver()  # not printed: the command reports the interrupt itself, once
        return
    _previous_hook(unraisable)


def _redeliver() -> None:
    # Not from here: raising inside the hook would be swallowed too. A timer thread raises it in
    # the main thread once the finaliser has returned; at interpreter shutdown there is nothing
    # left to interrupt.
    try:
        timer = threading.Timer(REDELIVER_AFTER_S, _interrupt_main)
        timer.daemon = True
        timer.start()
    except RuntimeError:  # "can't create new thread at interpreter shutdown"
        pass


def _interrupt_main() -> None:
    if not _ending.is_set():
        _thread.interrupt_main()
