"""Who is acting: the operator of a command, or the logged-in user of a web request.

The entrypoints set it (the CLI from ``--operator``/REGIE_OPERATOR or the OS login, the web
from the logged-in user) with :func:`acting_as`; the store reads it with :func:`current_actor`
as the default of every ``recorded_by``-like column (:mod:`store.models`), so each insert of a
record names a person without every call site passing one. A process that set nobody (a Prefect
worker, a test) records its OS login.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

MAX_ACTOR = 64  # characters kept of a name (the columns are Text; a log line stays readable)

_ACTOR: ContextVar[str | None] = ContextVar("regie_actor", default=None)


@cache
def os_user() -> str:
    """The login name of this process's user (:func:`getpass.getuser`), or ``uid N``."""
    import os

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container's bare uid)
        return f"uid {os.getuid()}"


def clean_actor(name: str) -> str:
    """One line, no surrounding or repeated white space, at most :data:`MAX_ACTOR` characters."""
    return " ".join(name.split())[:MAX_ACTOR]


def current_actor() -> str:
    """The person acting now: as set by :func:`acting_as`, else the OS login."""
    return _ACTOR.get() or os_user()


def set_actor(name: str | None) -> None:
    """Set the actor for the rest of this context (the CLI's root callback: one per process)."""
    _ACTOR.set(clean_actor(name) if name else None)


@contextmanager
def acting_as(name: str | None) -> Iterator[None]:
    """The actor for the block (a web request, a test); the previous one after it."""
    token = _ACTOR.set(clean_actor(name) if name else None)
    try:
        yield
    finally:
        _ACTOR.reset(token)
