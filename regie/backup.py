"""`regie db backup FILE`: a consistent copy of the embedded SQLite database while Regie runs;
`regie db restore FILE`: put one back, and record that it happened.

``cp regie.db`` is not a backup in WAL mode: the latest commits may still be in ``regie.db-wal``.
SQLite's online backup copies the database as one read transaction sees it (in one step, so a
steady writer neither waits for it nor restarts it), so a cycle or an answer in progress is
wholly in the copy or not at all. The copy is written beside its target and
renamed into place, so a failed backup never leaves a half-written file under the target name.
PostgreSQL has its own tools (``pg_dump``); this command says so.

A backup is recorded before the copy is made (a ``regie.db.backed_up`` event: who, which file),
so the copy holds its own making: after a restore its latest such event is the backup's time.
A restore is recorded in the restored database (``regie.db.restored``: who, from which file,
the backup's time, and how many records the replaced database held beyond the backup), and
the replaced database is kept beside it. A database restored by other means (``pg_restore``,
a copy) is recorded with ``regie db restore FILE --record-only``.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from governance import clock
from regie.bootstrap import App
from regie.errors import InvalidInput, RegieError
from regie.sqlite_copy import copy_database as _copy
from regie.sqlite_copy import publish as _publish
from regie.sqlite_copy import publish_copy as _publish_copy
from regie.upgrade_copy import earlier_version_first, upgrade_copy

_SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's own files beside the database

#: What every restore (``--yes``, ``--record-only``) says to do next: docs/operations.md,
#: "Restore", step 4. A plain ``regie cycle --full`` would send again what went out after the
#: backup (walk56c 2).
NEXT = (
    "next: regie cycle --full --dry-run, then regie cycle --full --no-send; look at "
    "regie outbox --status pending, mark those known to have gone out with regie outbox "
    'mark-sent KEY… --yes, then regie send (docs/operations.md, "Restore", step 4)'
)


def _backup_time(app: App, at: datetime) -> str:
    """When the backup was made, in the office's zone as the other outputs give a time."""
    from regie.history import office_time
    from regie.services import office_zone

    return office_time(at, office_zone(app))


def _copy_read_only(source: Path, partial: Path) -> int:
    """:func:`regie.sqlite_copy.copy_database` through a read-only connection (``mode=ro``)."""
    return _copy(source, partial, read_only=True)


def backup(app: App, target: Path, warn: Callable[[str], None] | None = None) -> str:
    """Copy the database to ``target``; the output line. A database that refuses the backup's
    record (read-only) is copied all the same: ``warn`` gets one line saying the record is
    missing (without ``warn`` that note ends the output line)."""
    if not app.settings.is_sqlite:
        raise InvalidInput(
            f"{app.safe_url}: `regie db backup` copies the embedded SQLite database; back up "
            "PostgreSQL with its own tools, e.g. pg_dump --format=custom (docs/operations.md)"
        )
    if (missing := app.settings.missing_database_directory()) is not None:
        raise InvalidInput(missing)  # as every command says it: a mistyped REGIE_DATABASE_URL
    # A read-only URL (``?mode=ro``, ``file:…?mode=ro&uri=true``) is fine: a backup only reads
    # (its record in the database is best effort); the copy then opens the file read-only too.
    source, read_only = _sqlite_source(app)
    if not source.is_file():
        # Nothing to copy: a backup script retrying it gains nothing (exit 2, not 3).
        raise InvalidInput(f"{source}: no database yet (run `regie cycle` or `regie sync`)")
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
    unrecorded: str | None
    if read_only:  # asked not to write it (SQLAlchemy opens a plain ``?mode=ro`` read-write)
        noted, unrecorded = "", "REGIE_DATABASE_URL opens it read-only (mode=ro)"
    else:
        noted, unrecorded = _record_backup(app, target)
    try:
        fd, partial = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".partial", dir=target.parent
        )
    except OSError as exc:  # the user's path: bad input (2), as for update-sheet --out
        raise InvalidInput(f"{target}: cannot write there: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        with _terminate_as_interrupt():
            pages = (_copy_read_only if read_only else _copy)(source, Path(partial))
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
    if unrecorded and warn is not None:
        warn(f"warning: the backup is not recorded in the database ({BACKED_UP}): {unrecorded}")
    elif unrecorded:
        noted = f" (not recorded in the database: {unrecorded})"
    return f"{source} → {target}: {pages:,} pages, {size / 2**20:.1f} MiB, checked{noted}"


BACKED_UP = "regie.db.backed_up"
RESTORED = "regie.db.restored"
#: The tables whose newest rows a restore compares (records the replaced database held beyond
#: the backup: lost by the restore, kept in the replaced file).
COMPARED = ("status_updates", "decisions", "events", "outbox", "report_archive", "plan_revisions")


def _record_backup(app: App, target: Path) -> tuple[str, str | None]:
    """Record the backup in the database before it is copied (so the copy holds it too): a
    ``regie.db.backed_up`` event naming the file and who made it. Best effort: a database
    without its programme yet, one at an older revision (the backup before an upgrade: not
    migrated by backing it up) or one that refuses writes (a read-only file, a read-only role)
    is still backed up. Returns a note for the output line ("" or the older revision) and why
    the record could not be written (None: written or not needed)."""
    from regie.services import office_day, utcnow
    from store import current_revision, head_revision
    from store.audit import programme_stored, record_action

    try:
        # Never migrated here: the backup before an upgrade must be of the database as it was.
        if current_revision(app.settings.database_url) != head_revision():
            return " (not recorded in the database: it is at an older revision)", None
        programme_id = app.programme_id()
        with app.writing(), app.session() as session, session.begin():
            if not programme_stored(session, programme_id):
                return "", None
            now = utcnow()
            record_action(
                session, programme_id, BACKED_UP, now=now, occurred_on=office_day(app, now),
                payload={"file": target.name},
            )  # fmt: skip
    except Exception as exc:  # the copy matters more than its record
        reason = getattr(exc, "orig", None) or exc  # the driver's words, not the statement
        return "", " ".join(str(reason).split())[:200] or type(exc).__name__
    return "", None


@dataclass(frozen=True, slots=True)
class BackupStamp:
    """A backup's own record of its making (its latest ``regie.db.backed_up`` event)."""

    made_at: datetime
    by: str | None
    file: str | None


def backup_stamp(connection: sqlite3.Connection | Any) -> BackupStamp | None:
    """The latest ``regie.db.backed_up`` event a database holds: the making of the backup it
    is (or was restored from). ``connection``: sqlite3, or a SQLAlchemy connection."""
    import json

    import sqlalchemy as sa

    query = "SELECT recorded_at, payload FROM events WHERE name = :name ORDER BY id DESC LIMIT 1"
    if isinstance(connection, sqlite3.Connection):
        row = connection.execute(query.replace(":name", "?"), (BACKED_UP,)).fetchone()
    else:
        row = connection.execute(sa.text(query), {"name": BACKED_UP}).first()
    if row is None:
        return None
    at, payload = row
    payload = json.loads(payload) if isinstance(payload, str) else (payload or {})
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return BackupStamp(at, payload.get("by"), payload.get("file"))


def _newest_ids(connection: sqlite3.Connection | Any) -> dict[str, int]:
    import sqlalchemy as sa

    out = {}
    for table in COMPARED:
        query = f"SELECT max(id) FROM {table}"  # a fixed table name
        if isinstance(connection, sqlite3.Connection):
            value = connection.execute(query).fetchone()[0]
        else:
            value = connection.execute(sa.text(query)).scalar()
        out[table] = int(value or 0)
    return out


def restore(app: App, source: Path, *, apply: bool) -> str:
    """Put the SQLite backup ``source`` in the database's place (``apply``; else say what
    would happen): the replaced database is kept beside it (``regie.db.replaced-<UTC time>``;
    every such copy stays, each holds the records a restore said were lost: the output names
    the earlier ones, for the operator to remove by hand, review11 4), the backup is checked
    before and copied whole, and the restore is recorded in the restored database
    (:func:`record_restore`); the restored file is 0600. Stop `regie serve` and the
    timers first (docs/operations.md, "Restore"): a running cycle (``cycle.lock``) or server
    (``serve.lock``, :func:`serving`) makes it wait for none: it refuses (exit 75)."""
    from regie.locks import cycle_lock

    if not app.settings.is_sqlite:
        raise InvalidInput(
            f"{app.safe_url}: `regie db restore` puts back an SQLite backup; restore PostgreSQL "
            "with pg_restore, then record it: regie db restore DUMP --record-only "
            "(docs/operations.md)"
        )
    if (missing := app.settings.missing_database_directory()) is not None:
        raise InvalidInput(missing)
    source = source.expanduser()
    if not source.is_file():
        raise InvalidInput(f"{source}: no such file")
    database = _sqlite_path(app).resolve()
    if source.resolve() in {database, *(Path(f"{database}{s}") for s in _SIDE_FILES)}:
        raise InvalidInput(f"{source}: that is the database or one of its own files")
    stamp, backup_ids, revision = _check_backup(source)
    _refuse_other_programme(app, source, _programmes_in(source), "restored")
    replaced_ids = _ids_of(database) if database.is_file() else dict.fromkeys(COMPARED, 0)
    newer = {
        t: replaced_ids[t] - backup_ids[t] for t in COMPARED if replaced_ids[t] > backup_ids[t]
    }
    lost = ", ".join(f"{t} {n}" for t, n in newer.items()) or "none"
    lines = [
        f"backup {source}: {_made(app, source, stamp)}",
        f"records newer than the backup (lost): {lost}",
    ]
    from store.db import head_revision, newer_than_code

    if revision != head_revision() and not newer_than_code(revision):  # an older Regie's
        lines.append(earlier_version_first(revision, head_revision()))
    earlier = sorted(p.name for p in database.parent.glob(f"{database.name}.replaced-*"))
    if earlier:
        lines.append(
            f"earlier replaced databases kept beside it ({len(earlier)}; they hold records "
            f"earlier restores lost, remove them by hand once not needed): {', '.join(earlier)}"
        )
    if not apply:
        return "\n".join([*lines, "dry run: nothing changed (add --yes to restore)"])
    app.engine.dispose()
    kept: Path | None = None
    with (
        cycle_lock(app.settings.home, "restore"),
        _no_server(app.settings.home),
        _terminate_as_interrupt(),
    ):
        if database.is_file():
            stamp_now = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")  # a UTC name (Z), not a day
            kept = database.with_name(f"{database.name}.replaced-{stamp_now}")
            _publish_copy(database, kept)
        partial = database.with_name(f".{database.name}.restore.partial")
        try:
            _copy(source, partial)
            # As private as a database Regie makes (0600 whatever the umask); SQLite gives the
            # -wal and -shm files it makes next the database file's mode.
            os.chmod(partial, 0o600)
            for side in _SIDE_FILES:
                Path(f"{database}{side}").unlink(missing_ok=True)
            os.replace(partial, database)
        except OSError as exc:
            raise RegieError(f"{database}: {exc.strerror or exc}", exit_code=3) from None
        except sqlite3.Error as exc:
            raise RegieError(f"{source}: {exc}", exit_code=3) from None
        finally:
            partial.unlink(missing_ok=True)
            Path(f"{partial}-journal").unlink(missing_ok=True)
    # A fresh app on the restored file: its schema checked (an older backup migrated, as
    # every SQLite start does), nothing cached of the replaced one.
    from regie.bootstrap import bootstrap

    restored = bootstrap(app.settings)
    restored.ensure_schema()
    record_restore(restored, source.name, stamp, newer, kept.name if kept else None)
    restored.engine.dispose()
    where = f"; the replaced database is kept as {kept}" if kept else ""
    return "\n".join(
        [*lines, f"restored {database} from {source}{where}; recorded ({RESTORED})", NEXT]
    )


#: Held (shared) by every `regie serve` on a home while it runs (:func:`serving`); a restore
#: takes it exclusively, so it refuses while a server has the database open, and a server does
#: not start during a restore.
SERVE_LOCK = "serve.lock"


class ServerRunning(RegieError):
    """`regie serve` (or a restore, for a starting server) holds this home's serve lock."""

    exit_code = 75  # EX_TEMPFAIL, as for a running cycle: stop it (or wait), then try again


def _open_serve_lock(home: Path, what: str) -> int:
    from store.files import FILE_MODE, private_directory

    try:
        private_directory(home)
        return os.open(home / SERVE_LOCK, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise RegieError(
            f"REGIE_HOME {home}: cannot write its lock file ({exc.strerror or exc}): "
            f"{what} needs a writable home",
            exit_code=3,
        ) from None


@contextmanager
def serving(home: Path) -> Iterator[None]:
    """For `regie serve`, while it runs: a shared lock on ``$REGIE_HOME/serve.lock`` (several
    servers may share a home), released by the operating system however the process ends."""
    fd = _open_serve_lock(home, "a server")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServerRunning(
                f"a restore of the database is under way on {home} ({home / SERVE_LOCK}): "
                "start the server when it has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


@contextmanager
def _no_server(home: Path) -> Iterator[None]:
    """The serve lock exclusively for the block: refused while a `regie serve` holds it."""
    fd = _open_serve_lock(home, "a restore")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            except OSError:
                holder = ""
            raise ServerRunning(
                f"regie serve is running on {home}{f' (pid {holder})' if holder else ''}, "
                f"holding {home / SERVE_LOCK}: stop it (and the timers) first; "
                "nothing was restored"
            ) from None
        yield
    finally:
        os.close(fd)


def _made(app: App, source: Path, stamp: BackupStamp | None) -> str:
    """Who made the backup and when: its own record (`regie db backup`), or, for the copy
    the first command after an upgrade kept (its name says so), that (walk58d 4)."""
    if stamp:
        return f"made {_backup_time(app, stamp.made_at)}" + (f" by {stamp.by}" if stamp.by else "")
    if (kept := upgrade_copy(source.name)) is not None:
        revision, at = kept
        when = _backup_time(app, at)
        return f"the copy Regie kept before the upgrade to revision {revision} ({when})"
    return "its making not recorded in it (not made by `regie db backup`?)"


def _check_backup(source: Path) -> tuple[BackupStamp | None, dict[str, int], str | None]:
    """The backup's stamp, newest ids and revision, after checking it is a whole Regie
    database."""
    try:
        db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise InvalidInput(f"{source}: does not check out as a database: {check}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if not {"alembic_version", "events", *COMPARED} <= tables:
                raise InvalidInput(f"{source}: not a Regie database (its tables are missing)")
            revision = db.execute("SELECT max(version_num) FROM alembic_version").fetchone()[0]
            return backup_stamp(db), _newest_ids(db), revision
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{source}: not an SQLite database ({exc})") from None


def _programmes_in(source: Path) -> list[str]:
    """The first few programmes an SQLite backup holds, by id
    (:func:`store.doctor.programmes_to_name`); [] for another file (a pg_dump archive: its
    programme is not read) or a backup holding none."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from store.doctor import programmes_to_name

    try:
        with open(source, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return []
    except OSError:
        return []
    engine = sa.create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(f"file:{source}?mode=ro", uri=True),
        poolclass=NullPool,
    )
    try:
        with Session(engine) as session:
            return programmes_to_name(session)
    except sa.exc.DBAPIError:
        return []  # not readable as a Regie database: the other checks say what is wrong
    finally:
        engine.dispose()


def _plan_programme(app: App) -> str | None:
    """The plan's programme id; None while the plan file does not load (a restore is a
    recovery: it does not wait for a plan being mended)."""
    try:
        return app.load_plan().programme.id
    except RegieError:
        return None


def _refuse_other_programme(app: App, source: Path, held: list[str], what: str) -> None:
    """One line (exit 2) when the backup ``source`` holds programmes and none is the plan's:
    the other installation's backup, or REGIE_PLAN is the other's; nothing is ``what``."""
    programme_id = _plan_programme(app) if held else None
    if programme_id is None or programme_id in held:
        return
    from regie.programme_guard import NAMED
    from regie.programme_guard import held as named

    if len(held) > NAMED:  # only the first few were read: the plan's may be among the rest
        with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as db:
            found = db.execute("SELECT 1 FROM programmes WHERE id = ?", (programme_id,))
            if found.fetchone() is not None:
                return
    raise InvalidInput(
        f"{source}: the backup holds {named(held)}, not the plan's programme {programme_id}: "
        f"the other installation's backup, or is REGIE_PLAN the other's? Nothing was {what}"
    )


def _refuse_other_dump(app: App, source: Path) -> None:
    """One line (exit 2) when the PostgreSQL dump ``source`` holds programmes and not the one
    the restore is recorded for (the plan's; while the plan does not load, the database's):
    another programme's dump, recorded in the right database (fix57c 2). A dump whose
    programmes cannot be read (no pg_restore on the PATH) is recorded as before."""
    from regie.dump_programmes import dump_programmes
    from regie.programme_guard import held

    found = dump_programmes(source)
    if not found:
        return
    programme_id = _plan_programme(app) or app.programme_id()
    if programme_id in found:
        return
    raise InvalidInput(
        f"{source}: the dump holds {held(found)}, not the plan's programme {programme_id}: "
        "another programme's dump, or is REGIE_PLAN the other's? Nothing was recorded"
    )


def _ids_of(database: Path) -> dict[str, int]:
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            return _newest_ids(db)
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return dict.fromkeys(COMPARED, 0)  # a damaged database: what it held is not known


def record_restore(
    app: App,
    file_name: str,
    stamp: BackupStamp | None,
    newer: dict[str, int] | None = None,
    kept: str | None = None,
    *,
    made_at: datetime | None = None,
) -> None:
    """Record a restore in the (restored) database: a ``regie.db.restored`` event with who
    (the operator), the backup's file name, its own time (``made_at``, else its stamp), and,
    when known, the records the replaced database held beyond it and where that is kept.
    Recorded under the plan's programme (the database's only one while the plan does not
    load); a database that holds other programmes and not the plan's is refused, nothing
    recorded (walk56c 1)."""
    from regie.programme_guard import elsewhere, foreign_programmes
    from regie.services import office_day, utcnow
    from store.audit import programme_stored, record_action

    at = made_at or (stamp.made_at if stamp else None)
    payload: dict[str, Any] = {
        "file": file_name,
        "backup_made_at": at.isoformat() if at else None,
        "backup_made_by": stamp.by if stamp and not made_at else None,
    }
    if newer is not None:
        payload["lost"] = newer
    if kept:
        payload["replaced_kept_as"] = kept
    programme_id = _plan_programme(app) or app.programme_id()
    with app.writing(), app.session() as session, session.begin():
        if not programme_stored(session, programme_id):
            if foreign := foreign_programmes(session, programme_id):
                raise InvalidInput(
                    f"{elsewhere(app.safe_url, programme_id, foreign)}: the other "
                    "installation's backup restored here, or is REGIE_PLAN or "
                    "REGIE_DATABASE_URL the other's? Nothing was recorded"
                )
            raise InvalidInput(
                f"{app.safe_url}: the restored database holds no programme {programme_id!r}: "
                "nothing to record the restore in"
            )
        now = utcnow()
        record_action(
            session, programme_id, RESTORED, now=now, occurred_on=office_day(app, now),
            payload=payload,
        )  # fmt: skip


def record_only(app: App, path: Path, made_at: datetime | None) -> str:
    """`regie db restore DUMP --record-only`: the database was restored by other means
    (pg_restore, a copy); record it, with the backup's time as given or as the restored
    database's own stamp says. A FILE that is an SQLite database (a copy) must hold the plan's
    programme, as the database must (:func:`record_restore`)."""
    _refuse_other_programme(app, path, _programmes_in(path), "recorded")
    _refuse_other_dump(app, path)
    with app.engine.connect() as connection:
        stamp = backup_stamp(connection)
    file_name = path.name
    record_restore(app, file_name, stamp, made_at=made_at)
    at = made_at or (stamp.made_at if stamp else None)
    when = _backup_time(app, at) if at else "not known"
    return f"recorded the restore from {file_name} (backup made {when}) in {app.safe_url}\n{NEXT}"


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


def _sqlite_path(app: App) -> Path:
    """The database file a restore replaces: never through a read-only URL."""
    path, read_only = _sqlite_source(app)
    if read_only:
        raise InvalidInput(
            f"{app.safe_url}: opens the database read-only (mode=ro or immutable): a restore "
            "writes it; set REGIE_DATABASE_URL without mode=ro for `regie db restore`"
        )
    return path


def _sqlite_source(app: App) -> tuple[Path, bool]:
    """The SQLite file the URL names (an SQLite ``file:`` URI's too) and whether the URL opens
    it read-only (``mode=ro``, ``immutable=1``)."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    from sqlalchemy.engine import make_url

    url = make_url(app.settings.database_url)
    database = url.database or ""
    query = {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}
    if database.startswith("file:"):
        parts = urlsplit(database)
        database = unquote(parts.path)
        query.update(parse_qsl(parts.query))
    if not database or database == ":memory:" or query.get("mode") == "memory":
        raise InvalidInput(f"{app.safe_url}: not a database file")
    read_only = query.get("mode") == "ro" or query.get("immutable") in ("1", "true")
    return Path(database).expanduser(), read_only
