"""A migrated database per test without running the migrations per test.

Upgrading an empty database to the latest migration takes about 0.3 s on SQLite and 0.5 s on
PostgreSQL, and most integration tests start from one. Each worker upgrades one template per
database once and copies it for every test: SQLite by copying the file (its mode with it),
PostgreSQL with ``CREATE DATABASE … TEMPLATE``. The copy is the migrated database itself, so
the tests see exactly what :func:`store.upgrade` makes; tests of the migrations keep calling
``upgrade`` on ``database_url`` (an empty database). A test's REGIE_HOME gets the same copy at
its default database (:func:`migrated_home`, the ``regie_home`` fixture), so its first command
does not migrate a new SQLite database; tests of a first run start from an empty home.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from governance.plan import Plan
from store import upgrade


class MigratedTemplates:
    """One upgraded template per database kind, made on first use and copied per test."""

    def __init__(self, folder: Path, postgres_admin_url: str | None) -> None:
        self._folder = folder
        self._admin_url = postgres_admin_url
        self._sqlite: Path | None = None
        self._postgres: str | None = None
        self._copied: set[str] = set()  # made copies at creation, not yet filled

    def fill(self, url: str) -> None:
        """Make the empty database at ``url`` a copy of the migrated template."""
        target = sa.make_url(url)
        if target.get_backend_name() == "sqlite":
            self._fill_sqlite(Path(str(target.database)))
        else:
            self._fill_postgres(str(target.database))

    def _fill_sqlite(self, path: Path) -> None:
        if self._sqlite is None:
            template = self._folder / "template.db"
            upgrade(f"sqlite:///{template}")
            self._sqlite = template
        copy_sqlite(self._sqlite, path)

    def _fill_postgres(self, name: str) -> None:
        if name in self._copied:  # made a copy when it was created (copy_postgres)
            self._copied.discard(name)
            return
        assert self._admin_url, "PostgreSQL tests need REGIE_TEST_POSTGRES_URL"
        admin = sa.create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self._create_copy(name, admin)
        finally:
            admin.dispose()

    def copy_postgres(self, name: str, admin: sa.Engine) -> None:
        """Create the PostgreSQL database ``name`` (absent) as a copy of the migrated template;
        the next :meth:`fill` of it then does nothing."""
        self._create_copy(name, admin)
        self._copied.add(name)

    def _create_copy(self, name: str, admin: sa.Engine) -> None:
        # FILE_COPY: for a database this small, copying its files costs PostgreSQL less than
        # writing them through the WAL (benchmarks/RESULTS.md §16).
        if self._postgres is None:
            template = f"regie_tmpl_{uuid.uuid4().hex[:12]}"
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{template}"'))
            url = sa.make_url(str(self._admin_url)).set(database=template)
            upgrade(url.render_as_string(hide_password=False))
            self._postgres = template
        with admin.connect() as conn:
            conn.execute(
                sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{self._postgres}" STRATEGY FILE_COPY')
            )

    def fill_if_empty(self, url: str) -> None:
        """:meth:`fill` for a database without any table; one that has some is upgraded
        (:func:`store.upgrade`), its content kept: on SQLite by the application's first use,
        as before (an upgrade at the head still loads every migration file)."""
        target = sa.make_url(url)
        if target.get_backend_name() == "sqlite":
            path = Path(str(target.database))
            if not path.exists() or path.stat().st_size == 0:  # no database yet
                self.fill(url)
            return
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                empty = not sa.inspect(conn).get_table_names()
        finally:
            engine.dispose()
        if empty:
            self.fill(url)
        else:
            upgrade(url)

    def drop(self) -> None:
        """Drop the PostgreSQL template (the SQLite one goes with its temporary folder)."""
        if self._postgres is None or not self._admin_url:
            return
        admin = sa.create_engine(self._admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self._postgres}" WITH (FORCE)'))
        finally:
            admin.dispose()
        self._postgres = None  # made again if a later test asks for it


_shared: MigratedTemplates | None = None


def shared_templates() -> MigratedTemplates:
    """This process's templates: the ``migrated_templates`` fixture's, and those of helpers
    that are no fixture (:func:`tests.integration.reports_scenario.migrated_app`). Made on first
    use in a temporary folder; the PostgreSQL template is dropped when the process ends."""
    global _shared
    if _shared is None:
        folder = Path(tempfile.mkdtemp(prefix="regie-migrated-"))
        _shared = MigratedTemplates(folder, os.environ.get("REGIE_TEST_POSTGRES_URL"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        atexit.register(_shared.drop)
    return _shared


def migrated_home(home: Path) -> Path:
    """Make ``home`` (absent or empty) a REGIE_HOME whose default SQLite database
    (``home / "regie.db"``) is a copy of this process's migrated template, so a command on it
    finds its schema at the head instead of migrating a new database (≈ 0.3–0.45 s each).
    The home is made 0700, as Regie makes one. For tests where the new database is incidental;
    a test of a home's first run (its note, its upgrade) starts from an empty one."""
    from store.files import private_directory

    private_directory(home)
    shared_templates().fill(f"sqlite:///{home / 'regie.db'}")
    return home


def copy_database(source_url: str, target_url: str, admin_url: str | None) -> None:
    """Make the database at ``target_url`` (empty or absent) a copy of the one at ``source_url``,
    which no connection may hold open: SQLite by copying the file (its mode with it),
    PostgreSQL with ``CREATE DATABASE … TEMPLATE``. For fixtures that build a state once with
    the real commands and give each test its own copy of it."""
    source, target = sa.make_url(source_url), sa.make_url(target_url)
    if target.get_backend_name() == "sqlite":
        copy_sqlite(Path(str(source.database)), Path(str(target.database)))
        return
    assert admin_url, "PostgreSQL tests need REGIE_TEST_POSTGRES_URL"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(
                sa.text(
                    f'CREATE DATABASE "{target.database}" TEMPLATE "{source.database}"'
                    " STRATEGY FILE_COPY"
                )
            )
    finally:
        admin.dispose()


#: The files SQLite keeps beside a database (``<name><suffix>``) in WAL and rollback mode.
_BESIDE = ("-wal", "-shm", "-journal")


def copy_sqlite(source: Path, target: Path) -> None:
    """Make ``target`` a copy of the SQLite database ``source`` (content and mode: 0600, as a
    new database gets). A ``-wal`` beside the source holds commits the file does not yet
    have (a connection not closed): it is checkpointed into the file first. A ``-wal``,
    ``-shm`` or ``-journal`` left beside the target (an earlier database at that path) would be
    replayed onto the copy when it opens: removed, with the target (review14 7)."""
    if _beside(source, "-wal").exists():  # rare: the last connection closed folds it back
        db = sqlite3.connect(source)
        try:
            busy, pages, done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            db.close()
        assert busy == 0 and pages == done, f"{source}: its WAL could not be checkpointed"
    for stale in (target, *(_beside(target, s) for s in _BESIDE)):
        stale.unlink(missing_ok=True)
    shutil.copy(source, target)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def drop_postgres_database(name: str, admin_url: str) -> None:
    """Drop a PostgreSQL database a fixture made (a template of :func:`copy_database`)."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def name_plan_file(url: str, plan_path: Path) -> None:
    """Make a copied database's last plan sync name ``plan_path`` (the test's copy of the same
    plan file), as a sync of that file would have: the next sync sees the same file and
    compares nothing, as it would after the test's own run (:func:`store.sync.sync_plan`)."""
    from store.models_incremental import PlanSyncRow

    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.update(PlanSyncRow).values(plan_path=str(plan_path)))
    finally:
        engine.dispose()


#: (builder's name, database kind) → the home and database it recorded in this process, and its
#: plan as parsed there.
_RECORDED: dict[tuple[str, str], tuple[Path, str, Plan | None]] = {}


def copy_recorded(
    name: str,
    home: Path,
    database_url: str,
    build: Callable[[Path, str], object],
    plan_file: str | None = "actions.yaml",
) -> None:
    """Give ``home`` (absent or empty) and the empty database at ``database_url`` a copy of
    what ``build(home, url)`` records: run once per process, ``name`` and database kind, on a
    home and database of its own, then copied for each test (≈ 0.1 s instead of the
    build's seconds). The copy's plan file is ``home / plan_file``: the last plan sync names it
    and the parse cache has its entry, as if ``build`` had run on ``home`` (the recorded parse
    with the path changed, :func:`tests.relocated_plan.relocated`: not parsed again per copy).
    Only the times the build recorded (it ran earlier) and the plan path in the append-only
    revisions differ. ``plan_file`` None: the plan lies outside the home (a fixture file the
    build does not edit), the same file for the build and every copy: nothing to rename."""
    from regie.parse_cache import load_plan_cached, store_parsed
    from store.db import dispose_engines
    from tests.relocated_plan import relocated

    kind = sa.make_url(database_url).get_backend_name()
    if (name, kind) not in _RECORDED:
        admin_url = os.environ.get("REGIE_TEST_POSTGRES_URL")
        folder = Path(tempfile.mkdtemp(prefix=f"regie-{name}-{kind}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'regie.db'}"
        else:
            assert admin_url, "PostgreSQL tests need REGIE_TEST_POSTGRES_URL"
            template = f"regie_rec_{uuid.uuid4().hex[:12]}"
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'CREATE DATABASE "{template}"'))
            finally:
                admin.dispose()
            atexit.register(drop_postgres_database, template, admin_url)
            url = sa.make_url(admin_url).set(database=template).render_as_string(False)
        build(folder / "home", url)
        dispose_engines()  # no connection left: SQLite's WAL folded back, PostgreSQL copyable
        parsed = None
        if plan_file is not None:
            parsed, problems = load_plan_cached(folder / "home" / plan_file, folder / "cache")
            assert parsed is not None and not problems, problems
        _RECORDED[name, kind] = (folder / "home", url, parsed)
    template_home, template_url, template_plan = _RECORDED[name, kind]
    copy_database(template_url, database_url, os.environ.get("REGIE_TEST_POSTGRES_URL"))
    shutil.copytree(template_home, home, dirs_exist_ok=True)
    if plan_file is None or template_plan is None:
        return
    plan = home / plan_file
    name_plan_file(database_url, plan)
    # The parse cache is keyed by the plan file's path: the entry this home's own loads leave.
    for cached in (home / "cache").glob("plan-*.pickle"):
        cached.unlink()
    data = plan.read_bytes()
    assert data == (template_home / plan_file).read_bytes()  # the file the recorded parse read
    store_parsed(plan, data, relocated(template_plan, os.fspath(plan)), home / "cache")
