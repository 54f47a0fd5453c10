"""Files and directories that hold personal data: made readable by their owner only.

Regie's home holds the database (names, e-mail addresses, answers), the file outbox and caches;
sheets and reports name owners too. What Regie creates is 0700 (directories) or 0600 (files),
whatever the umask; what already exists (a directory or file the admin made) is left as it is,
never chmod-ed. Light on purpose (no SQLAlchemy): the plan's cache uses it before any database.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(path: Path) -> None:
    """Create ``path`` and its missing parents as 0700; an existing directory is not touched.
    Errors are the caller's (as from ``mkdir``)."""
    missing: list[Path] = []
    current = path.expanduser()
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by another process just now
            directory.mkdir(mode=DIRECTORY_MODE)


def create_private_file(path: Path) -> bool:
    """Create an empty ``path`` as 0600 unless it exists; True when it was created here."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path``: a new file is 0600; an existing one keeps its mode (it is
    the user's) unless ``exclusive``, which refuses to touch an existing file
    (``FileExistsError``)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def replace_private(path: Path, data: bytes) -> None:
    """Write ``data`` as a new 0600 file that takes ``path``'s place in one step: a file
    Regie names itself (a pack's annex beside ``--out``) in a folder others may write. A symbolic
    link planted there is replaced, never followed, and an older file's mode does not carry
    over (walk57b 3). Errors are the caller's (``OSError``)."""
    folder = path.parent
    for attempt in range(100):
        temporary = folder / f".{path.name}.{os.getpid()}.{attempt}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        return
    raise FileExistsError(f"{folder}: no free temporary name for {path.name}")
