"""Consistent copies of the embedded SQLite database, shared by `regie db backup`/`restore`
(:mod:`regie.backup`) and the automatic upgrade (:meth:`regie.bootstrap.App.ensure_schema`,
which keeps the database as it was before migrating it: :func:`keep_before_upgrade`).

A copy goes through SQLite's online backup API (``cp`` in WAL mode may miss the latest commits,
still in ``-wal``), is checked, made 0600 (it holds names, addresses and answers) and then
published under its name whole or not at all. Kept apart from :mod:`regie.backup` so that the
bootstrap can use it without importing the commands built on it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from governance.clock import utcnow
from regie.errors import RegieError

#: Copies kept before automatic upgrades, per database: the newest ones; older ones removed.
KEEP_BEFORE_UPGRADE = 3


def copy_database(source: Path, partial: Path, *, read_only: bool = False) -> int:
    """Copy through SQLite's backup API in one step, then check the copy reads whole; return its
    pages. One step: in WAL mode the copy's read transaction does not stop writers, and a copy in
    several steps starts again at every commit between them — forever under a steady writer.
    ``read_only``: open ``source`` read-only (``mode=ro``, as the database URL asks)."""
    if read_only:
        from urllib.parse import quote

        src = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", timeout=30, uri=True)
    else:
        src = sqlite3.connect(source, timeout=30)  # read-write: WAL readers need the -shm file
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        # The copy is a rollback-journal file on its own: no -wal beside it to lose.
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"the copy does not check out: {check}")
        pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dst.close()
        src.close()
    return pages


def publish(partial: Path, target: Path) -> None:
    """The finished copy under the target's name, whole or not at all, never over a file made
    meanwhile: a hard link fails when the name exists (``os.replace`` would overwrite it)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(partial, target)


def publish_copy(database: Path, kept: Path) -> None:
    """A checked copy of ``database`` as ``kept``, 0600 (the whole history: as private as the
    database); an error is one line, exit 3."""
    partial = kept.with_name(f".{kept.name}.partial")
    try:
        copy_database(database, partial)
        os.chmod(partial, 0o600)
        publish(partial, kept)
    except OSError as exc:
        raise RegieError(f"{kept}: {exc.strerror or exc}", exit_code=3) from None
    except sqlite3.Error as exc:
        raise RegieError(f"{database}: {exc}", exit_code=3) from None
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}-journal").unlink(missing_ok=True)


def keep_before_upgrade(database: Path, revision: str, *, now: datetime | None = None) -> Path:
    """A copy of ``database`` before it is migrated to ``revision``, beside it:
    ``<name>.before-<revision>-<UTC time>`` (0600); only the newest :data:`KEEP_BEFORE_UPGRADE`
    such copies are kept. Returns the copy's path."""
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")  # UTC by design: the name says Z
    kept = database.with_name(f"{database.name}.before-{revision}-{stamp}")
    if not kept.exists():  # else: made this very second by another command upgrading it
        publish_copy(database, kept)
    drop_older_copies(database, r"before-[A-Za-z0-9_]+", KEEP_BEFORE_UPGRADE)
    return kept


def drop_older_copies(database: Path, kind: str, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` copies ``<name>.<kind>-<UTC time>`` beside
    ``database`` (``kind``: a regular expression); return those removed, oldest first."""
    pattern = re.compile(rf"{re.escape(database.name)}\.{kind}-(\d{{8}}T\d{{6}}Z)")
    found = [
        (match[1], path)
        for path in database.parent.iterdir()
        if (match := pattern.fullmatch(path.name)) is not None
    ]
    removed: list[Path] = []
    for _, old in sorted(found, reverse=True)[keep:]:
        with suppress(OSError):  # a copy we cannot remove stays: nothing is lost
            old.unlink()
            removed.append(old)
    return sorted(removed)
