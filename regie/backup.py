"""`regie db backup FILE`: a consistent copy of the embedded SQLite database while Regie runs.

``cp regie.db`` is not a backup in WAL mode: the latest commits may still be in ``regie.db-wal``.
SQLite's online backup copies the database as one transaction sees it, so a cycle or an answer
in progress is wholly in the copy or not at all. The copy is written beside its target and
renamed into place, so a failed backup never leaves a half-written file under the target name.
PostgreSQL has its own tools (``pg_dump``); this command says so.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from regie.bootstrap import App
from regie.errors import DatabaseNotReady, InvalidInput, RegieError

_PAGES_PER_STEP = 4096  # ≈ 16 MiB a step: writers wait at most one step, not the whole copy


def backup(app: App, target: Path) -> str:
    if not app.settings.is_sqlite:
        raise InvalidInput(
            f"{app.safe_url}: `regie db backup` copies the embedded SQLite database; back up "
            "PostgreSQL with its own tools, e.g. pg_dump --format=custom (docs/operations.md)"
        )
    if (missing := app.settings.missing_database_directory()) is not None:
        raise InvalidInput(missing)  # as every command says it: a mistyped REGIE_DATABASE_URL
    source = _sqlite_path(app)
    if not source.is_file():
        raise DatabaseNotReady(f"{source}: no database yet (run `regie cycle` or `regie sync`)")
    target = target.expanduser()
    if target.exists():
        raise InvalidInput(f"{target}: already exists (a backup never overwrites a file)")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent}: no such directory")
    if target.resolve() == source.resolve():
        raise InvalidInput(f"{target}: that is the database itself")
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    try:
        pages = _copy(source, Path(partial))
        os.replace(partial, target)  # whole or not at all under the target's name
    except OSError as exc:
        raise RegieError(f"{target}: {exc.strerror or exc}", exit_code=3) from None
    except sqlite3.Error as exc:
        raise RegieError(f"{source}: {exc}", exit_code=3) from None
    finally:
        Path(partial).unlink(missing_ok=True)
    size = target.stat().st_size
    return f"{source} → {target}: {pages:,} pages, {size / 2**20:.1f} MiB, checked"


def _copy(source: Path, partial: Path) -> int:
    """Copy page by page through SQLite's backup API, then check the copy reads whole."""
    src = sqlite3.connect(source, timeout=30)  # read-write: WAL readers need the -shm file
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=_PAGES_PER_STEP)
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


def _sqlite_path(app: App) -> Path:
    from sqlalchemy.engine import make_url

    database = make_url(app.settings.database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise InvalidInput(f"{app.safe_url}: not a database file")
    return Path(database).expanduser()
