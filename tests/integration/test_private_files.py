"""Files holding personal data are the owner's alone, whatever the umask (privacy review):
REGIE_HOME 0700 when Regie creates it, the SQLite database (and -wal/-shm), the file outbox's
messages, update sheets and reports 0600; a directory the admin made is never chmod-ed."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from notifications.base import Message
from notifications.file_outbox import FileOutbox
from regie.bootstrap import App
from regie.config import Settings
from store import make_engine
from store.files import write_private
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual umask, under which new files are 0644
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_home_are_the_owners_alone(tmp_path: Path) -> None:
    home = tmp_path / "new" / "home"
    engine = make_engine(f"sqlite:///{home / 'regie.db'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (x TEXT)"))
        connection.execute(sa.text("INSERT INTO t VALUES ('Anna de Wit')"))
        files = sorted(p.name for p in home.iterdir())
        assert {"regie.db", "regie.db-wal", "regie.db-shm"} <= set(files)  # WAL is on
        assert {p.name: mode(p) for p in home.iterdir()} == {n: 0o600 for n in files}
    engine.dispose()
    assert mode(home) == 0o700
    assert mode(home.parent) == 0o700  # made by Regie too


def test_a_directory_or_database_the_admin_made_keeps_its_mode(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o750)
    os.chmod(home, 0o750)
    shared = home / "shared.db"
    shared.touch()
    os.chmod(shared, 0o640)
    engine = make_engine(f"sqlite:///{shared}")
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
    engine.dispose()
    assert mode(home) == 0o750
    assert mode(shared) == 0o640


def test_the_file_outbox_writes_messages_only_its_owner_reads(tmp_path: Path) -> None:
    outbox = tmp_path / "home" / "outbox"
    message = Message(
        key="digest:anna:2025-06-10",
        kind="digest",
        recipient="anna",
        recipient_name="Anna de Wit",
        email="anna@example.org",
        slack=None,
        subject="Herinnering",
        text="Antwoorden: http://regie.test/antwoord/abc.def",
        html=None,
        queued_at=datetime(2025, 6, 10, 7, tzinfo=UTC),
    )
    delivery = FileOutbox(outbox).send(message)
    written = Path(delivery.external_id)
    assert mode(written) == 0o600
    assert mode(outbox) == 0o700
    assert mode(outbox.parent) == 0o700


def test_loading_the_plan_makes_a_missing_home_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = App(
        Settings(
            home=home,
            database_url="sqlite://",
            plan_path=ANSWERS_PLAN,
            notifier="file",
            timezone=None,
        )
    )
    app.load_plan()  # writes the plan's cache under the home
    assert mode(home) == 0o700


def test_reports_and_sheets_written_to_a_file_are_private(tmp_path: Path) -> None:
    from regie.cli.reports import _write  # what `regie report … --out` writes with

    new = tmp_path / "pack.html"
    _write(b"<p>Anna de Wit</p>", new, "html")
    assert mode(new) == 0o600
    existing = tmp_path / "mine.html"
    existing.write_bytes(b"old")
    os.chmod(existing, 0o644)  # the user's own file: overwritten, its mode left as it was
    write_private(existing, b"new")
    assert (existing.read_bytes(), mode(existing)) == (b"new", 0o644)
    with pytest.raises(FileExistsError):
        write_private(existing, b"x", exclusive=True)


def test_update_sheet_out_and_a_fresh_home_from_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sheet = tmp_path / "blad.csv"
    env = {"REGIE_HOME": str(home), "REGIE_PLAN": str(ANSWERS_PLAN), "REGIE_DATABASE_URL": ""}
    done = regie("update-sheet", "--as-of", "2025-06-10", "--out", str(sheet), env=env)
    assert done.code == 0, done.err
    assert mode(sheet) == 0o600
    assert mode(home) == 0o700
    assert mode(home / "regie.db") == 0o600


def test_the_cycle_lock_makes_a_missing_home_private(tmp_path: Path) -> None:
    from regie.locks import cycle_lock

    home = tmp_path / "home"
    with cycle_lock(home):
        pass
    assert mode(home) == 0o700
