"""A full disk behind a database error, said as such (walk58d 6).

SQLite says ``database or disk is full`` (SQLITE_FULL) when it cannot grow the database or its
log, but ``disk I/O error`` (SQLITE_IOERR_SHMSIZE) when the disk has no room left for the
shared-memory file it makes when a database in WAL mode is opened: the same full disk read as a
broken one. Both are said ``database or disk is full``; the exit stays 3, as for any database
that cannot be used.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

FULL = "database or disk is full"
#: Less room than this where the SQLite file lives: an I/O error there is the full disk.
ROOM = 64 * 1024
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def full_disk(exc: BaseException, database_url: str | None = None) -> str | None:
    """``database or disk is full`` (with the room left when SQLite said only "disk I/O
    error") when ``exc`` or an error behind it is SQLite's SQLITE_FULL, an ``ENOSPC`` or
    ``EDQUOT``, or an SQLite I/O error on the disk of ``database_url``'s file with (almost)
    no room left; None for anything else."""
    for error in _chain(exc):
        if isinstance(error, OSError) and error.errno in _NO_SPACE:
            return FULL
        name = str(getattr(error, "sqlite_errorname", ""))
        if name == "SQLITE_FULL":
            return FULL
        if name.startswith("SQLITE_IOERR") and database_url is not None:
            room = _room(database_url)
            if room is not None and room[1] < ROOM:
                return f"{FULL} ({room[1] // 1024} KiB free in {room[0]}; SQLite: disk I/O error)"
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, the driver's error a SQLAlchemy error wraps, and their causes and contexts."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        orig = getattr(error, "orig", None)
        todo.extend([orig if isinstance(orig, BaseException) else None])
        todo.extend([error.__cause__, error.__context__])


def _room(database_url: str) -> tuple[Path, int] | None:
    """The directory of the SQLite file ``database_url`` names and the bytes free there."""
    from store.urls import sqlite_file

    file = sqlite_file(database_url)
    if file is None:
        return None
    folder = Path(file).expanduser().absolute().parent
    try:
        stat = os.statvfs(folder)
    except OSError:
        return None
    return folder, stat.f_bavail * stat.f_frsize
