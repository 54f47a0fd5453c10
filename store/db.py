"""Engines, sessions and migrations. Alembic is driven from code: no alembic.ini is needed to run.

Tables are only ever created by migrations (``upgrade``); nothing here calls ``create_all``.
Alembic (with Mako and Pygments ≈ 0.2 s) is imported only to migrate: checking that a database
is current, which every command does, reads the revision table and the migration files directly.
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from store.files import create_private_file, private_directory
from store.revision_files import assignments
from store.urls import normalise_url

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: PostgreSQL: how long a statement waits for a lock another connection holds (``lock_timeout``)
#: unless REGIE_DB_LOCK_TIMEOUT says otherwise. Without it a statement blocked by a forgotten
#: ``psql`` session waits for ever, and a cycle holds its cycle lock all that time.
POSTGRES_LOCK_TIMEOUT_MS = 30_000
#: PostgreSQL: seconds to wait for the server to accept a connection (libpq's
#: ``connect_timeout``) unless REGIE_DB_CONNECT_TIMEOUT or the URL's own ``connect_timeout``
#: says otherwise. psycopg's default is 130 s: a server that drops packets (a firewall, a
#: proxy that stopped forwarding) kept a command, or ``/healthz``, waiting over two minutes.
POSTGRES_CONNECT_TIMEOUT_S = 10
#: Connections an engine keeps open (and may open beyond that): a server's threads (anyio's 40)
#: each hold one; SQLAlchemy's default (5 + 10) closed and reopened connections under load.
POOL_SIZE = 20
POOL_OVERFLOW = 30


#: What Regie's SQL needs of SQLite: ``AS MATERIALIZED`` and ``ALTER TABLE … DROP COLUMN``
#: (3.35); reads by many ids pass them as one JSON parameter (``json_each``, built in since
#: 3.38, compiled into most builds before).
SQLITE_MINIMUM = (3, 35, 0)


def sqlite_shortfall() -> str | None:
    """Why the SQLite library Python links cannot run Regie, or None when it can. Checked
    once before a SQLite database is first used, so an old library is one clear line, not a
    syntax error in the middle of a daily cycle."""
    import sqlite3

    if sqlite3.sqlite_version_info < SQLITE_MINIMUM:
        needed = ".".join(map(str, SQLITE_MINIMUM))
        return f"SQLite {sqlite3.sqlite_version} is too old: Regie needs SQLite {needed} or newer"
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as probe:
            probe.execute("SELECT value FROM json_each('[1]')").fetchall()
    except sqlite3.OperationalError:
        version = sqlite3.sqlite_version
        return f"SQLite {version} lacks its JSON functions (json_each), which Regie needs"
    return None


class MigrationError(RuntimeError):
    """A migration left the database inconsistent (it has been rolled back)."""


def make_engine(
    url: str,
    *,
    synchronous: str = "full",
    lock_timeout: float | None = None,
    connect_timeout: int | None = None,
    **kwargs: Any,
) -> Engine:
    """An engine for the application: SQLite gets foreign keys, a busy timeout, real BEGINs and
    WAL with ``synchronous`` (``full`` by default; ``normal``: see :func:`_install_sqlite_hooks`);
    PostgreSQL a ``lock_timeout`` and a ``connect_timeout``. ``lock_timeout`` (seconds) replaces
    the default of either (:data:`SQLITE_BUSY_TIMEOUT_MS`, :data:`POSTGRES_LOCK_TIMEOUT_MS`);
    ``connect_timeout`` (seconds) :data:`POSTGRES_CONNECT_TIMEOUT_S`.
    """
    kwargs.setdefault("pool_size", POOL_SIZE)
    kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    wait_ms = None if lock_timeout is None else max(1, round(lock_timeout * 1000))
    return _engine(
        url,
        foreign_keys=True,
        synchronous=synchronous,
        wait_ms=wait_ms,
        connect_timeout=connect_timeout,
        **kwargs,
    )


#: Every engine made here that is still referenced, so a command can close its connections
#: before it ends (see :func:`dispose_engines`).
_LIVE_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def dispose_engines() -> None:
    """Close the pooled connections of every live engine: SQLite folds its WAL back into the
    database file on the last close, so nothing depends on the interpreter's final clean-up."""
    for engine in list(_LIVE_ENGINES):
        engine.dispose()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker  # not on the plain-connection paths (≈ 0.07 s)

    # Callers get plain values out of the repository, so nothing needs reloading after commit.
    return sessionmaker(bind=engine, expire_on_commit=False)


def _engine(
    url: str,
    *,
    foreign_keys: bool,
    synchronous: str = "full",
    wait_ms: int | None = None,
    connect_timeout: int | None = None,
    **kwargs: Any,
) -> Engine:
    parsed = sa.make_url(normalise_url(url))
    database = parsed.database
    in_memory = not database or database == ":memory:" or "mode=memory" in database
    if kwargs.get("poolclass") is not None or (parsed.get_backend_name() == "sqlite" and in_memory):
        # NullPool / StaticPool / SingletonThreadPool take no queue sizes
        kwargs.pop("pool_size", None)
        kwargs.pop("max_overflow", None)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            # A URL's own ``?connect_timeout=`` wins (psycopg lets keywords replace the URL's).
            seconds = POSTGRES_CONNECT_TIMEOUT_S if connect_timeout is None else connect_timeout
            connect_args = dict(kwargs.get("connect_args") or {})
            connect_args.setdefault("connect_timeout", int(seconds))
            kwargs["connect_args"] = connect_args
        server = sa.create_engine(parsed, **kwargs)
        _quiet_interrupts(server)
        if parsed.get_backend_name() == "postgresql":
            _install_postgres_lock_timeout(server, wait_ms)
        _LIVE_ENGINES.add(server)
        return server
    on_disk = None
    if database and database != ":memory:" and not database.startswith("file:"):
        on_disk = Path(database).expanduser()
        private_directory(on_disk.parent)
    engine = sa.create_engine(parsed, **kwargs)
    if on_disk is not None:
        _private_database_file(engine, on_disk)
    _quiet_interrupts(engine)
    _install_sqlite_hooks(
        engine,
        foreign_keys=foreign_keys,
        wal=not in_memory,
        synchronous=synchronous,
        busy_ms=wait_ms,
    )
    _LIVE_ENGINES.add(engine)
    return engine


def _private_database_file(engine: Engine, path: Path) -> None:
    """A new database file is made 0600 just before SQLite would make it (0644 under the
    usual umask: names, addresses and answers readable by every local user); SQLite gives its
    -wal and -shm files the database file's mode. An existing file keeps its mode."""

    @sa.event.listens_for(engine, "do_connect")
    def _before_connect(*_args: Any) -> None:
        with contextlib.suppress(OSError):  # SQLite says what is wrong with the path itself
            create_private_file(path)


def _quiet_interrupts(engine: Engine) -> None:
    """The pool logs a Ctrl-C that lands while it closes a connection, with a traceback, and then
    re-raises it: the command line reports the interrupt in one line, so the log is dropped."""
    logger = engine.pool.logger  # one logger per pool class (or one per pool with echo_pool)
    target = logger if isinstance(logger, logging.Logger) else logger.logger
    target.addFilter(_not_an_interrupt)  # a set: added once however many engines


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], KeyboardInterrupt))


def _install_postgres_lock_timeout(engine: Engine, wait_ms: int | None) -> None:
    """Every connection waits at most ``wait_ms`` for a lock (a row, a table, an advisory lock)
    before its statement fails with ``lock_timeout``; the transaction is then rolled back, the
    command says so in one line and ends, releasing what it held (a cycle its cycle lock).

    Set with ``SET`` once connected rather than as a start-up ``options`` parameter, which a
    connection pooler such as PgBouncer may refuse, and which would replace ``PGOPTIONS``."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        timeout = POSTGRES_LOCK_TIMEOUT_MS if wait_ms is None else wait_ms
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET lock_timeout = {int(timeout)}")
        finally:
            cursor.close()
        if not dbapi_connection.autocommit:
            dbapi_connection.commit()  # the SET outlives the transaction it opened


def _install_sqlite_hooks(
    engine: Engine, *, foreign_keys: bool, wal: bool, synchronous: str, busy_ms: int | None = None
) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module's legacy mode skips BEGIN before SELECT and DDL, so reads are not
        # isolated and migrations are not atomic. Let SQLAlchemy emit BEGIN itself (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        busy = SQLITE_BUSY_TIMEOUT_MS if busy_ms is None else busy_ms
        cursor.execute(f"PRAGMA busy_timeout = {int(busy)}")
        if wal:
            # Readers never wait for the writer (a `regie status` during a cycle). Kept in the
            # file once set; a read-only database simply stays in its journal mode.
            mode = ""
            with contextlib.suppress(Exception):
                mode = str(cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
            if mode == "wal" and synchronous != "full":
                # NORMAL in WAL mode syncs the log at checkpoints, not at every COMMIT: a crash
                # of the process loses nothing, but a power cut may lose the last commits — a
                # `sent` mark (the message would go again) or an acknowledged answer. So FULL
                # is the default (one WAL fsync per commit, ≈ 0.3 ms here); NORMAL is an
                # opt-in (REGIE_SQLITE_SYNCHRONOUS=normal). Per connection, not stored.
                cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


# --- migrations -------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged migrations; env.py uses ``connection`` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migration_engine(url: str, *, connect_timeout: int | None = None) -> Engine:
    """An engine for running migrations (and reading the revision).

    SQLite enforces foreign keys off for the duration: batch migrations rebuild a table by
    copy-and-drop, and dropping a referenced table with enforcement on would fail or cascade.
    :func:`check_foreign_keys` runs before committing instead. PostgreSQL waits
    ``connect_timeout`` seconds (default :data:`POSTGRES_CONNECT_TIMEOUT_S`) for a connection.
    """
    return _engine(url, foreign_keys=False, connect_timeout=connect_timeout, poolclass=sa.NullPool)


def check_foreign_keys(connection: Connection) -> None:
    """Raise if SQLite has rows violating a foreign key (enforcement is off while migrating)."""
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL enforces keys during the migration itself
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if problems:
        raise MigrationError(f"foreign key violations after migration: {problems[:5]}")


def _migrate(url: str, step: Callable[[Config], None]) -> None:
    engine = migration_engine(url)
    try:
        with engine.begin() as connection:  # one transaction: all or nothing on both databases
            step(alembic_config(connection))
            check_foreign_keys(connection)
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    _migrate(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    _migrate(url, lambda config: command.downgrade(config, revision))


def current_revision(url: str | Engine, *, connect_timeout: int | None = None) -> str | None:
    """The revision the database is at; None for an empty database.

    What Alembic's ``MigrationContext.get_current_revision`` returns, read with one query.
    ``connect_timeout``: as :func:`migration_engine` (for a URL; an engine has its own).
    """
    engine = migration_engine(url, connect_timeout=connect_timeout) if isinstance(url, str) else url
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table(VERSION_TABLE):
                return None
            found = connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}"))
            versions = list(found.scalars())
    finally:
        if isinstance(url, str):
            engine.dispose()
    if len(versions) > 1:
        raise MigrationError(f"database is at several revisions at once: {sorted(versions)}")
    return versions[0] if versions else None


def known_revisions() -> set[str]:
    """Every revision shipped with this code."""
    found = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        revision = assignments(path, ("revision",)).get("revision")
        if isinstance(revision, str):
            found.add(revision)
    return found


def newer_than_code(revision: str | None) -> bool:
    """Whether the database was migrated by a newer Regie (a revision this code does not know):
    ``regie db upgrade`` cannot help, only a newer Regie can."""
    return revision is not None and revision not in known_revisions()


def head_revision() -> str:
    """The newest revision shipped with this code: the one no other revision revises.

    Read from the ``revision`` and ``down_revision`` assignments of the migration files, as
    Alembic's ``ScriptDirectory.get_current_head`` does (tests/integration/test_revisions.py
    holds the two side by side).
    """
    revised: set[str] = set()
    revisions: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values = assignments(path, ("revision", "down_revision"))
        revision = values.get("revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        down = values.get("down_revision")
        revised.update([down] if isinstance(down, str) else down or ())
    heads = sorted(revisions - revised)
    if len(heads) != 1:
        raise MigrationError(f"expected one head revision in {MIGRATIONS_DIR}, found {heads}")
    return heads[0]
