"""`regie db backup FILE`: a consistent copy of the embedded SQLite database while Regie runs.

``cp regie.db`` is not a backup in WAL mode: the latest commits may still be in ``regie.db-wal``.
SQLite's online backup copies the database as one read transaction sees it (in one step, so a
steady writer neither waits for it nor restarts it), so a cycle or an answer in progress is
wholly in the copy or not at all. The copy is written beside its target and
renamed into place, so a failed backup never leaves a half-written file under the target name.
PostgreSQL has its own tools (``pg_dump``); this command says so.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from regie.bootstrap import App
from regie.errors import DatabaseNotReady, InvalidInput, RegieError

_SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's own files beside the database


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
    if target.is_dir():
        raise InvalidInput(f"{target}: is a directory (name the backup file)")
    if target.exists():
        raise InvalidInput(f"{target}: already exists (a backup never overwrites a file)")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent}: no such directory")
    database = source.resolve()
    if target.resolve() in {database, *(Path(f"{database}{s}") for s in _SIDE_FILES)}:
        raise InvalidInput(f"{target}: that is the database or one of its own files")
    try:
        fd, partial = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as exc:  # the user's path: bad input (2), as for update-sheet --out
        raise InvalidInput(f"{target}: cannot write there: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        with _terminate_as_interrupt():
            pages = _copy(source, Path(partial))
            _publish(Path(partial), target)
    except FileExistsError:  # made while we copied (another backup to the same name)
        raise InvalidInput(f"{target}: already exists (a backup never overwrites a file)") from None
    except OSError as exc:
        raise RegieError(f"{target}: {exc.strerror or exc}", exit_code=3) from None
    except sqlite3.Error as exc:
        raise RegieError(f"{source}: {exc}", exit_code=3) from None
    finally:
        for leftover in (partial, f"{partial}-journal"):
            Path(leftover).unlink(missing_ok=True)
    size = target.stat().st_size
    return f"{source} → {target}: {pages:,} pages, {size / 2**20:.1f} MiB, checked"


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a timeout, systemd stopping the job) ends the copy like Ctrl-C does, through the
    clean-up above: no ``.partial`` file left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _publish(partial: Path, target: Path) -> None:
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


def _copy(source: Path, partial: Path) -> int:
    """Copy through SQLite's backup API in one step, then check the copy reads whole. One step:
    in WAL mode the copy's read transaction does not stop writers, and a copy in several steps
    starts again at every commit between them — forever under a steady writer."""
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


def _sqlite_path(app: App) -> Path:
    from sqlalchemy.engine import make_url

    database = make_url(app.settings.database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise InvalidInput(f"{app.safe_url}: not a database file")
    return Path(database).expanduser()
